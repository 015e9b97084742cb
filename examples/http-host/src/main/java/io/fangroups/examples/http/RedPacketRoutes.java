package io.fangroups.examples.http;

import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketSpec;
import java.time.Duration;
import java.util.Optional;

/**
 * Red packets (群聊红包): sending one into a group, claiming a share, and the packet as a member sees
 * it. Amounts are JSON integers in the currency's minor unit (fen for CNY: 8888 is ¥88.88); a number
 * with a fraction or an exponent is refused, never rounded. Money moves through the SDK's wallet: the
 * amount is held when the packet is sent, and each claim is paid by the outbox relay shortly after it
 * is recorded.
 *
 * <pre>
 * POST /groups/{groupId}/red-packets  {"kind", "amount", "currency", "count", "greeting", "recipient", "phrase",
 *                                      "memberForHours", "lifetimeMinutes"}  → 201 the packet
 * POST /red-packets/{packetId}/claims {"phrase"} (PHRASE packets) or no body  → 201 the claim
 * GET  /red-packets/{packetId}        → the packet: claims, the luckiest, what is left, its state
 * </pre>
 */
final class RedPacketRoutes {
  /**
   * A new red packet.
   *
   * @param kind LUCKY, EQUAL, EXCLUSIVE or PHRASE; required
   * @param amount the whole amount in minor units (for EQUAL, the share times the count); required
   * @param currency ISO 4217 code, one the SDK's red-packet limits accept (CNY by default); required
   * @param count how many shares; required but for EXCLUSIVE, which has one
   * @param greeting shown on the packet; 恭喜发财，大吉大利 when absent
   * @param recipient the member an EXCLUSIVE packet is for, and only then
   * @param phrase what a PHRASE packet's claimers type, and only then
   * @param memberForHours claimers must have been members this long when it was sent; 0 when absent
   * @param lifetimeMinutes how long it can be claimed; 24 hours when absent
   */
  record NewRedPacket(RedPacketKind kind, Long amount, String currency, Integer count, String greeting,
      String recipient, String phrase, Integer memberForHours, Integer lifetimeMinutes) {

    /** The SDK's spec; the SDK checks the combination (a recipient only for EXCLUSIVE …) and its limits. */
    RedPacketSpec spec() {
      RedPacketKind packetKind = required(kind, "kind");
      int shares = packetKind == RedPacketKind.EXCLUSIVE && count == null ? 1 : required(count, "count");
      return new RedPacketSpec(packetKind, required(amount, "amount"), required(currency, "currency"), shares,
          greeting == null ? RedPacketSpec.DEFAULT_GREETING : greeting, Optional.ofNullable(recipient).map(UserId::of),
          Optional.ofNullable(phrase), memberForHours == null ? Duration.ZERO : Duration.ofHours(memberForHours),
          Optional.empty(), lifetimeMinutes == null ? RedPacketSpec.DEFAULT_LIFETIME : Duration.ofMinutes(lifetimeMinutes));
    }

    private static <T> T required(T value, String field) {
      if (value == null) {
        throw new FanGroupsException(ErrorCode.INVALID_ARGUMENT, "field '" + field + "' is required");
      }
      return value;
    }
  }

  /**
   * A claim's body, which only PHRASE packets need.
   *
   * @param phrase what the claimer typed
   */
  record NewClaim(String phrase) {}

  private final FanGroups fanGroups;

  RedPacketRoutes(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  void register(Router router) {
    router.post("/groups/{groupId}/red-packets", this::send)
        .post("/red-packets/{packetId}/claims", this::claim)
        .get("/red-packets/{packetId}", this::packet);
  }

  private Reply send(Call call) {
    CommandContext ctx = call.context();
    GroupId group = GroupId.of(call.pathVariable("groupId"));
    RedPacketSpec spec = call.body(NewRedPacket.class).spec();
    return Reply.created(RedPacketView.of(fanGroups.sendRedPacket(ctx, group, spec)));
  }

  private Reply claim(Call call) {
    CommandContext ctx = call.context();
    RedPacketId packet = packetId(call);
    Optional<String> phrase = call.optionalBody(NewClaim.class).map(NewClaim::phrase);
    return Reply.created(phrase.isPresent() ? fanGroups.claimRedPacket(ctx, packet, phrase.get())
        : fanGroups.claimRedPacket(ctx, packet));
  }

  private Reply packet(Call call) {
    UserId viewer = call.user();
    return Reply.ok(RedPacketView.of(fanGroups.redPacket(viewer, packetId(call))));
  }

  private static RedPacketId packetId(Call call) {
    return RedPacketId.of(call.pathVariable("packetId"));
  }
}
