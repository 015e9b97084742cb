package io.fangroups.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link Policy} into a {@link Node} tree: resolves references, checks facts, types and
 * units, pushes negation down to the leaves, flattens nested all/any and folds constants, keeping
 * the written order (in which reasons are given). In checking mode it records every error as a {@link Finding} instead of
 * throwing on the first.
 */
final class Lowering {
  private final FactSchema schema;
  private final Map<String, CustomPredicate> predicates;
  private final Policy policy;
  private final @Nullable List<Finding> findings;
  private final Deque<String> refStack = new ArrayDeque<>();
  private final Set<String> usedDefinitions = new HashSet<>();
  private int nodes;

  private Lowering(FactSchema schema, Map<String, CustomPredicate> predicates, Policy policy,
      @Nullable List<Finding> findings) {
    this.schema = schema;
    this.predicates = predicates;
    this.policy = policy;
    this.findings = findings;
  }

  /** Lowers the policy, throwing the first error. */
  static Node lower(FactSchema schema, Map<String, CustomPredicate> predicates, Policy policy) {
    return new Lowering(schema, predicates, policy, null).root();
  }

  /** Lowers the policy, collecting errors into {@code findings}; returns null if there were any. */
  static @Nullable Node check(FactSchema schema, Map<String, CustomPredicate> predicates, Policy policy, List<Finding> findings) {
    Lowering lowering = new Lowering(schema, predicates, policy, findings);
    int before = findings.size();
    Node root;
    try {
      root = lowering.root();
    } catch (RuleException e) {
      // Size and depth limits abort the walk even when collecting.
      findings.add(Finding.of(e));
      return null;
    }
    for (String name : policy.definitions().keySet()) {
      if (!lowering.usedDefinitions.contains(name)) {
        findings.add(new Finding(Finding.Code.UNUSED_DEFINITION, "/definitions/" + Pointers.escape(name),
            "definition '" + name + "' is never referenced; remove it or reference it with {\"ref\":\"" + name + "\"}"));
      }
    }
    return findings.size() == before ? root : null;
  }

  private Node root() {
    return lower(policy.rule(), "/rule", false, 1);
  }

  private Node lower(Rule rule, String pointer, boolean negated, int depth) {
    if (depth > Limits.MAX_DEPTH) {
      throw Limits.tooDeep(pointer);
    }
    nodes += rule instanceof Rule.Leaf leaf ? Limits.nodes(leaf) : 1;
    Limits.nodes(nodes, pointer);
    if (rule instanceof Rule.Not not) {
      return lower(not.rule(), pointer + "/not", !negated, depth + 1);
    }
    if (rule instanceof Rule.All all) {
      // De Morgan: not(all) is any(not ...).
      return junction(!negated, all.rules(), pointer + "/all/", depth, negated);
    }
    if (rule instanceof Rule.Any any) {
      return junction(negated, any.rules(), pointer + "/any/", depth, negated);
    }
    if (rule instanceof Rule.AtLeast atLeast) {
      int n = atLeast.rules().size();
      // not(atLeast(k of n)) is atLeast(n - k + 1 of the negated children).
      int k = negated ? n - atLeast.k() + 1 : atLeast.k();
      return threshold(k, lowerAll(atLeast.rules(), pointer + "/atLeast/of/", negated, depth));
    }
    if (rule instanceof Rule.Ref ref) {
      return reference(ref, pointer, negated, depth);
    }
    if (rule instanceof Rule.Custom custom) {
      CustomPredicate predicate = predicates.get(custom.name());
      if (predicate == null) {
        return error(RuleException.Code.UNKNOWN_PREDICATE, pointer + "/custom", "no custom predicate '" + custom.name()
            + "' is registered" + Names.didYouMean(custom.name(), predicates.keySet()));
      }
      boolean sensitive = predicate.facts().stream().map(schema::fact).flatMap(java.util.Optional::stream)
          .anyMatch(f -> f.disclosure() == Disclosure.SENSITIVE);
      return new Node.CustomTest(predicate, negated, pointer, sensitive);
    }
    return leaf((Rule.Leaf) rule, pointer, negated);
  }

  private List<Node> lowerAll(List<Rule> rules, String prefix, boolean negated, int depth) {
    List<Node> kids = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      kids.add(lower(rules.get(i), prefix + i, negated, depth + 1));
    }
    return kids;
  }

  /** Builds a flattened conjunction ({@code conjunction}) or disjunction. */
  private Node junction(boolean conjunction, List<Rule> rules, String prefix, int depth, boolean negated) {
    List<Node> kids = new ArrayList<>();
    for (Node kid : lowerAll(rules, prefix, negated, depth)) {
      if (kid == Node.Const.of(conjunction)) {
        continue; // the identity element
      }
      if (kid == Node.Const.of(!conjunction)) {
        return kid; // the absorbing element
      }
      if (conjunction ? kid instanceof Node.All : kid instanceof Node.Any) {
        kids.addAll(List.of(((Node.Composite) kid).kids));
      } else {
        kids.add(kid);
      }
    }
    if (kids.isEmpty()) {
      return Node.Const.of(conjunction);
    }
    if (kids.size() == 1) {
      return kids.get(0);
    }
    return conjunction ? new Node.All(kids) : new Node.Any(kids); // written order; Composite orders evaluation
  }

  private Node threshold(int k, List<Node> lowered) {
    List<Node> kids = new ArrayList<>();
    int need = k;
    for (Node kid : lowered) {
      if (kid == Node.Const.TRUE) {
        need--;
      } else if (kid != Node.Const.FALSE) {
        kids.add(kid);
      }
    }
    if (need <= 0) {
      return Node.Const.TRUE;
    }
    if (need > kids.size()) {
      return Node.Const.FALSE;
    }
    if (kids.size() == 1) {
      return kids.get(0);
    }
    if (need == 1) {
      return new Node.Any(kids);
    }
    return need == kids.size() ? new Node.All(kids) : new Node.AtLeast(need, kids);
  }

  private Node reference(Rule.Ref ref, String pointer, boolean negated, int depth) {
    String name = ref.name();
    Rule body = policy.definitions().get(name);
    if (body == null) {
      return error(RuleException.Code.UNKNOWN_REFERENCE, pointer + "/ref", "no definition named '" + name + "'"
          + Names.didYouMean(name, policy.definitions().keySet()));
    }
    if (refStack.contains(name)) {
      return error(RuleException.Code.REFERENCE_CYCLE, pointer + "/ref",
          "definition '" + name + "' refers back to itself through " + String.join(" -> ", refStack));
    }
    usedDefinitions.add(name);
    refStack.push(name);
    try {
      return lower(body, "/definitions/" + Pointers.escape(name), negated, depth + 1);
    } finally {
      refStack.pop();
    }
  }

  private Node leaf(Rule.Leaf leaf, String pointer, boolean negated) {
    int slot = schema.slotOf(leaf.fact());
    if (slot < 0) {
      return error(RuleException.Code.UNKNOWN_FACT, pointer + "/fact", "unknown fact '" + leaf.fact() + "'"
          + Names.didYouMean(leaf.fact(), schema.names()));
    }
    Fact fact = schema.at(slot);
    Op op = leaf.op();
    List<Literal> values = leaf.values();
    FactType operand = values.get(0).type();
    boolean typeOk = switch (fact.type()) {
      case NUMBER -> operand == FactType.NUMBER && op != Op.IN && op != Op.CONTAINS;
      case BOOLEAN -> operand == FactType.BOOLEAN && (op == Op.EQ || op == Op.NE);
      case STRING -> operand == FactType.STRING && (op == Op.EQ || op == Op.NE || op == Op.IN);
      case STRING_SET -> op == Op.CONTAINS;
      case INSTANT -> op == Op.BEFORE || op == Op.AFTER;
    };
    if (!typeOk) {
      return error(RuleException.Code.TYPE_MISMATCH, pointer, "fact '" + fact.name() + "' is " + fact.type()
          + "; operator " + op.symbol() + " with a " + operand + " value does not apply");
    }
    for (Literal value : values) {
      if (value instanceof Literal.Num num && num.unit() != FactUnit.NONE && num.unit() != fact.unit()) {
        return error(RuleException.Code.UNIT_MISMATCH, pointer + "/unit", "fact '" + fact.name() + "' is in "
            + fact.unit() + ", the value is in " + num.unit());
      }
    }
    return switch (fact.type()) {
      case NUMBER -> new Node.NumberTest(slot, fact, negated, pointer, op, number(values.get(0)),
          op == Op.BETWEEN ? number(values.get(1)) : 0);
      case BOOLEAN -> new Node.BooleanTest(slot, fact, negated, pointer, ((Literal.Bool) values.get(0)).value() == (op == Op.EQ));
      case STRING -> new Node.StringTest(slot, fact, negated != (op == Op.NE), pointer, strings(values));
      case STRING_SET -> new Node.SetContains(slot, fact, negated, pointer, ((Literal.Str) values.get(0)).value());
      case INSTANT -> new Node.InstantTest(slot, fact, negated, pointer, op, Facts.micros(((Literal.Time) values.get(0)).value(), pointer));
    };
  }

  private static double number(Literal literal) {
    return ((Literal.Num) literal).value();
  }

  private static Set<String> strings(List<Literal> values) {
    Set<String> strings = new HashSet<>();
    values.forEach(v -> strings.add(((Literal.Str) v).value()));
    return Set.copyOf(strings);
  }

  /** Throws, or in checking mode records the finding and stands in an unknown-free placeholder. */
  private Node error(RuleException.Code code, String pointer, String message) {
    RuleException e = new RuleException(code, pointer, message);
    if (findings == null) {
      throw e;
    }
    findings.add(Finding.of(e));
    return Node.Const.FALSE;
  }
}
