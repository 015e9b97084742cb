package io.fangroups.rules;

import java.util.Collection;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The limits of a rule, the same for rules built in code and rules read from JSON: at most
 * {@value #MAX_DEPTH} levels of nesting and {@value #MAX_NODES} nodes, where each value of an
 * {@code in} list counts as a node. Every {@link Rule} value is checked when it is built, so no
 * rule can exist that its JSON form could not hold, and walking one (writing, hashing, comparing,
 * printing) never nests deeper than the limit.
 */
final class Limits {
  static final int MAX_DEPTH = 32;
  static final int MAX_NODES = 2_000;

  private Limits() {}

  /** Checks a composite over {@code kids} (already within the limits themselves). */
  static void composite(Collection<Rule> kids) {
    int depth = 0;
    int nodes = 1;
    for (Rule kid : kids) {
      depth = Math.max(depth, depth(kid));
      nodes += nodes(kid); // each kid has at most MAX_NODES: checked as the sum grows, it cannot overflow
      nodes(nodes, null);
    }
    if (depth + 1 > MAX_DEPTH) {
      throw tooDeep(null);
    }
  }

  /** Checks a node count. */
  static void nodes(int nodes, @Nullable String pointer) {
    if (nodes > MAX_NODES) {
      throw new RuleException(RuleException.Code.RULE_TOO_LARGE, pointer, "rules may have at most " + MAX_NODES
          + " nodes, each value of an in list counting as one and a definition counting wherever it is referenced");
    }
  }

  static RuleException tooDeep(@Nullable String pointer) {
    return new RuleException(RuleException.Code.RULE_TOO_DEEP, pointer, "rules may nest at most " + MAX_DEPTH + " deep");
  }

  /** The nodes of a leaf: one per value of an in list, else one. */
  static int nodes(Rule.Leaf leaf) {
    return leaf.op() == Op.IN ? leaf.values().size() : 1;
  }

  // Plain recursion: every Rule value is at most MAX_DEPTH deep, and at most MAX_NODES wide however
  // its parts are shared, so these walks are bounded.

  static int nodes(Rule rule) {
    if (rule instanceof Rule.Leaf leaf) {
      return nodes(leaf);
    }
    int nodes = 1;
    for (Rule kid : kids(rule)) {
      nodes += nodes(kid);
    }
    return nodes;
  }

  private static int depth(Rule rule) {
    int depth = 0;
    for (Rule kid : kids(rule)) {
      depth = Math.max(depth, depth(kid));
    }
    return depth + 1;
  }

  private static List<Rule> kids(Rule rule) {
    if (rule instanceof Rule.All all) {
      return all.rules();
    }
    if (rule instanceof Rule.Any any) {
      return any.rules();
    }
    if (rule instanceof Rule.AtLeast atLeast) {
      return atLeast.rules();
    }
    if (rule instanceof Rule.Not not) {
      return List.of(not.rule());
    }
    return List.of(); // leaves, references and custom predicates
  }
}
