package io.fangroups.rules;

/** Stable codes for why a clause failed. Never renamed or reused; new ones may be added. */
public enum ReasonCode {
  /** A number must be at least (or more than) a bound and is lower. */
  BELOW_MINIMUM,
  /** A number must be at most (or less than) a bound and is higher. */
  ABOVE_MAXIMUM,
  /** A number must lie in a range and does not. */
  OUT_OF_RANGE,
  /** A number must lie outside a range and does not. */
  IN_FORBIDDEN_RANGE,
  /** A value must equal the expected value. */
  NOT_EQUAL,
  /** A value must not be the one it is. */
  FORBIDDEN_VALUE,
  /** A string must be one of a list. */
  NOT_IN_LIST,
  /** A set must contain an element (for example membership of another group). */
  MISSING_MEMBERSHIP,
  /** A set must not contain an element. */
  FORBIDDEN_MEMBERSHIP,
  /** An instant must be earlier. */
  TOO_LATE,
  /** An instant must be later. */
  TOO_EARLY,
  /** A host-registered predicate did not hold. */
  CUSTOM_NOT_MET,
  /** The fact was missing or failed to load, so the clause is unknown. */
  FACT_UNKNOWN,
  /** A host-registered predicate could not decide (it threw, returned null or unknown). */
  CUSTOM_UNKNOWN,
  /** A clause over a sensitive fact failed; its details are not disclosed. */
  RESTRICTED;

  private final String messageKey = "reason." + name().toLowerCase(java.util.Locale.ROOT);

  /** Returns the message key, {@code "reason."} and the lower-case code. */
  public String messageKey() {
    return messageKey;
  }
}
