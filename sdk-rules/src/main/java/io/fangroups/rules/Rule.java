package io.fangroups.rules;

import java.time.Instant;
import java.util.List;

/**
 * An admission rule: a tree of leaf predicates over facts combined with {@code all}, {@code any},
 * {@code not} and {@code atLeast}, plus references to named sub-rules and host-registered custom
 * predicates. Rules are plain immutable values; {@link RuleCompiler} validates and compiles them.
 *
 * <p>Rules obey the JSON form's limits when built, so that any rule can be written and read back: a
 * rule nesting deeper than 32 levels is refused with {@code RULE_TOO_DEEP}, and one with more than
 * 2,000 nodes (each value of an {@code in} list counting as one) with {@code RULE_TOO_LARGE}.
 *
 * <p>Evaluation is three-valued: a leaf over a missing or failed fact is unknown, and unknown
 * propagates by Kleene's logic (an {@code all} with a false child is false even if another child is
 * unknown).
 */
public sealed interface Rule {

  /** All children hold; {@code all()} with no children always holds. */
  static Rule all(Rule... rules) {
    return new All(Arguments.listOf("rules", rules));
  }

  /** At least one child holds; {@code any()} with no children never holds. */
  static Rule any(Rule... rules) {
    return new Any(Arguments.listOf("rules", rules));
  }

  /** The child does not hold. */
  static Rule not(Rule rule) {
    return new Not(rule);
  }

  /** At least {@code k} of the children hold. */
  static Rule atLeast(int k, Rule... rules) {
    return new AtLeast(k, Arguments.listOf("rules", rules));
  }

  /** A reference to a named sub-rule defined in the {@link Policy}. */
  static Rule ref(String name) {
    return new Ref(name);
  }

  /** A custom predicate registered with {@link RuleCompiler.Builder#predicate(CustomPredicate)}. */
  static Rule custom(String name) {
    return new Custom(name);
  }

  /** A comparison {@code fact op value}. */
  static Rule compare(String fact, Op op, Literal value) {
    return new Leaf(fact, op, List.of(Arguments.notNull(value, "value")));
  }

  /** {@code fact >= value} on a number fact. */
  static Rule atLeast(String fact, double value) {
    return compare(fact, Op.GE, Literal.of(value));
  }

  /** {@code fact == value} on a boolean fact. */
  static Rule is(String fact, boolean value) {
    return compare(fact, Op.EQ, Literal.of(value));
  }

  /** {@code min <= fact <= max} on a number fact. */
  static Rule between(String fact, double min, double max) {
    return new Leaf(fact, Op.BETWEEN, List.of(Literal.of(min), Literal.of(max)));
  }

  /** The string fact is one of the values. */
  static Rule in(String fact, String... values) {
    return new Leaf(fact, Op.IN, Arguments.listOf("values", values).stream().map(Literal::of).toList());
  }

  /** The string-set fact contains the value. */
  static Rule contains(String fact, String value) {
    return new Leaf(fact, Op.CONTAINS, List.of(Literal.of(value)));
  }

  /** The instant fact is strictly before the instant. */
  static Rule before(String fact, Instant instant) {
    return new Leaf(fact, Op.BEFORE, List.of(Literal.of(instant)));
  }

  /** The instant fact is strictly after the instant. */
  static Rule after(String fact, Instant instant) {
    return new Leaf(fact, Op.AFTER, List.of(Literal.of(instant)));
  }

  /** Conjunction. @param rules the children */
  record All(List<Rule> rules) implements Rule {
    /** Copies the children and checks the limits. */
    public All {
      rules = Arguments.listOf(rules, "rules");
      Limits.composite(rules);
    }
  }

  /** Disjunction. @param rules the children */
  record Any(List<Rule> rules) implements Rule {
    /** Copies the children and checks the limits. */
    public Any {
      rules = Arguments.listOf(rules, "rules");
      Limits.composite(rules);
    }
  }

  /** Negation. @param rule the child */
  record Not(Rule rule) implements Rule {
    /** Rejects null and checks the limits. */
    public Not {
      Limits.composite(List.of(Arguments.notNull(rule, "rule")));
    }
  }

  /**
   * Threshold: at least {@code k} of the children hold.
   *
   * @param k between 0 and the number of children
   * @param rules the children
   */
  record AtLeast(int k, List<Rule> rules) implements Rule {
    /** Copies the children and checks {@code 0 <= k <= rules.size()} and the limits. */
    public AtLeast {
      rules = Arguments.listOf(rules, "rules");
      Limits.composite(rules);
      if (k < 0 || k > rules.size()) {
        throw new RuleException(RuleException.Code.RULE_INVALID, null,
            "atLeast needs 0 <= k <= " + rules.size() + " (number of rules), got " + k);
      }
    }
  }

  /** Reference to a named sub-rule. @param name the definition's name */
  record Ref(String name) implements Rule {
    /** Rejects null. */
    public Ref {
      Arguments.notNull(name, "name");
    }
  }

  /** Host-registered predicate. @param name the predicate's registered name */
  record Custom(String name) implements Rule {
    /** Rejects null. */
    public Custom {
      Arguments.notNull(name, "name");
    }
  }

  /**
   * A leaf predicate over one fact.
   *
   * @param fact the fact's name
   * @param op the operator
   * @param values the operands: one, except two for {@link Op#BETWEEN} (min, max) and one or more
   *     for {@link Op#IN} (kept sorted and distinct); instants only with before and after
   */
  record Leaf(String fact, Op op, List<Literal> values) implements Rule {
    /** Checks arity and operand types against the operator; the fact's type is checked on compile. */
    public Leaf {
      Arguments.notNull(fact, "fact");
      Arguments.notNull(op, "op");
      values = Arguments.listOf(values, "values");
      int arity = values.size();
      boolean arityOk = switch (op) {
        case BETWEEN -> arity == 2;
        case IN -> arity >= 1;
        default -> arity == 1;
      };
      if (!arityOk) {
        throw new RuleException(RuleException.Code.RULE_INVALID, null,
            "operator " + op.symbol() + " takes " + (op == Op.BETWEEN ? "2 values" : op == Op.IN ? "1 or more values" : "1 value")
                + ", got " + arity);
      }
      FactType operand = values.get(0).type();
      for (Literal value : values) {
        if (value.type() != operand) {
          throw new RuleException(RuleException.Code.TYPE_MISMATCH, null, "operands of " + op.symbol() + " differ in type");
        }
      }
      boolean typeOk = switch (op) {
        case EQ, NE -> operand != FactType.INSTANT && operand != FactType.STRING_SET;
        case LT, LE, GT, GE, BETWEEN -> operand == FactType.NUMBER;
        case IN, CONTAINS -> operand == FactType.STRING;
        case BEFORE, AFTER -> operand == FactType.INSTANT;
      };
      if (!typeOk) {
        throw new RuleException(RuleException.Code.TYPE_MISMATCH, null,
            "operator " + op.symbol() + " does not take a " + operand + " value");
      }
      if (op == Op.BETWEEN) {
        Literal.Num min = (Literal.Num) values.get(0);
        Literal.Num max = (Literal.Num) values.get(1);
        if (min.value() > max.value()) {
          throw new RuleException(RuleException.Code.RULE_INVALID, null, "between needs min <= max");
        }
        if (min.unit() != max.unit()) {
          throw new RuleException(RuleException.Code.UNIT_MISMATCH, null, "between needs min and max in one unit");
        }
      }
      if (op == Op.IN) {
        // One canonical form: sorted, without duplicates.
        values = values.stream().map(v -> ((Literal.Str) v).value()).distinct().sorted().map(Literal::of).toList();
        Limits.nodes(values.size(), null);
      }
    }
  }
}
