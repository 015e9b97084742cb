package io.fangroups.core.redpacket;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.UserId;
import io.fangroups.core.internal.Checks;
import java.time.Instant;

/**
 * One claim of a red packet.
 *
 * @param packet the packet claimed
 * @param user who claimed it
 * @param number the claim's place, from 1 to the packet's count
 * @param amount the share, in minor units
 * @param currency the packet's ISO 4217 currency
 * @param claimedAt when (the SDK clock)
 */
public record RedPacketClaim(RedPacketId packet, UserId user, int number, long amount, String currency, Instant claimedAt) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public RedPacketClaim {
    Checks.notNull(packet, "packet");
    Checks.notNull(user, "user");
    Checks.notNull(currency, "currency");
    Checks.notNull(claimedAt, "claimedAt");
    if (number < 1 || amount < 1) {
      throw Checks.invalid("a claim's number and amount must be positive, got " + number + " and " + amount);
    }
  }
}
