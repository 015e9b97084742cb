package io.fangroups.rules;

/** The unit of a numeric fact; rule literals may state a unit, which must then match. */
public enum FactUnit {
  /** No unit (booleans, strings, instants, plain numbers). */
  NONE,
  /** Whole days. */
  DAYS,
  /** A level on a ladder, such as the fan-club level. */
  LEVEL,
  /** A count of things. */
  COUNT
}
