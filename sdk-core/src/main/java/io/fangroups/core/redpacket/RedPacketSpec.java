package io.fangroups.core.redpacket;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * What a sender puts in a red packet. Start from {@link #lucky}, {@link #equal}, {@link #exclusive}
 * or {@link #phrase} and adjust with the {@code with…} methods. The SDK checks the amount, count,
 * currency, texts and lifetime against the builder's {@link RedPacketLimits} when the packet is sent.
 *
 * @param kind how it is split and who may claim it
 * @param amount the whole amount in minor units (fen for CNY)
 * @param currency ISO 4217 code, one of the limits' currencies
 * @param count how many shares; 1 for EXCLUSIVE
 * @param greeting shown on the packet (恭喜发财，大吉大利 by default)
 * @param recipient the one member an EXCLUSIVE packet is for; empty otherwise
 * @param phrase what a PHRASE packet's claimers type; empty otherwise
 * @param memberFor a claimer must have been a member this long when the packet was sent (zero: any member)
 * @param eligibility a rule the claimer must meet (e.g. fan-club level ≥ 3), asked with the host's facts
 * @param lifetime how long it can be claimed; what is left then returns to the sender
 */
public record RedPacketSpec(RedPacketKind kind, long amount, String currency, int count, String greeting,
    Optional<UserId> recipient, Optional<String> phrase, Duration memberFor, Optional<AdmissionPolicy> eligibility,
    Duration lifetime) {
  /** The greeting unless the sender writes one. */
  public static final String DEFAULT_GREETING = "恭喜发财，大吉大利";
  /** The lifetime unless the sender sets one: unclaimed money returns after 24 hours, as in WeChat and QQ. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

  /**
   * Validates the shape: {@link ErrorCode#INVALID_ARGUMENT} for a null, a non-positive amount or
   * count, a negative or zero duration, an EXCLUSIVE packet without a recipient or with a count
   * other than 1, a PHRASE packet without a phrase, a recipient or phrase on another kind, and an
   * EQUAL amount that the count does not divide.
   */
  public RedPacketSpec {
    Checks.notNull(kind, "kind");
    Checks.notNull(currency, "currency");
    greeting = Checks.text(greeting, "greeting", Integer.MAX_VALUE);
    Checks.notNull(recipient, "recipient");
    Checks.notNull(phrase, "phrase");
    Checks.notNull(memberFor, "memberFor");
    Checks.notNull(eligibility, "eligibility");
    Checks.positive(lifetime, "lifetime");
    if (amount <= 0) {
      throw Checks.invalid("amount must be positive (minor units), got " + amount);
    }
    if (count <= 0) {
      throw Checks.invalid("count must be positive, got " + count);
    }
    if (memberFor.isNegative()) {
      throw Checks.invalid("memberFor must not be negative, got " + memberFor);
    }
    if ((kind == RedPacketKind.EXCLUSIVE) != recipient.isPresent()) {
      throw Checks.invalid("an EXCLUSIVE packet, and only one, names its recipient");
    }
    if (kind == RedPacketKind.EXCLUSIVE && count != 1) {
      throw Checks.invalid("an EXCLUSIVE packet has one share, got count " + count);
    }
    if ((kind == RedPacketKind.PHRASE) != phrase.isPresent()) {
      throw Checks.invalid("a PHRASE packet, and only one, has a phrase");
    }
    phrase = phrase.map(p -> Checks.text(p, "phrase", Integer.MAX_VALUE));
    if (kind == RedPacketKind.EQUAL && amount % count != 0) {
      throw Checks.invalid("an EQUAL packet's amount must be the share times the count: " + amount
          + " is not divisible by " + count);
    }
  }

  /** A lucky packet (拼手气): {@code amount} minor units in {@code count} random shares. */
  public static RedPacketSpec lucky(long amount, String currency, int count) {
    return new RedPacketSpec(RedPacketKind.LUCKY, amount, currency, count, DEFAULT_GREETING, Optional.empty(),
        Optional.empty(), Duration.ZERO, Optional.empty(), DEFAULT_LIFETIME);
  }

  /** An equal packet (普通): {@code count} shares of {@code share} minor units each. */
  public static RedPacketSpec equal(long share, String currency, int count) {
    if (share <= 0 || count <= 0 || share > Long.MAX_VALUE / count) {
      throw Checks.invalid("share and count must be positive and their product a long, got " + share + " × " + count);
    }
    return new RedPacketSpec(RedPacketKind.EQUAL, share * count, currency, count, DEFAULT_GREETING, Optional.empty(),
        Optional.empty(), Duration.ZERO, Optional.empty(), DEFAULT_LIFETIME);
  }

  /** An exclusive packet (专属红包): {@code amount} minor units for one member. */
  public static RedPacketSpec exclusive(long amount, String currency, UserId recipient) {
    return new RedPacketSpec(RedPacketKind.EXCLUSIVE, amount, currency, 1, DEFAULT_GREETING,
        Optional.of(Checks.notNull(recipient, "recipient")), Optional.empty(), Duration.ZERO, Optional.empty(),
        DEFAULT_LIFETIME);
  }

  /** A phrase packet (口令红包): random shares claimed by typing {@code phrase}. */
  public static RedPacketSpec phrase(long amount, String currency, int count, String phrase) {
    return new RedPacketSpec(RedPacketKind.PHRASE, amount, currency, count, DEFAULT_GREETING, Optional.empty(),
        Optional.of(Checks.notNull(phrase, "phrase")), Duration.ZERO, Optional.empty(), DEFAULT_LIFETIME);
  }

  /** This packet with another greeting. */
  public RedPacketSpec withGreeting(String text) {
    return new RedPacketSpec(kind, amount, currency, count, text, recipient, phrase, memberFor, eligibility, lifetime);
  }

  /** This packet claimable only by members of at least {@code duration} when it is sent (stops join-to-grab). */
  public RedPacketSpec withMemberFor(Duration duration) {
    return new RedPacketSpec(kind, amount, currency, count, greeting, recipient, phrase, duration, eligibility, lifetime);
  }

  /** This packet claimable only by members the policy allows (a rule such as fan-club level ≥ 3). */
  public RedPacketSpec withEligibility(AdmissionPolicy policy) {
    return new RedPacketSpec(kind, amount, currency, count, greeting, recipient, phrase, memberFor,
        Optional.of(Checks.notNull(policy, "eligibility")), lifetime);
  }

  /** This packet with another lifetime. */
  public RedPacketSpec withLifetime(Duration duration) {
    return new RedPacketSpec(kind, amount, currency, count, greeting, recipient, phrase, memberFor, eligibility, duration);
  }
}
