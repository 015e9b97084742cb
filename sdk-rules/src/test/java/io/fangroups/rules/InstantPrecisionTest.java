package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Instants are compared to the microsecond in years 0 to 9999; anything else is refused, never rounded. */
class InstantPrecisionTest {
  private static final Instant MICRO = Instant.parse("2024-03-01T00:00:00.000001Z");
  private static final String AFTER_MICRO =
      "{\"version\":1,\"rule\":{\"fact\":\"followed_since\",\"op\":\"after\",\"value\":\"2024-03-01T00:00:00.000001Z\"}}";

  private final RuleCompiler compiler = RuleCompiler.of();

  private static void assertTypeMismatch(ThrowingCallable call, String pointer) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RuleException.class, e -> {
      assertThat(e.code()).isEqualTo(RuleException.Code.TYPE_MISMATCH);
      assertThat(e.pointer().orElse(null)).isEqualTo(pointer);
    });
  }

  private static String afterJson(String instant) {
    return "{\"version\":1,\"rule\":{\"fact\":\"followed_since\",\"op\":\"after\",\"value\":\"" + instant + "\"}}";
  }

  @Test
  void decide_afterAMicrosecondLiteralFromJson_deniesThatVeryInstantAndAllowsTheNext() {
    CompiledRule rule = compiler.compile(AFTER_MICRO);
    assertThat(rule.decide(rule.newFacts().set("followed_since", MICRO))).isEqualTo(Outcome.DENY);
    assertThat(rule.decide(rule.newFacts().set("followed_since", MICRO.plusNanos(1000)))).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void decide_notAfterAnInstantHalfAMillisecondEarlier_denies() {
    CompiledRule rule = compiler.compile(Policy.of(Rule.not(Rule.after("followed_since", Instant.parse("2026-01-01T00:00:00Z")))));
    Facts facts = rule.newFacts().set("followed_since", Instant.parse("2026-01-01T00:00:00.000500Z"));
    assertThat(rule.decide(facts)).isEqualTo(Outcome.DENY); // it is after, by 500 microseconds
  }

  @Test
  void decide_afterAMicrosecondLiteralBuiltInCode_deniesThatVeryInstant() {
    CompiledRule rule = compiler.compile(Policy.of(Rule.after("followed_since", MICRO)));
    assertThat(rule.decide(rule.newFacts().set("followed_since", MICRO))).isEqualTo(Outcome.DENY);
    assertThat(((Literal.Time) Literal.of(MICRO)).value()).isEqualTo(MICRO);
  }

  @Test
  void write_microsecondLiteral_keepsItInTheCanonicalFormAndHash() {
    Policy policy = RuleJson.read(AFTER_MICRO);
    assertThat(RuleJson.write(policy)).contains("\"2024-03-01T00:00:00.000001Z\"");
    assertThat(RuleJson.hash(policy)).isNotEqualTo(RuleJson.hash(RuleJson.read(afterJson("2024-03-01T00:00:00Z"))));
  }

  @Test
  void read_literalFinerThanAMicrosecond_isRefusedNotRounded() {
    assertTypeMismatch(() -> RuleJson.read(afterJson("2024-03-01T00:00:00.000000001Z")), "/rule/value");
    assertThat(compiler.check(afterJson("2024-03-01T00:00:00.0000015Z"))).extracting(Finding::code, Finding::pointer)
        .containsExactly(org.assertj.core.api.Assertions.tuple(Finding.Code.TYPE_MISMATCH, "/rule/value"));
  }

  @Test
  void literal_finerThanAMicrosecond_isRefusedNotRounded() {
    assertTypeMismatch(() -> Literal.of(MICRO.plusNanos(1)), null);
    assertTypeMismatch(() -> Rule.before("followed_since", MICRO.plusNanos(999)), null);
  }

  @Test
  void read_literalOutsideYears0To9999_isTypeMismatch() {
    assertTypeMismatch(() -> RuleJson.read(afterJson("+10000-01-01T00:00:00Z")), "/rule/value");
    assertTypeMismatch(() -> RuleJson.read(afterJson("-0001-12-31T23:59:59.999999Z")), "/rule/value");
    assertTypeMismatch(() -> Literal.of(Instant.MAX), null);
  }

  @Test
  void read_literalAtTheEdgesOfYears0To9999_isAccepted() {
    for (String edge : new String[] {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"}) {
      Policy policy = RuleJson.read(afterJson(edge));
      assertThat(RuleJson.write(policy)).contains(edge);
      CompiledRule rule = compiler.compile(policy);
      assertThat(rule.decide(rule.newFacts().set("followed_since", Instant.parse(edge)))).isEqualTo(Outcome.DENY);
    }
  }

  @Test
  void set_instantOutsideYears0To9999_isTypeMismatch() {
    Facts facts = compiler.compile(AFTER_MICRO).newFacts();
    assertTypeMismatch(() -> facts.set("followed_since", Instant.parse("+10000-01-01T00:00:00Z")), null);
    assertTypeMismatch(() -> facts.put("followed_since", Instant.parse("-0001-12-31T23:59:59Z")), null);
    assertTypeMismatch(() -> facts.set("followed_since", Instant.MAX), null);
    assertThat(facts.isPresent("followed_since")).isFalse();
  }

  @Test
  void set_instantFinerThanAMicrosecond_isTypeMismatch() {
    Facts facts = compiler.compile(AFTER_MICRO).newFacts();
    assertTypeMismatch(() -> facts.set("followed_since", MICRO.plusNanos(1)), null);
    assertThat(facts.set("followed_since", MICRO).instant("followed_since")).isEqualTo(MICRO);
  }

  @Test
  void check_instantsTwoMicrosecondsApartFarFromTheEpoch_areSatisfiable() {
    Instant t = Instant.parse("3000-01-01T00:00:00Z");
    Rule between = Rule.all(Rule.after("followed_since", t), Rule.before("followed_since", t.plusNanos(2000)));
    assertThat(compiler.check(Policy.of(between))).isEmpty(); // t + 1 microsecond meets it
    Rule none = Rule.all(Rule.after("followed_since", t), Rule.before("followed_since", t.plusNanos(1000)));
    assertThat(compiler.check(Policy.of(none))).extracting(Finding::code).containsExactly(Finding.Code.UNSATISFIABLE);
  }
}
