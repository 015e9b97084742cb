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

  private static CompiledRule compile(RuleCompiler compiler, String rule) {
    return compiler.compile("{\"version\":1,\"rule\":" + rule + "}");
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
