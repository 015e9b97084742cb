package io.fangroups.core.internal.format;

import io.fangroups.core.GroupSettings;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupChange.RedPacketSent;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.redpacket.RedPacketClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A group's folded state as of {@code lastSequence}, in the shape a snapshot is written: what the
 * engine's group state holds, without the engine's types. Maps keep the order they are given in
 * (members and pending requests in the order they came).
 */
public record GroupSnapshot(long lastSequence, Instant createdAt, UserId owner, GroupSettings settings, GroupStatus status,
    List<Member> members, List<JoinRequest> requests, Map<UserId, RequestId> pendingByUser, Map<UserId, Instant> bans,
    Map<UserId, Instant> mutes, Duration slowMode, Map<UserId, Instant> lastPosted, List<PasscodeId> passcodes,
    List<SavedPacket> redPackets) {

  /** A red packet: as sent, its claims in order, and its refund if recorded. */
  public record SavedPacket(RedPacketSent sent, Instant sentAt, List<RedPacketClaim> claims, long refunded,
      Optional<Instant> refundedAt) {}
}
