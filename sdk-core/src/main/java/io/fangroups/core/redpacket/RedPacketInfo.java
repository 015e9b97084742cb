package io.fangroups.core.redpacket;

import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A red packet as its group's members see it.
 *
 * @param id the packet
 * @param group the group it was sent in
 * @param sender who sent it (and gets the remainder back)
 * @param kind how it is split and who may claim it
 * @param amount the whole amount, in minor units
 * @param currency ISO 4217 code
 * @param count how many shares
 * @param greeting shown on the packet
 * @param recipient the one member an EXCLUSIVE packet is for
 * @param phrase what a PHRASE packet's claimers type (members see it, as on the packet itself)
 * @param memberFor how long a claimer must have been a member when it was sent
 * @param ruleRequired whether claimers must also meet an eligibility rule
 * @param sentAt when it was sent (the SDK clock)
 * @param expiresAt when its lifetime ends
 * @param state open, emptied, expired or refunded as of the query
 * @param claims the claims, in order
 * @param remaining what is neither claimed nor refunded, in minor units
 * @param refunded what was returned to the sender, in minor units
 * @param luckiest once no more claims can come (emptied, expired or refunded), the largest share of a
 *     LUCKY or PHRASE packet (手气最佳), the earliest on a tie; empty otherwise
 */
public record RedPacketInfo(RedPacketId id, GroupId group, UserId sender, RedPacketKind kind, long amount,
    String currency, int count, String greeting, Optional<UserId> recipient, Optional<String> phrase,
    Duration memberFor, boolean ruleRequired, Instant sentAt, Instant expiresAt, RedPacketState state,
    List<RedPacketClaim> claims, long remaining, long refunded, Optional<RedPacketClaim> luckiest) {
  /** Copies the claims. */
  public RedPacketInfo {
    claims = List.copyOf(claims);
  }

  /** How many shares are left to claim (zero once refunded). */
  public int sharesLeft() {
    return state == RedPacketState.OPEN ? count - claims.size() : 0;
  }
}
