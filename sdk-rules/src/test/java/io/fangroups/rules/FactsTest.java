package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FactsTest {
  private final CompiledRule rule = RuleCompiler.of().compile(Policy.of(Rule.all(
      Rule.atLeast("days_following", 7), Rule.contains("member_of_groups", "g1"))));

  @Test
  void putAll_hostValuesByName_fillTheSlots() {
    Map<String, Object> host = new HashMap<>();
    host.put("days_following", 9L);
    host.put("member_of_groups", Set.of("g1"));
    host.put("followed_since", Instant.parse("2026-01-01T00:00:00Z"));
    host.put("region", null);
    Facts facts = rule.newFacts().putAll(host);
    assertThat(facts.number("days_following")).isEqualTo(9.0);
    assertThat(facts.isPresent("region")).isFalse();
    assertThat(rule.decide(facts)).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void put_wrongJavaType_isTypeMismatch() {
    assertThatThrownBy(() -> rule.newFacts().put("days_following", "nine"))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.code()).isEqualTo(RuleException.Code.TYPE_MISMATCH));
    assertThatThrownBy(() -> rule.newFacts().put("member_of_groups", Set.of(1)))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.code()).isEqualTo(RuleException.Code.TYPE_MISMATCH));
  }

  @Test
  void put_bigDecimalADoubleCannotHold_isRefusedNotRounded() {
    CompiledRule levels = RuleCompiler.of().compile(Policy.of(Rule.compare("fan_club_level", Op.LE, Literal.of(7))));
    assertThatThrownBy(() -> levels.newFacts().put("fan_club_level", new BigDecimal("7.0000000000000001")))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.code()).isEqualTo(RuleException.Code.TYPE_MISMATCH));
    assertThat(levels.newFacts().put("fan_club_level", new BigDecimal("7.5")).number("fan_club_level")).isEqualTo(7.5);
  }

  @Test
  void clear_filledFacts_makesEveryFactMissing() {
    Facts facts = rule.newFacts().set("days_following", 9).set("member_of_groups", Set.of("g1"));
    assertThat(rule.decide(facts)).isEqualTo(Outcome.ALLOW);
    facts.clear();
    assertThat(rule.evaluate(facts)).isEqualTo(Truth.UNKNOWN);
  }

  @Test
  void markFailed_factARuleReads_isUnknown() {
    Facts facts = rule.newFacts().set("days_following", 9).markFailed("member_of_groups");
    assertThat(rule.evaluate(facts)).isEqualTo(Truth.UNKNOWN);
    assertThat(rule.decide(facts)).isEqualTo(Outcome.DENY);
  }

  @Test
  void copy_changedAfterwards_leavesTheOriginal() {
    Facts facts = rule.newFacts().set("days_following", 9);
    Facts copy = facts.copy().set("days_following", 1);
    assertThat(facts.number("days_following")).isEqualTo(9.0);
    assertThat(copy.number("days_following")).isEqualTo(1.0);
  }
}
