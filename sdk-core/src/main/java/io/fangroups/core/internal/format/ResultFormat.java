package io.fangroups.core.internal.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fangroups.core.BulkResult;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.Family;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.JoinResult;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.spi.GroupStore;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** Keyed commands' results as stored in their idempotency records, so a retry elsewhere returns them. */
final class ResultFormat {
  private final ValueFormat values;

  ResultFormat(ValueFormat values) {
    this.values = values;
  }


  /**
   * A keyed command's result as JSON: null, a boolean, or one of the SDK's result records. A clear
   * passcode is written through {@code seal} (encrypted), never as it is.
   */
  String encode(@Nullable Object result, UnaryOperator<String> seal) {
    ObjectNode out = WireFormat.JSON.createObjectNode();
    if (result == null) {
      out.put("kind", "none");
    } else if (result instanceof Boolean b) {
      out.put("kind", "boolean").put("value", b);
    } else if (result instanceof GroupInfo g) {
      out.put("kind", "group").set("value", values.group(g));
    } else if (result instanceof Family f) {
      out.put("kind", "family").set("value", values.family(f));
    } else if (result instanceof Member m) {
      out.put("kind", "member").set("value", values.member(m));
    } else if (result instanceof JoinRequest r) {
      out.put("kind", "request").set("value", values.request(r));
    } else if (result instanceof JoinResult j) {
      ObjectNode value = WireFormat.JSON.createObjectNode().put("group", j.group().value());
      j.member().ifPresent(m -> value.set("member", values.member(m)));
      j.request().ifPresent(r -> value.set("request", values.request(r)));
      value.set("decision", values.decision(j.decision()));
      out.put("kind", "join").set("value", value);
    } else if (result instanceof BulkResult b) {
      ArrayNode items = WireFormat.JSON.createArrayNode();
      for (BulkResult.Item item : b.items()) {
        ObjectNode i = items.addObject().put("request", item.request().value()).put("outcome", item.outcome().name());
        values.optional(i, "error", item.error().map(ErrorCode::name));
        i.put("message", item.message());
      }
      out.put("kind", "bulk").set("value", items);
    } else if (result instanceof PasscodeInfo p) {
      out.put("kind", "passcode").set("value", values.passcode(p));
    } else if (result instanceof IssuedPasscode p) {
      ObjectNode value = WireFormat.JSON.createObjectNode().put("sealedCode", seal.apply(p.code())).put("targetName", p.targetName());
      value.set("info", values.passcode(p.info()));
      out.put("kind", "issued").set("value", value);
    } else if (result instanceof GroupMessage m) {
      out.put("kind", "message").set("value", values.message(m));
    } else if (result instanceof RedPacketInfo p) {
      out.put("kind", "redPacket").set("value", values.redPacket(p));
    } else if (result instanceof RedPacketClaim c) {
      out.put("kind", "claim").set("value", values.claim(c));
    } else {
      throw new IllegalArgumentException("no storage form for a result of type " + result.getClass().getName());
    }
    return WireFormat.text(out);
  }

  /** The result {@link #encode} wrote; {@code open} decrypts a sealed passcode. */
  @Nullable Object decode(String json, UnaryOperator<String> open) {
    return WireFormat.read(new GroupStore.StoredEvent(1, "CommandResult", json), "a command result", in -> {
      String kind = in.text("kind");
      if (kind.equals("none")) {
        return null;
      }
      In v = in.get("value");
      return switch (kind) {
        case "boolean" -> v.node().asBoolean();
        case "group" -> values.group(v);
        case "family" -> values.family(v);
        case "member" -> values.member(v);
        case "request" -> values.request(v);
        case "join" -> new JoinResult(v.text("group", GroupId::of), v.optional("member").map(values::member),
            v.optional("request").map(values::request), values.decision(v.get("decision")));
        case "bulk" -> new BulkResult(v.elements().stream().map(i -> new BulkResult.Item(i.text("request", RequestId::of),
            i.enumValue("outcome", BulkResult.Outcome.class), i.optional("error").map(e -> e.enumValue(ErrorCode.class)),
            i.text("message"))).toList());
        case "passcode" -> values.passcode(v);
        case "issued" -> new IssuedPasscode(values.passcode(v.get("info")), open.apply(v.text("sealedCode")), v.text("targetName"));
        case "message" -> values.message(v);
        case "redPacket" -> values.redPacket(v);
        case "claim" -> values.claim(v);
        default -> throw in.corrupt("kind", "unknown result kind '" + kind + "'");
      };
    });
  }}
