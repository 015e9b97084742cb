package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CompiledRuleTest {
  static final Fact NON_FAN_CLUB_ALLOWED =
      Fact.of("non_fan_club_allowed", FactType.BOOLEAN, FactUnit.NONE, Disclosure.PUBLIC, FactChange.IMMUTABLE);
  static final FactSchema SCHEMA = FactSchema.builder().standardFacts().fact(NON_FAN_CLUB_ALLOWED).build();
  static final Instant NOW = Instant.parse("2026-03-08T10:00:00Z");

  /** The seed policy: followed for 7 days AND (fan-club level 3 OR non-fan-club members allowed). */
  static final Policy SEED = Policy.of(Rule.all(
      Rule.atLeast("days_following", 7),
      Rule.any(Rule.atLeast("fan_club_level", 3), Rule.is("non_fan_club_allowed", true))), UnknownPolicy.REVIEW);

  private final CompiledRule rule = RuleCompiler.builder().schema(SCHEMA).build().compile(SEED);

  private Facts applicant(double days, double level, boolean nonFanClubAllowed) {
    return rule.newFacts().set("days_following", days).set("fan_club_level", level)
        .set("non_fan_club_allowed", nonFanClubAllowed);
  }

  @Test
  void decide_everyClauseMet_allows() {
    assertThat(rule.decide(applicant(10, 3, false))).isEqualTo(Outcome.ALLOW);
    assertThat(rule.decide(applicant(7, 0, true))).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void decide_aFailedClause_denies() {
    assertThat(rule.decide(applicant(6, 5, true))).isEqualTo(Outcome.DENY);
  }

  @Test
  void decide_missingFact_followsTheUnknownPolicyUnlessAClauseFails() {
    Facts facts = rule.newFacts().set("fan_club_level", 3);
    assertThat(rule.decide(facts)).isEqualTo(Outcome.REVIEW);
    Facts denied = rule.newFacts().set("days_following", 1);
    assertThat(rule.decide(denied)).as("false beats unknown in an all").isEqualTo(Outcome.DENY);
  }

  @Test
  void decide_factsOfAnotherSchema_isRuleInvalid() {
    Facts foreign = RuleCompiler.of().compile(Policy.of(Rule.all())).newFacts();
    assertThatThrownBy(() -> rule.decide(foreign)).isInstanceOf(RuleException.class)
        .extracting(e -> ((RuleException) e).code()).isEqualTo(RuleException.Code.RULE_INVALID);
  }

  @Test
  void requiredFacts_ofACompiledRule_listsOnlyTheFactsItReads() {
    assertThat(rule.requiredFacts()).extracting(Fact::name)
        .containsExactly("days_following", "fan_club_level", "non_fan_club_allowed");
  }

  @Test
  void explain_deniedApplicant_namesWhatToChangeAndTheNearestPath() {
    Explanation explanation = rule.explain(applicant(3, 1, false), NOW);
    assertThat(explanation.outcome()).isEqualTo(Outcome.DENY);
    // non_fan_club_allowed is the creator's setting, not the applicant's: the level is the way in.
    assertThat(explanation.reasons()).extracting(Reason::clause, Reason::code, Reason::expected, Reason::actual)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/rule/all/0", ReasonCode.BELOW_MINIMUM, ">= 7", "3"),
            org.assertj.core.groups.Tuple.tuple("/rule/all/1/any/0", ReasonCode.BELOW_MINIMUM, ">= 3", "1"));
    assertThat(explanation.paths()).hasSize(1);
    EligibilityPath path = explanation.paths().get(0);
    assertThat(path.waitDays()).isEqualTo(4);
    assertThat(path.eligibleFrom()).isEqualTo(Instant.parse("2026-03-12T10:00:00Z"));
    assertThat(path.actionCost()).isEqualTo(2);
    assertThat(path.steps()).extracting(PathStep::kind).containsExactly(PathStep.Kind.WAIT, PathStep.Kind.RAISE);
  }

  @Test
  void render_deniedApplicant_readsNaturallyInEnglishAndChinese() {
    Explanation explanation = rule.explain(applicant(3, 1, false), NOW);
    ExplanationRenderer renderer = ExplanationRenderer.of(ZoneOffset.UTC);
    assertThat(renderer.render(explanation, Locale.ENGLISH)).isEqualTo("You can't join yet: days following must be"
        + " at least 7 (now 3); fan-club level must be at least 3 (now 1). To become eligible: follow for 4 more days"
        + " (eligible from 12 March 2026) and reach fan-club level 3.");
    assertThat(renderer.render(explanation, Locale.CHINESE)).isEqualTo("你暂时无法加入：关注天数需达到 7（当前 3）；"
        + "粉丝团等级需达到 3（当前 1）。满足条件的方式：再关注 4 天（2026年3月12日起可加入）并将粉丝团等级提升到 3。");
  }

  @Test
  void render_sensitiveFacts_areNotDisclosed() {
    CompiledRule banned = RuleCompiler.of().compile(Policy.of(Rule.all(Rule.is("banned", false),
        Rule.in("region", "CN"), Rule.atLeast("days_following", 1))));
    Facts facts = banned.newFacts().set("banned", true).set("region", "US").set("days_following", 0);
    String text = ExplanationRenderer.of(ZoneOffset.UTC).render(banned.explain(facts, NOW), Locale.ENGLISH);
    assertThat(text).doesNotContainIgnoringCase("ban").doesNotContain("US").doesNotContain("CN")
        .contains("other requirements are not met");
  }

  @Test
  void explain_missingGroupMembership_suggestsJoining() {
    CompiledRule restricted = RuleCompiler.of().compile(Policy.of(Rule.contains("member_of_groups", "g1")));
    Explanation explanation = restricted.explain(restricted.newFacts().set("member_of_groups", Set.of("g2")), NOW);
    assertThat(explanation.paths()).singleElement().satisfies(path ->
        assertThat(path.steps()).singleElement().satisfies(step -> {
          assertThat(step.kind()).isEqualTo(PathStep.Kind.JOIN);
          assertThat(step.target()).isEqualTo("g1");
        }));
  }
}
