package io.fangroups.core.redpacket;

import java.time.Duration;
import java.util.Currency;
import java.util.Objects;
import java.util.Set;

/**
 * What a red packet may be, set on the SDK builder. The defaults follow the rules WeChat's group
 * red packets are commonly reported to have (at most 200 CNY a packet, at least 0.01 a share, at
 * most 100 shares, 24 hours to claim); they come from third-party descriptions, not a published
 * specification, so set your platform's own.
 *
 * @param currencies the ISO 4217 codes packets may be sent in
 * @param maxAmount the largest amount of one packet, in minor units
 * @param maxCount the most shares in one packet; also never more than the group's members
 * @param minShare the smallest share, in minor units
 * @param maxLifetime the longest lifetime a sender may set
 * @param maxMemberFor the longest membership a packet may ask of its claimers
 * @param maxGreetingLength the longest greeting, in characters (code points)
 * @param maxPhraseLength the longest phrase of a PHRASE packet, in characters (code points)
 */
public record RedPacketLimits(Set<String> currencies, long maxAmount, int maxCount, long minShare, Duration maxLifetime,
    Duration maxMemberFor, int maxGreetingLength, int maxPhraseLength) {
  /** 200.00 CNY a packet, 0.01 a share, 100 shares, 24 hours, 30 days of membership, 25-character greetings, 20-character phrases. */
  public static final RedPacketLimits DEFAULT = new RedPacketLimits(Set.of("CNY"), 20_000, 100, 1, Duration.ofHours(24),
      Duration.ofDays(30), 25, 20);

  /** Validates the limits; a bad one throws {@link IllegalArgumentException} naming it. */
  public RedPacketLimits {
    Objects.requireNonNull(currencies, "currencies");
    Objects.requireNonNull(maxLifetime, "maxLifetime");
    Objects.requireNonNull(maxMemberFor, "maxMemberFor");
    currencies = Set.copyOf(currencies);
    if (currencies.isEmpty()) {
      throw new IllegalArgumentException("currencies must name at least one currency");
    }
    for (String code : currencies) {
      try {
        Currency.getInstance(code);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("currencies: " + code + " is not an ISO 4217 code", e);
      }
    }
    if (minShare < 1 || maxCount < 1 || maxCount > 10_000) {
      throw new IllegalArgumentException("minShare must be at least 1 and maxCount 1 to 10000, got " + minShare
          + " and " + maxCount);
    }
    if (maxAmount < minShare || maxAmount > 1_000_000_000_000L) {
      throw new IllegalArgumentException("maxAmount must be between minShare and 10^12 minor units, got " + maxAmount);
    }
    if (maxLifetime.compareTo(Duration.ofMinutes(1)) < 0 || maxLifetime.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("maxLifetime must be between 1 minute and 7 days, got " + maxLifetime);
    }
    if (maxMemberFor.isNegative() || maxMemberFor.compareTo(Duration.ofDays(365)) > 0) {
      throw new IllegalArgumentException("maxMemberFor must be between 0 and 365 days, got " + maxMemberFor);
    }
    if (maxGreetingLength < 1 || maxGreetingLength > 200 || maxPhraseLength < 1 || maxPhraseLength > 200) {
      throw new IllegalArgumentException("maxGreetingLength and maxPhraseLength must be 1 to 200, got "
          + maxGreetingLength + " and " + maxPhraseLength);
    }
  }

  /** These limits with other currencies. */
  public RedPacketLimits withCurrencies(Set<String> codes) {
    return new RedPacketLimits(codes, maxAmount, maxCount, minShare, maxLifetime, maxMemberFor, maxGreetingLength,
        maxPhraseLength);
  }

  /** These limits with another largest amount. */
  public RedPacketLimits withMaxAmount(long minorUnits) {
    return new RedPacketLimits(currencies, minorUnits, maxCount, minShare, maxLifetime, maxMemberFor, maxGreetingLength,
        maxPhraseLength);
  }

  /** These limits with another largest count. */
  public RedPacketLimits withMaxCount(int shares) {
    return new RedPacketLimits(currencies, maxAmount, shares, minShare, maxLifetime, maxMemberFor, maxGreetingLength,
        maxPhraseLength);
  }

  /** These limits with another smallest share. */
  public RedPacketLimits withMinShare(long minorUnits) {
    return new RedPacketLimits(currencies, maxAmount, maxCount, minorUnits, maxLifetime, maxMemberFor, maxGreetingLength,
        maxPhraseLength);
  }

  /** These limits with another longest lifetime. */
  public RedPacketLimits withMaxLifetime(Duration lifetime) {
    return new RedPacketLimits(currencies, maxAmount, maxCount, minShare, lifetime, maxMemberFor, maxGreetingLength,
        maxPhraseLength);
  }
}
