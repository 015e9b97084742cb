package io.fangroups.rules;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * An obviously-correct interpreter over the rule tree as written: no negation normal form, no
 * flattening, no reordering. Facts are a map from name to value; an absent name is missing and
 * {@link #FAILED} means the fetch failed. Leaves may be overridden by JSON Pointer.
 */
final class ReferenceInterpreter {
  static final Object FAILED = new Object() {
    @Override
    public String toString() {
      return "FAILED";
    }
  };

  private final Map<String, Rule> definitions;
  private final Map<String, Object> facts;
  private final BiFunction<String, Boolean, Truth> override;

  /**
   * @param override given a leaf's pointer and whether it sits under an odd number of nots, returns
   *     the truth to use instead of evaluating it, or null to evaluate
   */
  private ReferenceInterpreter(Map<String, Rule> definitions, Map<String, Object> facts,
      BiFunction<String, Boolean, Truth> override) {
    this.definitions = definitions;
    this.facts = facts;
    this.override = override;
  }

  static Truth eval(Policy policy, Map<String, Object> facts) {
    return eval(policy, facts, (pointer, negated) -> null);
  }

  static Truth eval(Policy policy, Map<String, Object> facts, BiFunction<String, Boolean, Truth> override) {
    return new ReferenceInterpreter(policy.definitions(), facts, override).eval(policy.rule(), "/rule", false);
  }

  private Truth eval(Rule rule, String pointer, boolean negated) {
    if (rule instanceof Rule.All all) {
      Truth result = Truth.TRUE;
      for (int i = 0; i < all.rules().size(); i++) {
        result = and(result, eval(all.rules().get(i), pointer + "/all/" + i, negated));
      }
      return result;
    }
    if (rule instanceof Rule.Any any) {
      Truth result = Truth.FALSE;
      for (int i = 0; i < any.rules().size(); i++) {
        result = or(result, eval(any.rules().get(i), pointer + "/any/" + i, negated));
      }
      return result;
    }
    if (rule instanceof Rule.Not not) {
      return negate(eval(not.rule(), pointer + "/not", !negated));
    }
    if (rule instanceof Rule.AtLeast atLeast) {
      int trues = 0;
      int unknowns = 0;
      for (int i = 0; i < atLeast.rules().size(); i++) {
        Truth t = eval(atLeast.rules().get(i), pointer + "/atLeast/of/" + i, negated);
        trues += t == Truth.TRUE ? 1 : 0;
        unknowns += t == Truth.UNKNOWN ? 1 : 0;
      }
      return trues >= atLeast.k() ? Truth.TRUE : trues + unknowns >= atLeast.k() ? Truth.UNKNOWN : Truth.FALSE;
    }
    if (rule instanceof Rule.Ref ref) {
      return eval(definitions.get(ref.name()), "/definitions/" + ref.name(), negated);
    }
    Truth forced = override.apply(pointer, negated);
    if (forced != null) {
      return forced;
    }
    if (rule instanceof Rule.Custom custom) {
      return Generators.customTruth(custom.name(), facts);
    }
    Rule.Leaf leaf = (Rule.Leaf) rule;
    Object value = facts.get(leaf.fact());
    if (value == null || value == FAILED) {
      return Truth.UNKNOWN;
    }
    return leaf(leaf, value) ? Truth.TRUE : Truth.FALSE;
  }

  @SuppressWarnings("unchecked")
  private static boolean leaf(Rule.Leaf leaf, Object value) {
    Literal first = leaf.values().get(0);
    return switch (leaf.op()) {
      case EQ -> equal(first, value);
      case NE -> !equal(first, value);
      case LT -> (Double) value < num(first);
      case LE -> (Double) value <= num(first);
      case GT -> (Double) value > num(first);
      case GE -> (Double) value >= num(first);
      case BETWEEN -> (Double) value >= num(first) && (Double) value <= num(leaf.values().get(1));
      case IN -> leaf.values().stream().anyMatch(v -> ((Literal.Str) v).value().equals(value));
      case CONTAINS -> ((Set<String>) value).contains(((Literal.Str) first).value());
      case BEFORE -> ((Instant) value).isBefore(((Literal.Time) first).value());
      case AFTER -> ((Instant) value).isAfter(((Literal.Time) first).value());
    };
  }

  private static boolean equal(Literal literal, Object value) {
    if (literal instanceof Literal.Num num) {
      return num.value() == (Double) value;
    }
    if (literal instanceof Literal.Bool bool) {
      return bool.value() == (Boolean) value;
    }
    return ((Literal.Str) literal).value().equals(value);
  }

  private static double num(Literal literal) {
    return ((Literal.Num) literal).value();
  }

  static Truth and(Truth a, Truth b) {
    if (a == Truth.FALSE || b == Truth.FALSE) {
      return Truth.FALSE;
    }
    return a == Truth.UNKNOWN || b == Truth.UNKNOWN ? Truth.UNKNOWN : Truth.TRUE;
  }

  static Truth or(Truth a, Truth b) {
    if (a == Truth.TRUE || b == Truth.TRUE) {
      return Truth.TRUE;
    }
    return a == Truth.UNKNOWN || b == Truth.UNKNOWN ? Truth.UNKNOWN : Truth.FALSE;
  }

  static Truth negate(Truth a) {
    return a == Truth.TRUE ? Truth.FALSE : a == Truth.FALSE ? Truth.TRUE : Truth.UNKNOWN;
  }
}
