package io.fangroups.rules;

/** Three-valued truth, as returned by custom predicates and rules. */
public enum Truth {
  /** Does not hold. */
  FALSE,
  /** Cannot be told: a fact was missing or failed to load. */
  UNKNOWN,
  /** Holds. */
  TRUE;

  // Ordinals order FALSE < UNKNOWN < TRUE, so Kleene's "and" is min, "or" is max and "not" is 2 - x.
  static final int F = 0;
  static final int U = 1;
  static final int T = 2;
  private static final Truth[] BY_CODE = values();

  static Truth of(int code) {
    return BY_CODE[code];
  }
}
