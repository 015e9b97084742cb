package io.fangroups.rules;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A validated, compiled policy: immutable and thread-safe; compile once, decide many times.
 *
 * <pre>{@code
 * Facts facts = rule.newFacts();                 // one per applicant (or reuse with clear())
 * for (Fact f : rule.requiredFacts()) { ... }    // fetch only these from the host
 * facts.set("days_following", 12).set("fan_club_level", 1);
 * Outcome outcome = rule.decide(facts);          // allocation-free
 * Explanation why = rule.explain(facts, clock);  // reasons and nearest paths
 * }</pre>
 */
public final class CompiledRule {
  private final Policy policy;
  private final FactSchema schema;
  private final Node root;
  private final Outcome onUnknown;
  private final List<Fact> requiredFacts;
  private final String contentHash;
  private final PathFinder paths;

  CompiledRule(Policy policy, FactSchema schema, Node root, List<CustomPredicate> customs) {
    this.policy = policy;
    this.schema = schema;
    this.root = root;
    this.onUnknown = policy.unknown().outcome();
    this.contentHash = RuleJson.hash(policy);
    this.paths = new PathFinder(root);
    TreeSet<Integer> slots = new TreeSet<>();
    root.forEachLeaf(leaf -> slots.add(leaf.slot));
    for (CustomPredicate custom : customs) {
      for (String name : custom.facts()) {
        int slot = schema.slotOf(name);
        if (slot < 0) {
          throw new RuleException(RuleException.Code.UNKNOWN_FACT, null, "custom predicate '" + custom.name()
              + "' reads unknown fact '" + name + "'" + Names.didYouMean(name, schema.names()));
        }
        slots.add(slot);
      }
    }
    List<Fact> required = new ArrayList<>();
    slots.forEach(slot -> required.add(schema.at(slot)));
    this.requiredFacts = List.copyOf(required);
  }

  /** Returns the policy this rule was compiled from. */
  public Policy policy() {
    return policy;
  }

  /** Returns the schema the rule was compiled against. */
  public FactSchema schema() {
    return schema;
  }

  /** Returns the facts the rule can read, in schema order: fetch only these from the host. */
  public List<Fact> requiredFacts() {
    return requiredFacts;
  }

  /** Returns the SHA-256 hex of the policy's canonical JSON, identifying this rule version. */
  public String contentHash() {
    return contentHash;
  }

  /** Returns an empty facts container for this rule's schema. */
  public Facts newFacts() {
    return new Facts(schema);
  }

  /**
   * Evaluates the rule three-valued. Allocation-free.
   *
   * @throws RuleException {@code RULE_INVALID} if the facts belong to another schema
   */
  public Truth evaluate(Facts facts) {
    return Truth.of(eval(facts));
  }

  /**
   * Decides admission: ALLOW when the rule holds, DENY when it does not, and the policy's choice
   * (REVIEW or DENY) when it is unknown. Allocation-free.
   *
   * @throws RuleException {@code RULE_INVALID} if the facts belong to another schema
   */
  public Outcome decide(Facts facts) {
    return outcome(eval(facts));
  }

  /** Decides and explains, with waits counted from the clock's instant. */
  public Explanation explain(Facts facts, Clock clock) {
    Arguments.notNull(facts, "facts");
    return explain(facts, Arguments.notNull(clock, "clock").instant());
  }

  /**
   * Decides and explains: the failed clauses that force the outcome and up to three cheapest paths
   * to eligibility, with waits counted from {@code now}.
   */
  public Explanation explain(Facts facts, Instant now) {
    Arguments.notNull(now, "now");
    int truth = eval(facts);
    Outcome outcome = outcome(truth);
    if (truth == Truth.T) {
      return new Explanation(outcome, Truth.TRUE, List.of(), List.of());
    }
    List<Reason> reasons = new ArrayList<>(4);
    root.reasons(facts, reasons);
    return new Explanation(outcome, Truth.of(truth), Lists.copyOf(reasons), paths.find(facts, now));
  }

  Node root() {
    return root;
  }

  private Outcome outcome(int truth) {
    return truth == Truth.T ? Outcome.ALLOW : truth == Truth.F ? Outcome.DENY : onUnknown;
  }

  private int eval(Facts facts) {
    if (Arguments.notNull(facts, "facts").schema() != schema) {
      throw new RuleException(RuleException.Code.RULE_INVALID, null,
          "these facts were made for another schema; use CompiledRule.newFacts()");
    }
    return root.eval(facts);
  }
}
