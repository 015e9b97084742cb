package io.fangroups.rules;

import java.util.regex.Pattern;

/**
 * A fact about an applicant relative to a creator and group, as declared in a {@link FactSchema}.
 *
 * @param name the name rules use, lower snake case ({@code days_following})
 * @param type the value type
 * @param unit the unit; {@link FactUnit#NONE} unless the type is {@link FactType#NUMBER}
 * @param disclosure whether the fact may be shown to the applicant
 * @param change how the fact can change; sensitive facts are never suggested whatever this says
 */
public record Fact(String name, FactType type, FactUnit unit, Disclosure disclosure, FactChange change) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /** Days the applicant has followed the creator; grows with time. */
  public static final Fact DAYS_FOLLOWING =
      of("days_following", FactType.NUMBER, FactUnit.DAYS, Disclosure.PUBLIC, FactChange.GROWS_WITH_TIME);
  /** When the applicant started following the creator. */
  public static final Fact FOLLOWED_SINCE =
      of("followed_since", FactType.INSTANT, FactUnit.NONE, Disclosure.PUBLIC, FactChange.IMMUTABLE);
  /** Whether the applicant is a member of the creator's fan club. */
  public static final Fact FAN_CLUB_MEMBER =
      of("fan_club_member", FactType.BOOLEAN, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_GAIN);
  /** The applicant's fan-club level (0 if not a member). */
  public static final Fact FAN_CLUB_LEVEL =
      of("fan_club_level", FactType.NUMBER, FactUnit.LEVEL, Disclosure.PUBLIC, FactChange.USER_GAIN);
  /** Age of the applicant's account in days; grows with time. */
  public static final Fact ACCOUNT_AGE_DAYS =
      of("account_age_days", FactType.NUMBER, FactUnit.DAYS, Disclosure.PUBLIC, FactChange.GROWS_WITH_TIME);
  /** Whether the creator banned the applicant. Sensitive. */
  public static final Fact BANNED =
      of("banned", FactType.BOOLEAN, FactUnit.NONE, Disclosure.SENSITIVE, FactChange.IMMUTABLE);
  /** Whether the creator blocked the applicant. Sensitive. */
  public static final Fact BLOCKED =
      of("blocked", FactType.BOOLEAN, FactUnit.NONE, Disclosure.SENSITIVE, FactChange.IMMUTABLE);
  /** The applicant's region code. Sensitive. */
  public static final Fact REGION =
      of("region", FactType.STRING, FactUnit.NONE, Disclosure.SENSITIVE, FactChange.IMMUTABLE);
  /** Ids of the creator's other groups the applicant belongs to ("restricted" joins). */
  public static final Fact MEMBER_OF_GROUPS =
      of("member_of_groups", FactType.STRING_SET, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_ACTION);
  /** Whether the applicant has a verified phone number. */
  public static final Fact PHONE_VERIFIED =
      of("phone_verified", FactType.BOOLEAN, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_GAIN);

  /** Validates the declaration. */
  public Fact {
    Arguments.notNull(name, "name");
    Arguments.notNull(type, "type");
    Arguments.notNull(unit, "unit");
    Arguments.notNull(disclosure, "disclosure");
    Arguments.notNull(change, "change");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("fact name must be lower snake case, 1-64 chars: " + name);
    }
    if (unit != FactUnit.NONE && type != FactType.NUMBER) {
      throw new IllegalArgumentException("only NUMBER facts have a unit: " + name);
    }
    if (change == FactChange.GROWS_WITH_TIME && type != FactType.NUMBER) {
      throw new IllegalArgumentException("only NUMBER facts can grow with time: " + name);
    }
  }

  /**
   * Declares a fact.
   *
   * @return the fact
   */
  public static Fact of(String name, FactType type, FactUnit unit, Disclosure disclosure, FactChange change) {
    return new Fact(name, type, unit, disclosure, change);
  }

  /** Returns whether the fact may be suggested as a wait or an action. */
  public boolean suggestible() {
    return disclosure == Disclosure.PUBLIC && change != FactChange.IMMUTABLE;
  }
}
