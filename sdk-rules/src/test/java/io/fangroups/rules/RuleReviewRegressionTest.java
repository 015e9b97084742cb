package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Regression tests from the review of sdk-rules: each failed before its fix. */
class RuleReviewRegressionTest {
  private final RuleCompiler compiler = RuleCompiler.of();

  private static String doc(String rule) {
    return "{\"version\":1,\"rule\":" + rule + "}";
  }

  // F1: sub-millisecond instant facts are truncated; under negation a strict 'after' becomes '>=' -> wrong ALLOW.
  @Test
  void notAfter_instantHalfAMillisecondLater_mustDeny() {
    CompiledRule rule = compiler.compile(doc(
        "{\"not\":{\"fact\":\"followed_since\",\"op\":\"after\",\"value\":\"2026-01-01T00:00:00Z\"}}"));
    Facts facts = rule.newFacts().set("followed_since", Instant.parse("2026-01-01T00:00:00.000500Z"));
    // followed_since IS after 2026-01-01T00:00:00Z, so "not after" is false
    assertThat(rule.decide(facts)).isEqualTo(Outcome.DENY);
  }
  // F2: an unused definition naming an unregistered predicate crashes compile with NullPointerException.
  @Test
  void unusedDefinitionWithUnknownPredicate_throwsRuleExceptionOnly() {
    String json = "{\"version\":1,\"definitions\":{\"x\":{\"custom\":\"nope\"}},"
        + "\"rule\":{\"fact\":\"phone_verified\",\"op\":\"==\",\"value\":true}}";
    assertThatCode(() -> {
      try {
        compiler.compile(json);
      } catch (RuleException expected) {
        // fine: a RuleException is the documented failure
      }
    }).doesNotThrowAnyException();
  }
  // F3: numbers a double cannot hold exactly are refused instead of silently rounded across a threshold.
  @Test
  void hugeIntegerConstant_isRefusedNotRounded() {
    RuleException e = org.assertj.core.api.Assertions.catchThrowableOfType(() -> compiler.compile(doc(
        "{\"fact\":\"days_following\",\"op\":\"==\",\"value\":9007199254740993}")), RuleException.class);
    assertThat(e.code()).isEqualTo(RuleException.Code.TYPE_MISMATCH);
    assertThat(e.pointer()).contains("/rule/value");
  }

  @Test
  void bigDecimalFactJustAboveMaximum_isRefusedNotRounded() {
    CompiledRule rule = compiler.compile(doc("{\"fact\":\"fan_club_level\",\"op\":\"<=\",\"value\":7}"));
    RuleException e = org.assertj.core.api.Assertions.catchThrowableOfType(
        () -> rule.newFacts().put("fan_club_level", new BigDecimal("7.0000000000000001")), RuleException.class);
    assertThat(e.code()).isEqualTo(RuleException.Code.TYPE_MISMATCH);
    assertThat(rule.newFacts().put("fan_club_level", new BigDecimal("7.5")).number("fan_club_level")).isEqualTo(7.5);
  }

  // F4: Facts.set(Instant) throws ArithmeticException instead of RuleException for out-of-range instants.
  @Test
  void extremeInstantFact_throwsRuleExceptionOnly() {
    CompiledRule rule = compiler.compile(doc(
        "{\"fact\":\"followed_since\",\"op\":\"before\",\"value\":\"2026-01-01T00:00:00Z\"}"));
    assertThatCode(() -> {
      try {
        rule.newFacts().set("followed_since", Instant.MAX);
      } catch (RuleException expected) {
        // documented
      }
    }).doesNotThrowAnyException();
  }
  // F8: an unknown custom predicate is labelled through "fact.<name>", not "predicate.<name>".
  @Test
  void unknownCustomPredicate_usesPredicateLabel() {
    CustomPredicate vip = new CustomPredicate() {
      @Override public String name() { return "is_vip"; }
      @Override public Truth test(Facts facts) { throw new IllegalStateException("backend down"); }
    };
    CompiledRule rule = RuleCompiler.builder().predicate(vip).build().compile(doc("{\"custom\":\"is_vip\"}"));
    Explanation why = rule.explain(rule.newFacts(), Instant.EPOCH);
    MessageSource labels = (key, locale) -> key.equals("predicate.is_vip") ? Optional.of("VIP status") : Optional.empty();
    String text = ExplanationRenderer.of(labels, ZoneOffset.UTC).render(why, Locale.ENGLISH);
    assertThat(text).contains("VIP status");
  }
  // F9: a predicate that rethrows a checked exception escapes decide() (only RuntimeException is caught).
  @Test
  void predicateThrowingCheckedException_isUnknown() {
    CustomPredicate sneaky = new CustomPredicate() {
      @Override public String name() { return "sneaky"; }
      @Override public Truth test(Facts facts) { return RuleReviewRegressionTest.<RuntimeException>sneakyThrow(new java.io.IOException("io")); }
    };
    CompiledRule rule = RuleCompiler.builder().predicate(sneaky).build()
        .compile("{\"version\":1,\"unknown\":\"review\",\"rule\":{\"custom\":\"sneaky\"}}");
    assertThatCode(() -> assertThat(rule.decide(rule.newFacts())).isEqualTo(Outcome.REVIEW)).doesNotThrowAnyException();
  }
  // F12: membership reasons render the rule syntax: "member of group contains vip" / "not ... not contains old".
  @Test
  void membershipReasons_renderTheGroupId() {
    CompiledRule rule = RuleCompiler.of().compile("{\"version\":1,\"rule\":{\"all\":["
        + "{\"fact\":\"member_of_groups\",\"op\":\"contains\",\"value\":\"vip\"},"
        + "{\"not\":{\"fact\":\"member_of_groups\",\"op\":\"contains\",\"value\":\"old\"}}]}}");
    Facts facts = rule.newFacts().set("member_of_groups", Set.of("old"));
    Explanation why = rule.explain(facts, Instant.EPOCH);
    String en = ExplanationRenderer.of(ZoneOffset.UTC).render(why, Locale.ENGLISH);
    String zh = ExplanationRenderer.of(ZoneOffset.UTC).render(why, Locale.CHINESE);
    assertThat(en).doesNotContain("group contains").doesNotContain("not contains");
    assertThat(zh).doesNotContain("contains");
  }
  // F13: a custom predicate that declares a sensitive fact is still named in the explanation.
  @Test
  void customPredicateOverSensitiveFact_isRestricted() {
    CustomPredicate regionAllowed = new CustomPredicate() {
      @Override public String name() { return "region_allowed"; }
      @Override public List<String> facts() { return List.of("region"); }
      @Override public Truth test(Facts f) { return f.string("region").equals("CN") ? Truth.TRUE : Truth.FALSE; }
    };
    CompiledRule rule = RuleCompiler.builder().predicate(regionAllowed).build()
        .compile("{\"version\":1,\"rule\":{\"custom\":\"region_allowed\"}}");
    Explanation why = rule.explain(rule.newFacts().set("region", "US"), Instant.EPOCH);
    String en = ExplanationRenderer.of(ZoneOffset.UTC).render(why, Locale.ENGLISH);
    assertThat(why.reasons()).extracting(Reason::code).containsOnly(ReasonCode.RESTRICTED);
    assertThat(en).doesNotContain("region");
  }
  @Test
  void ruleThatCanNeverHold_stillRendersASentence() {
    CompiledRule rule = compiler.compile(doc("{\"any\":[]}"));
    String text = ExplanationRenderer.of(ZoneOffset.UTC).render(rule.explain(rule.newFacts(), Instant.EPOCH), Locale.ENGLISH);
    assertThat(text).doesNotContain(": .").contains("entry conditions");
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> Truth sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }
}
