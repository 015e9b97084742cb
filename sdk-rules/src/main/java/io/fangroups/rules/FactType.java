package io.fangroups.rules;

/** The type of a fact's value. */
public enum FactType {
  /** A number (days, levels, counts, host numbers); stored unboxed as a {@code double}. */
  NUMBER,
  /** A yes/no fact. */
  BOOLEAN,
  /** A string, for example a region code. */
  STRING,
  /** A set of strings, for example the ids of groups the applicant belongs to. */
  STRING_SET,
  /** A point in time, for example when the applicant started following. */
  INSTANT
}
