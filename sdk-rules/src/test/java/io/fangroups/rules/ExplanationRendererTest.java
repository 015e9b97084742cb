package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the applicant reads: one sentence per explanation, in English and Chinese. */
class ExplanationRendererTest {
  private static final ExplanationRenderer RENDERER = ExplanationRenderer.of(ZoneOffset.UTC);

  private static final Instant NOW = Instant.parse("2026-03-08T00:00:00Z");
  /** Followed for 7 days AND (fan-club level 3 OR not a fan-club member). */
  private static final String FAN_CLUB = "{\"all\":[{\"fact\":\"days_following\",\"op\":\">=\",\"value\":7},"
      + "{\"any\":[{\"fact\":\"fan_club_level\",\"op\":\">=\",\"value\":3},"
      + "{\"not\":{\"fact\":\"fan_club_member\",\"op\":\"==\",\"value\":true}}]}]}";

  private static CompiledRule compile(RuleCompiler compiler, String rule) {
    return compiler.compile("{\"version\":1,\"rule\":" + rule + "}");
  }

  @Test
  void explain_memberBelowTheLevel_asksForTheLevelNotForLeavingTheFanClub() {
    CompiledRule rule = compile(RuleCompiler.of(), FAN_CLUB);
    Facts member = rule.newFacts().set("days_following", 30).set("fan_club_level", 1).set("fan_club_member", true);
    Explanation why = rule.explain(member, NOW);
    assertThat(why.reasons()).extracting(Reason::clause, Reason::code)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("/rule/all/1/any/0", ReasonCode.BELOW_MINIMUM));
    assertThat(why.paths()).singleElement().satisfies(path -> assertThat(path.steps())
        .extracting(PathStep::kind, PathStep::fact, PathStep::target)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(PathStep.Kind.RAISE, "fan_club_level", "3")));
    assertThat(RENDERER.render(why, Locale.ENGLISH)).isEqualTo(
        "You can't join yet: fan-club level must be at least 3 (now 1). To become eligible: reach fan-club level 3.");
    assertThat(RENDERER.render(why, Locale.CHINESE)).isEqualTo(
        "你暂时无法加入：粉丝团等级需达到 3（当前 1）。满足条件的方式：将粉丝团等级提升到 3。");
  }

  @Test
  void readme_reasonsExample_isWhatTheRendererSays() throws java.io.IOException {
    CompiledRule rule = compile(RuleCompiler.of(), FAN_CLUB);
    Facts member = rule.newFacts().set("days_following", 30).set("fan_club_level", 1).set("fan_club_member", true);
    Explanation why = rule.explain(member, NOW);
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).replaceAll("\\s*\\n\\s*", " ");
    assertThat(readme).contains("en: *" + RENDERER.render(why, Locale.ENGLISH) + "*")
        .contains("zh: *" + RENDERER.render(why, Locale.CHINESE) + "*");
  }

  @Test
  void explain_anyOfTwoChangeableClauses_namesTheCheaperAsTheCheapestPathDoes() {
    CompiledRule rule = compile(RuleCompiler.of(), "{\"any\":[{\"fact\":\"fan_club_level\",\"op\":\">=\",\"value\":3},"
        + "{\"fact\":\"phone_verified\",\"op\":\"==\",\"value\":true}]}");
    Explanation why = rule.explain(rule.newFacts().set("fan_club_level", 1).set("phone_verified", false), NOW);
    assertThat(why.reasons()).extracting(Reason::fact).containsExactly("phone_verified");
    assertThat(why.paths().get(0).steps()).extracting(PathStep::fact).containsExactly("phone_verified");
    assertThat(RENDERER.render(why, Locale.ENGLISH)).isEqualTo("You can't join yet: verified phone is required."
        + " To become eligible: verify your phone number.");
    assertThat(RENDERER.render(why, Locale.CHINESE)).isEqualTo("你暂时无法加入：需要手机验证。满足条件的方式：验证手机号。");
  }

  @Test
  void explain_anyOfClausesNoneOfWhichTheApplicantCanChange_namesTheFirst() {
    CompiledRule rule = compile(RuleCompiler.of(), "{\"any\":[{\"not\":{\"fact\":\"fan_club_member\",\"op\":\"==\",\"value\":true}},"
        + "{\"fact\":\"followed_since\",\"op\":\"before\",\"value\":\"2025-01-01T00:00:00Z\"}]}");
    Facts facts = rule.newFacts().set("fan_club_member", true).set("followed_since", Instant.parse("2025-06-01T00:00:00Z"));
    Explanation why = rule.explain(facts, NOW);
    assertThat(why.reasons()).extracting(Reason::clause).containsExactly("/rule/any/0/not");
    assertThat(why.paths()).isEmpty();
    assertThat(RENDERER.render(why, Locale.ENGLISH)).isEqualTo("You can't join yet: fan-club membership is not allowed.");
    assertThat(RENDERER.render(why, Locale.CHINESE)).isEqualTo("你暂时无法加入：不能有粉丝团成员身份。");
  }

  @Test
  void render_everyKindOfComparison_readsAsWordsNotRuleSyntax() {
    CompiledRule rule = compile(Generators.COMPILER, "{\"all\":["
        + "{\"fact\":\"days_following\",\"op\":\">\",\"value\":10},"
        + "{\"fact\":\"account_age_days\",\"op\":\"<=\",\"value\":30},"
        + "{\"fact\":\"score\",\"op\":\"<\",\"value\":5},"
        + "{\"fact\":\"fan_club_level\",\"op\":\"between\",\"min\":2,\"max\":5},"
        + "{\"not\":{\"fact\":\"score\",\"op\":\"between\",\"min\":6,\"max\":9}},"
        + "{\"fact\":\"phone_verified\",\"op\":\"==\",\"value\":true},"
        + "{\"fact\":\"tier\",\"op\":\"in\",\"values\":[\"silver\",\"gold\"]},"
        + "{\"fact\":\"followed_since\",\"op\":\"before\",\"value\":\"2025-01-01T00:00:00Z\"}]}");
    Facts facts = rule.newFacts().set("days_following", 3).set("account_age_days", 40).set("score", 7)
        .set("fan_club_level", 1).set("phone_verified", false).set("tier", "bronze")
        .set("followed_since", Instant.parse("2025-06-01T00:00:00Z"));
    Explanation why = rule.explain(facts, NOW);
    assertThat(RENDERER.render(why, Locale.ENGLISH)).startsWith("You can't join yet: days following must be more than 10"
        + " (now 3); account age in days must be at most 30 (now 40); score must be less than 5 (now 7);"
        + " fan-club level must be between 2 and 5 (now 1); score must not be between 6 and 9 (now 7);"
        + " verified phone is required; tier must be one of gold, silver (now bronze);"
        + " following since must be before 2025-01-01T00:00:00Z (now 2025-06-01T00:00:00Z).");
    assertThat(RENDERER.render(why, Locale.CHINESE)).startsWith("你暂时无法加入：关注天数需高于 10（当前 3）；"
        + "账号天数需不超过 30（当前 40）；score需低于 5（当前 7）；粉丝团等级需在 2 到 5 之间（当前 1）；"
        + "score不能在 6 到 9 之间（当前 7）；需要手机验证；tier需为 gold, silver 之一（当前 bronze）；"
        + "关注起始时间需早于 2025-01-01T00:00:00Z（当前 2025-06-01T00:00:00Z）。");
  }

  @Test
  void render_undecidedCustomPredicate_usesItsPredicateLabel() {
    CustomPredicate vip = new CustomPredicate() {
      @Override
      public String name() {
        return "is_vip";
      }

      @Override
      public Truth test(Facts facts) {
        throw new IllegalStateException("backend down");
      }
    };
    CompiledRule rule = compile(RuleCompiler.builder().predicate(vip).build(), "{\"custom\":\"is_vip\"}");
    MessageSource labels = (key, locale) -> key.equals("predicate.is_vip") ? Optional.of("VIP status") : Optional.empty();
    String text = ExplanationRenderer.of(labels, ZoneOffset.UTC).render(rule.explain(rule.newFacts(), Instant.EPOCH),
        Locale.ENGLISH);
    assertThat(text).isEqualTo("You can't join yet: we could not check VIP status.");
  }

  @Test
  void render_membershipReasons_nameTheGroupNotTheRuleSyntax() {
    CompiledRule rule = compile(RuleCompiler.of(), "{\"all\":["
        + "{\"fact\":\"member_of_groups\",\"op\":\"contains\",\"value\":\"vip\"},"
        + "{\"not\":{\"fact\":\"member_of_groups\",\"op\":\"contains\",\"value\":\"old\"}}]}");
    Explanation why = rule.explain(rule.newFacts().set("member_of_groups", Set.of("old")), Instant.EPOCH);
    assertThat(RENDERER.render(why, Locale.ENGLISH))
        .contains("you must be a member of group vip").contains("you must not be a member of group old");
    assertThat(RENDERER.render(why, Locale.CHINESE)).contains("需是群 vip 的成员").contains("不能是群 old 的成员");
  }

  @Test
  void render_customPredicateReadingASensitiveFact_isRestricted() {
    CustomPredicate regionAllowed = new CustomPredicate() {
      @Override
      public String name() {
        return "region_allowed";
      }

      @Override
      public List<String> facts() {
        return List.of("region");
      }

      @Override
      public Truth test(Facts f) {
        return f.string("region").equals("CN") ? Truth.TRUE : Truth.FALSE;
      }
    };
    CompiledRule rule = compile(RuleCompiler.builder().predicate(regionAllowed).build(), "{\"custom\":\"region_allowed\"}");
    Explanation why = rule.explain(rule.newFacts().set("region", "US"), Instant.EPOCH);
    assertThat(why.reasons()).extracting(Reason::code).containsOnly(ReasonCode.RESTRICTED);
    assertThat(RENDERER.render(why, Locale.ENGLISH)).isEqualTo("You can't join yet: other requirements are not met.");
  }

  @Test
  void render_ruleThatCanNeverHold_saysTheConditionsAreNotMet() {
    CompiledRule rule = compile(RuleCompiler.of(), "{\"any\":[]}");
    Explanation why = rule.explain(rule.newFacts(), Instant.EPOCH);
    assertThat(RENDERER.render(why, Locale.ENGLISH)).isEqualTo("You can't join yet: the group's entry conditions are not met.");
    assertThat(RENDERER.render(why, Locale.CHINESE)).isEqualTo("你暂时无法加入：未满足入群条件。");
  }
}
