package io.fangroups.core.internal.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupChange.RedPacketSent;
import io.fangroups.core.passcode.PasscodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A group snapshot's JSON. It names the wire format's version and its own layout's; a snapshot
 * written under any other pair is not read (the group is rebuilt from its events instead), so a
 * change to the fold or to the format never trusts a snapshot written before it.
 */
final class SnapshotFormat {
  /** Bump when the fold changes what it keeps, even if no field's JSON changes. */
  static final int LAYOUT = 2;
  /** Layout 1 is layout 2 without red packets (before there were any); it is read as having none. */
  private static final int LAYOUT_WITHOUT_RED_PACKETS = 1;

  private final ValueFormat values;
  private final WireFormat changes;

  SnapshotFormat(ValueFormat values, WireFormat changes) {
    this.values = values;
    this.changes = changes;
  }

  String encode(GroupSnapshot s) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("v", WireFormat.VERSION).put("layout", LAYOUT)
        .put("lastSequence", s.lastSequence()).put("createdAt", s.createdAt().toString()).put("owner", s.owner().value());
    out.set("settings", values.settings(s.settings()));
    out.put("status", s.status().name());
    ArrayNode members = out.putArray("members");
    s.members().forEach(m -> members.add(values.member(m)));
    ArrayNode requests = out.putArray("requests");
    s.requests().stream().sorted(Comparator.comparing(r -> r.id().value())).forEach(r -> requests.add(values.request(r)));
    ObjectNode pending = out.putObject("pending"); // in the order the requests came: kept as given
    s.pendingByUser().forEach((user, request) -> pending.put(user.value(), request.value()));
    sortedTimes(out.putObject("bans"), s.bans());
    sortedTimes(out.putObject("mutes"), s.mutes());
    out.put("slowMode", s.slowMode().toString());
    sortedTimes(out.putObject("lastPosted"), s.lastPosted());
    ArrayNode passcodes = out.putArray("passcodes");
    s.passcodes().forEach(p -> passcodes.add(p.value()));
    ArrayNode packets = out.putArray("redPackets");
    s.redPackets().forEach(p -> packets.add(packet(p)));
    return WireFormat.text(out);
  }

  /** A packet as its sent event's change, then its claims and refund. */
  private ObjectNode packet(GroupSnapshot.SavedPacket p) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("sentAt", p.sentAt().toString());
    out.set("sent", changes.change(p.sent()));
    ArrayNode claims = out.putArray("claims");
    p.claims().forEach(c -> claims.add(values.claim(c)));
    out.put("refunded", p.refunded());
    p.refundedAt().ifPresent(at -> out.put("refundedAt", at.toString()));
    return out;
  }

  private GroupSnapshot.SavedPacket packet(In p) {
    return new GroupSnapshot.SavedPacket((RedPacketSent) changes.change("RedPacketSent", p.get("sent")), p.instant("sentAt"),
        p.get("claims").elements().stream().map(values::claim).toList(), p.longValue("refunded"),
        p.optional("refundedAt").map(In::instant));
  }

  /** Sorted by user, so equal states write equal text whatever order their maps were filled in. */
  private static void sortedTimes(ObjectNode out, Map<UserId, Instant> times) {
    times.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(UserId::value)))
        .forEach(e -> out.put(e.getKey().value(), e.getValue().toString()));
  }

  /** The snapshot, or empty when it was written under another format version or layout. */
  Optional<GroupSnapshot> decode(String json) {
    JsonNode root;
    try {
      root = WireFormat.JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read a group snapshot: " + e.getMessage(), e);
    }
    In in = new In(root, "");
    if (!root.isObject() || !root.path("v").isInt() || root.get("v").intValue() != WireFormat.VERSION
        || !root.path("layout").isInt()
        || (root.get("layout").intValue() != LAYOUT && root.get("layout").intValue() != LAYOUT_WITHOUT_RED_PACKETS)) {
      return Optional.empty();
    }
    try {
      List<Member> members = new ArrayList<>();
      in.get("members").elements().forEach(m -> members.add(values.member(m)));
      List<JoinRequest> requests = new ArrayList<>();
      in.get("requests").elements().forEach(r -> requests.add(values.request(r)));
      return Optional.of(new GroupSnapshot(in.longValue("lastSequence"), in.instant("createdAt"), in.text("owner", UserId::of),
          values.settings(in.get("settings")), in.enumValue("status", GroupStatus.class), members, requests,
          map(in.get("pending"), v -> v.as(RequestId::of)), map(in.get("bans"), In::instant),
          map(in.get("mutes"), In::instant), in.duration("slowMode"), map(in.get("lastPosted"), In::instant),
          in.get("passcodes").elements().stream().map(p -> p.as(PasscodeId::of)).toList(),
          in.optional("redPackets").map(ps -> ps.elements().stream().map(this::packet).toList()).orElse(List.of())));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read a group snapshot: " + e.getMessage(), e);
    }
  }

  private static <V> Map<UserId, V> map(In object, Function<In, V> value) {
    Map<UserId, V> out = new LinkedHashMap<>();
    object.node().fieldNames().forEachRemaining(name -> out.put(UserId.of(name), value.apply(object.get(name))));
    return out;
  }
}
