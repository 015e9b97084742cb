package io.fangroups.rules;

import java.time.Instant;
import java.util.Objects;

/** A constant in a rule: a number (with an optional unit), a boolean, a string or an instant. */
public sealed interface Literal {

  /** Returns the fact type this literal can be compared with. */
  FactType type();

  /** Returns a unitless number. */
  static Literal of(double value) {
    return new Num(value, FactUnit.NONE);
  }

  /** Returns a number with a unit, checked against the fact's unit. */
  static Literal of(double value, FactUnit unit) {
    return new Num(value, unit);
  }

  /** Returns a boolean. */
  static Literal of(boolean value) {
    return new Bool(value);
  }

  /** Returns a string. */
  static Literal of(String value) {
    return new Str(value);
  }

  /** Returns an instant. */
  static Literal of(Instant value) {
    return new Time(value);
  }

  /**
   * A finite number.
   *
   * @param value the value
   * @param unit the stated unit, {@link FactUnit#NONE} if none was stated
   */
  record Num(double value, FactUnit unit) implements Literal {
    /** Rejects NaN and infinities; normalises -0 to 0 so equal numbers have one canonical form. */
    public Num {
      Objects.requireNonNull(unit, "unit");
      if (!Double.isFinite(value)) {
        throw new RuleException(RuleException.Code.RULE_INVALID, null, "number must be finite: " + value);
      }
      value = value == 0.0 ? 0.0 : value;
    }

    @Override
    public FactType type() {
      return FactType.NUMBER;
    }
  }

  /** A boolean. @param value the value */
  record Bool(boolean value) implements Literal {
    @Override
    public FactType type() {
      return FactType.BOOLEAN;
    }
  }

  /** A string of at most 256 characters. @param value the value */
  record Str(String value) implements Literal {
    /** Rejects null. */
    public Str {
      Objects.requireNonNull(value, "value");
      if (value.length() > 256) {
        throw new RuleException(RuleException.Code.RULE_TOO_LARGE, null, "strings may have at most 256 characters");
      }
    }

    @Override
    public FactType type() {
      return FactType.STRING;
    }
  }

  /** An instant. @param value the value */
  record Time(Instant value) implements Literal {
    private static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");

    /** Truncates to milliseconds, the precision of comparison, and keeps years 0 to 9999. */
    public Time {
      Objects.requireNonNull(value, "value");
      if (value.isBefore(MIN) || value.isAfter(MAX)) {
        throw new RuleException(RuleException.Code.RULE_INVALID, null, "instant must be in years 0 to 9999: " + value);
      }
      value = value.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Override
    public FactType type() {
      return FactType.INSTANT;
    }
  }
}
