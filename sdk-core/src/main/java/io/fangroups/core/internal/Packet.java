package io.fangroups.core.internal;

import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupChange.RedPacketRefunded;
import io.fangroups.core.event.GroupChange.RedPacketSent;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A red packet in its group's state: what was sent, the claims so far and the refund. Changed only under the group's lock. */
public final class Packet {
  public final RedPacketSent sent;
  public final Instant sentAt;
  private final List<RedPacketClaim> claims = new ArrayList<>();
  private final Map<UserId, RedPacketClaim> byUser = new HashMap<>();
  private long claimed;
  private long refunded;
  private @Nullable Instant refundedAt;

  public Packet(RedPacketSent sent, Instant sentAt) {
    this.sent = sent;
    this.sentAt = sentAt;
  }

  void claimed(RedPacketClaim claim) {
    claims.add(claim);
    byUser.put(claim.user(), claim);
    claimed += claim.amount();
  }

  void refunded(long amount, Instant at) {
    refunded += amount;
    refundedAt = at;
  }

  /** The user's claim, if they claimed. */
  public Optional<RedPacketClaim> claimOf(UserId user) {
    return Optional.ofNullable(byUser.get(user));
  }

  /** The refund of what is left, for an expiry or a disband. */
  public RedPacketRefunded refund() {
    return new RedPacketRefunded(sent.packet(), sent.sender(), remaining(), sent.spec().currency());
  }

  /** Claims so far, in order. */
  public List<RedPacketClaim> claims() {
    return claims;
  }

  public long refunded() {
    return refunded;
  }

  public @Nullable Instant refundedAt() {
    return refundedAt;
  }

  /** Neither claimed nor refunded. */
  public long remaining() {
    return sent.spec().amount() - claimed - refunded;
  }

  public boolean isEmptied() {
    return claims.size() == sent.spec().count();
  }

  public boolean isRefunded() {
    return refundedAt != null;
  }

  /** Claimable at {@code now}: shares left, not refunded and its lifetime not over. */
  public boolean isOpenAt(Instant now) {
    return !isEmptied() && !isRefunded() && now.isBefore(sent.expiresAt());
  }

  /** The share the next claim gets. */
  public long nextShare() {
    return sent.shares().get(claims.size());
  }

  public RedPacketState stateAt(Instant now) {
    if (isEmptied()) {
      return RedPacketState.EMPTIED;
    }
    if (isRefunded()) {
      return RedPacketState.REFUNDED;
    }
    return now.isBefore(sent.expiresAt()) ? RedPacketState.OPEN : RedPacketState.EXPIRED;
  }

  public RedPacketInfo info(GroupId group, Instant now) {
    RedPacketState state = stateAt(now);
    var spec = sent.spec();
    boolean random = spec.kind() == RedPacketKind.LUCKY || spec.kind() == RedPacketKind.PHRASE;
    Optional<RedPacketClaim> luckiest = random && state != RedPacketState.OPEN
        ? claims.stream().max(Comparator.comparingLong(RedPacketClaim::amount)
            .thenComparing(Comparator.comparingInt(RedPacketClaim::number).reversed()))
        : Optional.empty();
    return new RedPacketInfo(sent.packet(), group, sent.sender(), spec.kind(), spec.amount(), spec.currency(),
        spec.count(), spec.greeting(), spec.recipient(), spec.phrase(), spec.memberFor(), spec.eligibility().isPresent(),
        sentAt, sent.expiresAt(), state, claims, remaining(), refunded, luckiest);
  }
}
