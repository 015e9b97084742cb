package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {
  private final RuleCompiler compiler = Generators.COMPILER;

  private static List<Finding.Code> codes(List<Finding> findings) {
    return findings.stream().map(Finding::code).toList();
  }

  @Test
  void check_contradictoryBounds_isUnsatisfiable() {
    Rule rule = Rule.all(Rule.atLeast("days_following", 30), Rule.compare("days_following", Op.LT, Literal.of(10)));
    assertThat(codes(compiler.check(Policy.of(rule)))).containsExactly(Finding.Code.UNSATISFIABLE);
  }

  @Test
  void check_tautology_alwaysAllows() {
    Rule rule = Rule.any(Rule.atLeast("days_following", 7), Rule.compare("days_following", Op.LT, Literal.of(7)));
    assertThat(codes(compiler.check(Policy.of(rule)))).containsExactly(Finding.Code.ALWAYS_ALLOWS);
  }

  @Test
  void check_instantsOneMicrosecondApart_areUnsatisfiable() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    Rule rule = Rule.all(Rule.after("followed_since", t), Rule.before("followed_since", t.plusNanos(1000)));
    assertThat(codes(compiler.check(Policy.of(rule)))).containsExactly(Finding.Code.UNSATISFIABLE);
    Rule roomy = Rule.all(Rule.after("followed_since", t), Rule.before("followed_since", t.plusMillis(1)));
    assertThat(codes(compiler.check(Policy.of(roomy)))).isEmpty(); // instants are exact to the microsecond
  }

  @Test
  void check_thresholdBeyondTwoToThe53_isComparedExactly() {
    double huge = 0x1p60; // its neighbours as doubles are 256 apart
    assertThat(codes(compiler.check(Policy.of(Rule.between("score", huge, huge))))).isEmpty();
    Rule above = Rule.compare("score", Op.GT, Literal.of(huge));
    Rule notAbove = Rule.compare("score", Op.LE, Literal.of(huge));
    assertThat(codes(compiler.check(Policy.of(Rule.all(above, notAbove))))).containsExactly(Finding.Code.UNSATISFIABLE);
  }

  @Test
  void check_severalErrors_reportsEachWithItsPointer() {
    Rule rule = Rule.all(Rule.atLeast("days_folowing", 7), Rule.is("fan_club_level", true), Rule.ref("nope"));
    List<Finding> findings = compiler.check(Policy.of(rule));
    assertThat(findings).extracting(Finding::code, Finding::pointer).containsExactly(
        org.assertj.core.api.Assertions.tuple(Finding.Code.UNKNOWN_FACT, "/rule/all/0/fact"),
        org.assertj.core.api.Assertions.tuple(Finding.Code.TYPE_MISMATCH, "/rule/all/1"),
        org.assertj.core.api.Assertions.tuple(Finding.Code.UNKNOWN_REFERENCE, "/rule/all/2/ref"));
    assertThat(findings).allMatch(Finding::isError);
  }

  @Test
  void check_unusedDefinition_isAWarning() {
    Policy policy = new Policy(Rule.atLeast("days_following", 7), java.util.Map.of("spare", Rule.all()), UnknownPolicy.DENY);
    assertThat(compiler.check(policy)).singleElement().satisfies(f -> {
      assertThat(f.code()).isEqualTo(Finding.Code.UNUSED_DEFINITION);
      assertThat(f.isError()).isFalse();
    });
  }

  @Test
  void check_malformedJson_isOneFinding() {
    assertThat(codes(compiler.check("{"))).containsExactly(Finding.Code.RULE_INVALID);
  }

  @Test
  void compile_unusedDefinitionNamingAnUnregisteredPredicate_compilesAndIsReported() {
    Policy policy = new Policy(Rule.is("phone_verified", true), java.util.Map.of("x", Rule.custom("nope")), UnknownPolicy.DENY);
    CompiledRule rule = compiler.compile(policy);
    assertThat(rule.decide(rule.newFacts().set("phone_verified", true))).isEqualTo(Outcome.ALLOW);
    assertThat(codes(compiler.check(policy))).containsExactly(Finding.Code.UNUSED_DEFINITION);
  }

  @Test
  void compile_customPredicate_requiresTheFactsItDeclares() {
    CompiledRule rule = compiler.compile(Policy.of(Rule.custom("score_even")));
    assertThat(rule.requiredFacts()).extracting(Fact::name).containsExactly("score");
    assertThat(rule.decide(rule.newFacts().set("score", 4))).isEqualTo(Outcome.ALLOW);
    assertThat(rule.decide(rule.newFacts())).isEqualTo(Outcome.DENY);
  }

  @Test
  void decide_predicateThrowing_isUnknown() {
    CustomPredicate broken = new CustomPredicate() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public Truth test(Facts facts) {
        throw new IllegalStateException("host failure");
      }
    };
    CompiledRule rule = RuleCompiler.builder().predicate(broken).build().compile(Policy.of(Rule.custom("broken"), UnknownPolicy.REVIEW));
    assertThat(rule.decide(rule.newFacts())).isEqualTo(Outcome.REVIEW);
  }

  @Test
  void decide_predicateThrowingACheckedException_isUnknown() {
    CustomPredicate sneaky = new CustomPredicate() {
      @Override
      public String name() {
        return "sneaky";
      }

      @Override
      public Truth test(Facts facts) {
        return RuleCompilerTest.<RuntimeException>sneakyThrow(new java.io.IOException("io"));
      }
    };
    CompiledRule rule = RuleCompiler.builder().predicate(sneaky).build().compile(Policy.of(Rule.custom("sneaky"), UnknownPolicy.REVIEW));
    assertThat(rule.decide(rule.newFacts())).isEqualTo(Outcome.REVIEW);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> Truth sneakyThrow(Throwable t) throws E {
    throw (E) t;
  }

  @Test
  void builder_predicateOrSchemaTwice_failsFast() {
    RuleCompiler.Builder builder = RuleCompiler.builder().predicate(Generators.SCORE_EVEN);
    assertThatThrownBy(() -> builder.predicate(Generators.SCORE_EVEN)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("score_even");
    assertThatThrownBy(() -> RuleCompiler.builder().schema(FactSchema.standard()).schema(FactSchema.standard()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("schema");
  }

  @Test
  void discoverPredicates_serviceLoaderProvider_isRegistered() {
    CompiledRule rule = RuleCompiler.builder().discoverPredicates().build().compile(Policy.of(Rule.custom("always_true")));
    assertThat(rule.decide(rule.newFacts())).isEqualTo(Outcome.ALLOW);
  }

  @Test
  void compile_providerNotDiscovered_isUnknownPredicate() {
    assertThatThrownBy(() -> RuleCompiler.of().compile(Policy.of(Rule.custom("always_true"))))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.code()).isEqualTo(RuleException.Code.UNKNOWN_PREDICATE));
  }

  @Test
  void set_wrongTypeOrName_isRuleException() {
    Facts facts = compiler.compile(Policy.of(Rule.all())).newFacts();
    assertThatThrownBy(() -> facts.set("banned", 3)).isInstanceOfSatisfying(RuleException.class,
        e -> assertThat(e.code()).isEqualTo(RuleException.Code.TYPE_MISMATCH));
    assertThatThrownBy(() -> facts.set("bannd", true)).isInstanceOfSatisfying(RuleException.class,
        e -> assertThat(e.getMessage()).contains("did you mean 'banned'?"));
    assertThatThrownBy(() -> facts.set("score", Double.NaN)).isInstanceOf(RuleException.class);
  }

  @Test
  void leaf_wrongArity_isRuleInvalid() {
    assertThatThrownBy(() -> new Rule.Leaf("score", Op.BETWEEN, List.of(Literal.of(1))))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.code()).isEqualTo(RuleException.Code.RULE_INVALID));
    assertThatThrownBy(() -> Rule.atLeast(3, Rule.all()))
        .isInstanceOfSatisfying(RuleException.class, e -> assertThat(e.code()).isEqualTo(RuleException.Code.RULE_INVALID));
  }
}
