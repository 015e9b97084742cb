package io.fangroups.examples.http;

import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A red packet as the API shows it. Amounts are in the currency's minor unit (fen for CNY); each
 * claim is shown as {@code POST /red-packets/{id}/claims} answers it.
 *
 * @param id the packet
 * @param group the group it was sent in
 * @param sender who sent it (and gets the remainder back)
 * @param kind LUCKY, EQUAL, EXCLUSIVE or PHRASE
 * @param amount the whole amount
 * @param currency ISO 4217 code
 * @param count how many shares
 * @param greeting shown on the packet
 * @param recipient the member an EXCLUSIVE packet is for
 * @param phrase what a PHRASE packet's claimers type
 * @param memberFor how long a claimer must have been a member when it was sent (ISO-8601)
 * @param ruleRequired whether claimers must also meet an eligibility rule
 * @param sentAt when it was sent
 * @param expiresAt when what is left returns to the sender
 * @param state OPEN, EMPTIED, EXPIRED or REFUNDED
 * @param sharesLeft shares still to claim (0 unless OPEN)
 * @param remaining what is neither claimed nor refunded
 * @param refunded what was returned to the sender
 * @param claims in claim order, each with its amount and time
 * @param luckiest the largest share of a LUCKY or PHRASE packet (手气最佳), once no more claims can come
 */
record RedPacketView(RedPacketId id, GroupId group, UserId sender, RedPacketKind kind, long amount, String currency,
    int count, String greeting, Optional<UserId> recipient, Optional<String> phrase, Duration memberFor,
    boolean ruleRequired, Instant sentAt, Instant expiresAt, RedPacketState state, int sharesLeft, long remaining,
    long refunded, List<RedPacketClaim> claims, Optional<RedPacketClaim> luckiest) {

  static RedPacketView of(RedPacketInfo p) {
    return new RedPacketView(p.id(), p.group(), p.sender(), p.kind(), p.amount(), p.currency(), p.count(), p.greeting(),
        p.recipient(), p.phrase(), p.memberFor(), p.ruleRequired(), p.sentAt(), p.expiresAt(), p.state(), p.sharesLeft(),
        p.remaining(), p.refunded(), p.claims(), p.luckiest());
  }
}
