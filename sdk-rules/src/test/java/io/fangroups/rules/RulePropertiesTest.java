package io.fangroups.rules;

import static io.fangroups.rules.Generators.COMPILER;
import static io.fangroups.rules.Generators.applicants;
import static io.fangroups.rules.Generators.rules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Laws of the rule language, checked on generated rule trees and applicants. */
class RulePropertiesTest {
  private static final int EXAMPLES = 1500;
  private static final Instant NOW = Instant.parse("2026-03-08T00:00:00Z");

  private static Truth compiled(Rule rule, Map<String, Object> facts) {
    CompiledRule compiled = COMPILER.compile(Policy.of(rule));
    return compiled.evaluate(Generators.fill(compiled.newFacts(), facts));
  }

  private static Truth reference(Rule rule, Map<String, Object> facts) {
    return ReferenceInterpreter.eval(Policy.of(rule), facts);
  }

  private static void assertEquivalent(Rule left, Rule right, Map<String, Object> facts) {
    assertThat(compiled(left, facts)).as("compiled %s vs %s", left, right).isEqualTo(compiled(right, facts));
    assertThat(reference(left, facts)).as("reference %s vs %s", left, right).isEqualTo(reference(right, facts));
  }

  @Test
  void evaluate_anyRule_matchesTheReferenceInterpreter() {
    qt().withExamples(EXAMPLES * 2).forAll(rules(4), applicants(false))
        .checkAssert((rule, facts) -> assertThat(compiled(rule, facts)).as("%s on %s", rule, facts)
            .isEqualTo(reference(rule, facts)));
  }

  @Test
  void evaluate_identityAndDoubleNegation_hold() {
    qt().withExamples(EXAMPLES).forAll(rules(3), applicants(false)).checkAssert((a, facts) -> {
      assertEquivalent(Rule.all(a), a, facts);
      assertEquivalent(Rule.all(a, Rule.all()), a, facts);
      assertEquivalent(Rule.any(a, Rule.any()), a, facts);
      assertEquivalent(Rule.not(Rule.not(a)), a, facts);
      assertThat(compiled(Rule.all(a, Rule.any()), facts)).isEqualTo(Truth.FALSE);
      assertThat(compiled(Rule.any(a, Rule.all()), facts)).isEqualTo(Truth.TRUE);
    });
  }

  @Test
  void evaluate_deMorganAbsorptionDistributivity_hold() {
    qt().withExamples(EXAMPLES).forAll(rules(2), rules(2), rules(2), applicants(false)).checkAssert((a, b, c, facts) -> {
      assertEquivalent(Rule.not(Rule.all(a, b)), Rule.any(Rule.not(a), Rule.not(b)), facts);
      assertEquivalent(Rule.not(Rule.any(a, b)), Rule.all(Rule.not(a), Rule.not(b)), facts);
      assertEquivalent(Rule.all(a, Rule.any(a, b)), a, facts);
      assertEquivalent(Rule.any(a, Rule.all(a, b)), a, facts);
      assertEquivalent(Rule.all(a, Rule.any(b, c)), Rule.any(Rule.all(a, b), Rule.all(a, c)), facts);
      assertEquivalent(Rule.any(a, Rule.all(b, c)), Rule.all(Rule.any(a, b), Rule.any(a, c)), facts);
    });
  }

  @Test
  void evaluate_atLeastEdgeCases_matchAnyAllAndConstants() {
    qt().withExamples(EXAMPLES).forAll(rules(2), rules(2), rules(2), applicants(false)).checkAssert((a, b, c, facts) -> {
      assertThat(compiled(Rule.atLeast(0, a, b, c), facts)).isEqualTo(Truth.TRUE);
      assertEquivalent(Rule.atLeast(1, a, b, c), Rule.any(a, b, c), facts);
      assertEquivalent(Rule.atLeast(3, a, b, c), Rule.all(a, b, c), facts);
      assertEquivalent(Rule.atLeast(2, a, b, c),
          Rule.any(Rule.all(a, b), Rule.all(a, c), Rule.all(b, c)), facts);
      assertEquivalent(Rule.not(Rule.atLeast(2, a, b, c)), Rule.atLeast(2, Rule.not(a), Rule.not(b), Rule.not(c)), facts);
    });
  }

  @Test
  void evaluate_unknownFactsFilledIn_keepsAKnownResult() {
    qt().withExamples(EXAMPLES).forAll(rules(4), applicants(false), applicants(true)).checkAssert((rule, partial, complete) -> {
      Truth before = compiled(rule, partial);
      Map<String, Object> filled = new HashMap<>(complete);
      partial.forEach((name, value) -> {
        if (value != ReferenceInterpreter.FAILED) {
          filled.put(name, value);
        }
      });
      if (before != Truth.UNKNOWN) {
        assertThat(compiled(rule, filled)).as("%s: %s then %s", rule, partial, filled).isEqualTo(before);
      }
    });
  }

  @Test
  void decide_anyRule_allowsOnlyWhenTrue() {
    qt().withExamples(EXAMPLES).forAll(rules(4), applicants(false)).checkAssert((rule, facts) -> {
      for (UnknownPolicy unknown : UnknownPolicy.values()) {
        CompiledRule compiled = COMPILER.compile(Policy.of(rule, unknown));
        Facts filled = Generators.fill(compiled.newFacts(), facts);
        Truth truth = compiled.evaluate(filled);
        Outcome expected = truth == Truth.TRUE ? Outcome.ALLOW : truth == Truth.FALSE ? Outcome.DENY
            : unknown == UnknownPolicy.REVIEW ? Outcome.REVIEW : Outcome.DENY;
        assertThat(compiled.decide(filled)).isEqualTo(expected);
        assertThat(compiled.explain(filled, NOW).outcome()).isEqualTo(expected);
      }
    });
  }

  @Test
  void write_thenRead_givesTheSamePolicyHashAndDecisions() {
    qt().withExamples(EXAMPLES).forAll(Generators.policies(), applicants(false)).checkAssert((policy, facts) -> {
      String canonical = RuleJson.write(policy);
      Policy read = RuleJson.read(canonical);
      assertThat(read).isEqualTo(policy);
      assertThat(RuleJson.write(read)).isEqualTo(canonical);
      assertThat(RuleJson.hash(read)).isEqualTo(RuleJson.hash(policy)).hasSize(64);
      CompiledRule original = COMPILER.compile(policy);
      CompiledRule reread = COMPILER.compile(canonical);
      assertThat(reread.decide(Generators.fill(reread.newFacts(), facts)))
          .isEqualTo(original.decide(Generators.fill(original.newFacts(), facts)));
      assertThat(ReferenceInterpreter.eval(policy, facts))
          .isEqualTo(original.evaluate(Generators.fill(original.newFacts(), facts)));
    });
  }

  /** The rule's truth with the given clauses made to hold (whatever their facts) and the others as they are. */
  private static Truth withHolding(Rule rule, Map<String, Object> facts, Set<String> clauses) {
    return ReferenceInterpreter.eval(Policy.of(rule), facts,
        (pointer, negated) -> clauses.contains(pointer) ? negated ? Truth.FALSE : Truth.TRUE : null);
  }

  @Test
  void explain_reportedClauses_areTogetherEnoughToAllowAndEachNeeded() {
    qt().withExamples(EXAMPLES).forAll(rules(4), applicants(false)).checkAssert((rule, facts) -> {
      CompiledRule compiled = COMPILER.compile(Policy.of(rule));
      Explanation explanation = compiled.explain(Generators.fill(compiled.newFacts(), facts), NOW);
      Set<String> reported = explanation.reasons().stream().map(Reason::clause).collect(Collectors.toSet());
      assertThat(reported).as("one reason per clause").hasSameSizeAs(explanation.reasons());
      if (explanation.truth() == Truth.TRUE) {
        assertThat(explanation.reasons()).isEmpty();
        return;
      }
      if (ReferenceInterpreter.eval(Policy.of(rule), facts, (pointer, negated) -> negated ? Truth.FALSE : Truth.TRUE)
          != Truth.TRUE) {
        return; // an empty any() is false whatever the clauses: no reasons can make it hold
      }
      assertThat(withHolding(rule, facts, reported)).as("%s on %s reported %s", rule, facts, reported).isEqualTo(Truth.TRUE);
      for (String clause : reported) {
        Set<String> others = new java.util.HashSet<>(reported);
        others.remove(clause);
        assertThat(withHolding(rule, facts, others)).as("%s on %s without %s", rule, facts, clause).isNotEqualTo(Truth.TRUE);
      }
    });
  }

  @Test
  void explain_anyPath_makesTheRuleAllow() {
    qt().withExamples(EXAMPLES).forAll(Generators.pathRules(3), applicants(false)).checkAssert((rule, facts) -> {
      CompiledRule compiled = COMPILER.compile(Policy.of(rule));
      Explanation explanation = compiled.explain(Generators.fill(compiled.newFacts(), facts), NOW);
      assertThat(explanation.paths()).hasSizeLessThanOrEqualTo(3);
      for (EligibilityPath path : explanation.paths()) {
        assertThat(ReferenceInterpreter.eval(Policy.of(rule), Paths.apply(path, facts)))
            .as("%s on %s via %s", rule, facts, path).isEqualTo(Truth.TRUE);
        assertThat(path.steps()).extracting(PathStep::fact).doesNotContain("region", "banned", "blocked");
      }
    });
  }

  @Test
  void explain_paths_areTheCheapestByBruteForce() {
    qt().withExamples(EXAMPLES).forAll(Generators.pathRules(3), applicants(true)).checkAssert((rule, facts) -> {
      CompiledRule compiled = COMPILER.compile(Policy.of(rule));
      Explanation explanation = compiled.explain(Generators.fill(compiled.newFacts(), facts), NOW);
      if (explanation.outcome() == Outcome.ALLOW) {
        return;
      }
      List<long[]> frontier = Paths.bruteForceFrontier(rule, facts);
      List<long[]> reported = explanation.paths().stream().map(p -> new long[] {p.actionCost(), p.waitDays()}).toList();
      assertThat(reported.isEmpty()).as("%s on %s: frontier %s", rule, facts, Paths.show(frontier))
          .isEqualTo(frontier.isEmpty());
      if (!frontier.isEmpty()) {
        assertThat(Paths.show(reported.subList(0, 1))).as("%s on %s", rule, facts).isEqualTo(Paths.show(frontier.subList(0, 1)));
        assertThat(Paths.show(frontier)).as("%s on %s", rule, facts).containsAll(Paths.show(reported));
      }
    });
  }

  @Test
  void render_anyExplanation_neverDisclosesSensitiveFacts() {
    ExplanationRenderer renderer = ExplanationRenderer.of(ZoneOffset.UTC);
    qt().withExamples(EXAMPLES).forAll(rules(4), applicants(false)).checkAssert((rule, facts) -> {
      CompiledRule compiled = COMPILER.compile(Policy.of(rule));
      Explanation explanation = compiled.explain(Generators.fill(compiled.newFacts(), facts), NOW);
      for (Locale locale : List.of(Locale.ENGLISH, Locale.CHINESE)) {
        String text = renderer.render(explanation, locale);
        assertThat(text).as(text).doesNotContain("zz_", "region", "banned", "blocked").isNotBlank();
      }
    });
  }

  @Test
  void check_verdicts_holdForEveryApplicant() {
    qt().withExamples(EXAMPLES).forAll(rules(3), applicants(true)).checkAssert((rule, facts) -> {
      List<Finding> findings = COMPILER.check(Policy.of(rule));
      Truth truth = compiled(rule, facts);
      if (findings.stream().anyMatch(f -> f.code() == Finding.Code.UNSATISFIABLE)) {
        assertThat(truth).as("%s said unsatisfiable", rule).isNotEqualTo(Truth.TRUE);
      }
      if (findings.stream().anyMatch(f -> f.code() == Finding.Code.ALWAYS_ALLOWS)) {
        assertThat(truth).as("%s said always allows", rule).isEqualTo(Truth.TRUE);
      }
    });
  }

  @Test
  void encode_anyDouble_preservesOrderAndValue() {
    qt().forAll(doubles().between(-1e12, 1e12), doubles().between(-1e12, 1e12)).checkAssert((a, b) -> {
      assertThat(Facts.decode(Facts.encode(a))).isEqualTo(a == 0.0 ? 0.0 : a);
      assertThat(Long.compare(Facts.encode(a), Facts.encode(b))).isEqualTo(Double.compare(a == 0.0 ? 0.0 : a, b == 0.0 ? 0.0 : b));
    });
    assertThat(Facts.encode(-0.0)).isEqualTo(Facts.encode(0.0));
    assertThat(Facts.encode(Double.NEGATIVE_INFINITY)).isLessThan(Facts.encode(-Double.MAX_VALUE));
  }

  @Test
  void setNumber_bySlot_roundTrips() {
    qt().forAll(integers().between(-1000, 1000)).checkAssert(n -> {
      Facts facts = COMPILER.compile(Policy.of(Rule.all())).newFacts();
      facts.setNumber(facts.slot("score"), n);
      assertThat(facts.number("score")).isEqualTo((double) n);
    });
  }
}
