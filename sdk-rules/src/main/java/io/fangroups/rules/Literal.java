package io.fangroups.rules;

import java.time.Instant;

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
      Arguments.notNull(unit, "unit");
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
    /** Rejects null and strings over 256 characters. */
    public Str {
      Arguments.notNull(value, "value");
      if (value.length() > 256) {
        throw new RuleException(RuleException.Code.RULE_TOO_LARGE, null, "strings may have at most 256 characters");
      }
    }

    @Override
    public FactType type() {
      return FactType.STRING;
    }
  }

  /** An instant in years 0 to 9999, to the microsecond. @param value the value */
  record Time(Instant value) implements Literal {
    /**
     * Refuses, with {@code TYPE_MISMATCH}, an instant finer than a microsecond or outside years 0 to
     * 9999: rounding would move a strict {@code before}/{@code after} and change the content hash.
     */
    public Time {
      Facts.micros(Arguments.notNull(value, "value"), null);
    }

    @Override
    public FactType type() {
      return FactType.INSTANT;
    }
  }
}
