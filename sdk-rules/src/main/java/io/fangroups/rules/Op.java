package io.fangroups.rules;

import java.util.Arrays;
import java.util.Optional;

/** The operator of a leaf predicate, with its JSON symbol. */
public enum Op {
  /** Equal; any scalar type. */
  EQ("=="),
  /** Not equal; any scalar type. */
  NE("!="),
  /** Less than; numbers. */
  LT("<"),
  /** Less than or equal; numbers. */
  LE("<="),
  /** Greater than; numbers. */
  GT(">"),
  /** Greater than or equal; numbers. */
  GE(">="),
  /** Inclusive range {@code min <= fact <= max}; numbers. Two literals. */
  BETWEEN("between"),
  /** The string fact is one of the literals. One or more string literals. */
  IN("in"),
  /** The string-set fact contains the literal. */
  CONTAINS("contains"),
  /** The instant fact is strictly before the literal. */
  BEFORE("before"),
  /** The instant fact is strictly after the literal. */
  AFTER("after");

  private final String symbol;

  Op(String symbol) {
    this.symbol = symbol;
  }

  /** Returns the JSON symbol, for example {@code ">="}. */
  public String symbol() {
    return symbol;
  }

  /** Returns the operator with this JSON symbol. */
  public static Optional<Op> ofSymbol(String symbol) {
    Arguments.notNull(symbol, "symbol");
    return Arrays.stream(values()).filter(op -> op.symbol.equals(symbol)).findFirst();
  }

  boolean isOrdering() {
    return this == LT || this == LE || this == GT || this == GE;
  }
}
