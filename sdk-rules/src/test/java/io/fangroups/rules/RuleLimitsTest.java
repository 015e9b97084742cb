package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Rules built in code obey the JSON form's limits (32 levels, 2,000 nodes with each value of an
 * {@code in} list counted, 64 KiB of canonical JSON), so every rule value can be written, hashed,
 * compared, printed and read back; extreme instants and sizes never escape as another exception.
 */
class RuleLimitsTest {
  private static final Rule LEAF = Rule.atLeast("days_following", 7);
  private final RuleCompiler compiler = RuleCompiler.of();

  private static void assertRefused(ThrowingCallable call, RuleException.Code code, String limit) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RuleException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(limit);
    });
  }

  /** Builds the rule {@code levels} deep, then uses it every way a caller might. */
  private void buildAndUse(UnaryOperator<Rule> wrap, int levels) {
    Rule rule = LEAF;
    for (int i = 1; i < levels; i++) {
      rule = wrap.apply(rule);
    }
    Policy policy = Policy.of(rule);
    assertThat(RuleJson.read(RuleJson.write(policy))).isEqualTo(policy).hasSameHashCodeAs(policy);
    assertThat(rule.toString()).contains("days_following");
    compiler.compile(policy);
  }

  @Test
  void not_10000Deep_isRuleTooDeep() {
    assertRefused(() -> buildAndUse(Rule::not, 10_000), RuleException.Code.RULE_TOO_DEEP, "32");
  }

  @Test
  void allAnyAtLeast_10000Deep_areRuleTooDeep() {
    assertRefused(() -> buildAndUse(r -> Rule.all(Rule.any(r, LEAF)), 10_000), RuleException.Code.RULE_TOO_DEEP, "32");
    assertRefused(() -> buildAndUse(r -> Rule.atLeast(1, r), 10_000), RuleException.Code.RULE_TOO_DEEP, "32");
  }

  @Test
  void write_ruleAtTheDepthLimit_readsBackAndCompiles() {
    assertThatCode(() -> buildAndUse(Rule::not, 32)).doesNotThrowAnyException();
    assertThatCode(() -> buildAndUse(r -> Rule.any(r), 32)).doesNotThrowAnyException();
    assertThatCode(() -> buildAndUse(r -> Rule.atLeast(1, r, LEAF), 32)).doesNotThrowAnyException();
    assertRefused(() -> buildAndUse(Rule::not, 33), RuleException.Code.RULE_TOO_DEEP, "32");
  }

  @Test
  void compile_ruleDeepOnlyThroughReferences_isRuleTooDeep() {
    Map<String, Rule> definitions = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      definitions.put("d" + i, i == 99 ? LEAF : Rule.not(Rule.ref("d" + (i + 1))));
    }
    Policy policy = new Policy(Rule.ref("d0"), definitions, UnknownPolicy.DENY);
    assertRefused(() -> compiler.compile(policy), RuleException.Code.RULE_TOO_DEEP, "32");
    assertThat(compiler.check(policy)).extracting(Finding::code).containsExactly(Finding.Code.RULE_TOO_DEEP);
  }

  @Test
  void in_100000ValuesInCode_isRuleTooLarge() {
    String[] values = new String[100_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = "v" + i;
    }
    assertRefused(() -> compiler.compile(Policy.of(Rule.in("region", values))), RuleException.Code.RULE_TOO_LARGE, "2000");
  }

  @Test
  void read_inListOverTheNodeLimit_isRuleTooLarge() {
    for (int count : new int[] {2_001, 100_000}) {
      List<String> values = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        values.add("\"v" + i + "\"");
      }
      String json = "{\"version\":1,\"rule\":{\"fact\":\"region\",\"op\":\"in\",\"values\":[" + String.join(",", values) + "]}}";
      assertThatThrownBy(() -> compiler.compile(json)).isInstanceOfSatisfying(RuleException.class,
          e -> assertThat(e.code()).isEqualTo(RuleException.Code.RULE_TOO_LARGE));
    }
  }

  @Test
  void all_inListsOverTheNodeLimitTogether_isRuleTooLarge() {
    String[] values = new String[1_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = "v" + i;
    }
    Rule half = Rule.in("region", values);
    assertThat(compiler.compile(Policy.of(Rule.all(half, LEAF))).decide(compiler.compile(Policy.of(half)).newFacts()))
        .isEqualTo(Outcome.DENY);
    assertRefused(() -> Rule.all(half, half, LEAF), RuleException.Code.RULE_TOO_LARGE, "2000");
  }

  @Test
  void policy_definitionsTogetherOverTheNodeLimit_isRuleTooLarge() {
    List<Rule> leaves = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      leaves.add(LEAF);
    }
    Rule big = new Rule.All(leaves);
    assertRefused(() -> new Policy(big, Map.of("spare", big), UnknownPolicy.DENY), RuleException.Code.RULE_TOO_LARGE, "2000");
  }

  @Test
  void write_canonicalFormOver64KiB_isRuleTooLarge() {
    List<Rule> leaves = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      leaves.add(Rule.in("region", ("r" + i + "-").repeat(40)));
    }
    Policy policy = Policy.of(new Rule.Any(leaves));
    assertRefused(() -> RuleJson.write(policy), RuleException.Code.RULE_TOO_LARGE, "65536");
    assertRefused(() -> compiler.compile(policy), RuleException.Code.RULE_TOO_LARGE, "65536");
  }

  @Test
  void explain_nowAtTheEndsOfTime_keepsEligibleFromInYears0To9999() {
    CompiledRule rule = compiler.compile(Policy.of(LEAF));
    Facts facts = rule.newFacts().set("days_following", 3);
    for (Instant now : new Instant[] {Instant.MAX, Instant.MIN}) {
      Explanation why = rule.explain(facts, now);
      assertThat(why.paths()).singleElement().satisfies(path -> {
        assertThat(path.waitDays()).isEqualTo(4);
        assertThat(path.eligibleFrom()).isBetween(Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999Z"));
      });
      for (ZoneId zone : List.of(ZoneOffset.MAX, ZoneOffset.MIN)) {
        assertThat(ExplanationRenderer.of(zone).render(why, Locale.ENGLISH)).contains("follow for 4 more days");
        assertThat(ExplanationRenderer.of(zone).render(why, Locale.CHINESE)).contains("再关注 4 天");
      }
    }
  }

  @Test
  void render_hostPathEndingAtInstantMax_showsTheLastSupportedDay() {
    EligibilityPath path = new EligibilityPath(4, Instant.MAX, 0,
        List.of(new PathStep(PathStep.Kind.WAIT, "days_following", "4", 4, "path.wait", List.of())));
    Explanation why = new Explanation(Outcome.DENY, Truth.FALSE, List.of(), List.of(path));
    assertThat(ExplanationRenderer.of(ZoneOffset.UTC).render(why, Locale.ENGLISH)).contains("31 December 9999");
    assertThatCode(() -> ExplanationRenderer.of(ZoneOffset.MAX).render(why, Locale.CHINESE)).doesNotThrowAnyException();
  }
}
