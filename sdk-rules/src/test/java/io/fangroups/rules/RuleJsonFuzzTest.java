package io.fangroups.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds mutated and random documents to the reader and compiler: each must give a rule or a
 * RuleException with a JSON Pointer, never another exception.
 */
class RuleJsonFuzzTest {
  private static final int DOCUMENTS = 120_000;
  private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\"all\"", "\"any\"", "\"not\"",
      "\"atLeast\"", "\"k\"", "\"of\"", "\"fact\"", "\"op\"", "\"value\"", "\"values\"", "\"min\"", "\"max\"",
      "\"unit\"", "\"days\"", "\"ref\"", "\"custom\"", "\">=\"", "\"between\"", "\"in\"", "\"before\"",
      "\"days_following\"", "\"region\"", "\"member_of_groups\"", "\"score_even\"", "\"version\"", "\"rule\"",
      "\"definitions\"", "\"unknown\"", "\"review\"", "1", "-1", "0", "1e999", "3.5", "true", "false", "null",
      "\"2026-03-12T00:00:00Z\"", "\"x\"", "\\u0000", "999999999999999999999", " "};

  @Test
  void compile_mutatedDocuments_failOnlyWithRuleException() {
    List<String> seeds = seeds();
    Random random = new Random(20261125L);
    int valid = 0;
    int rejected = 0;
    for (int i = 0; i < DOCUMENTS; i++) {
      String document = i % 10 == 0 ? randomTokens(random) : mutate(seeds.get(random.nextInt(seeds.size())), random);
      try {
        CompiledRule rule = i % 2 == 0 ? Generators.COMPILER.compile(document)
            : Generators.COMPILER.compile(RuleJson.read(document.getBytes(StandardCharsets.UTF_8)));
        assertThat(rule.contentHash()).hasSize(64);
        valid++;
      } catch (RuleException e) {
        assertThat(e.pointer()).as("%s for %s", e.getMessage(), document).isPresent();
        rejected++;
      } catch (RuntimeException | StackOverflowError e) {
        fail("document " + document + " threw " + e, e);
      }
    }
    assertThat(valid).as("some mutants stay valid").isPositive();
    assertThat(rejected).as("most mutants are rejected").isPositive();
  }

  @Test
  void check_mutatedDocuments_reportsAnErrorExactlyWhenCompileRefuses() {
    List<String> seeds = seeds();
    Random random = new Random(7L);
    for (int i = 0; i < 5_000; i++) {
      String document = mutate(seeds.get(random.nextInt(seeds.size())), random);
      List<Finding> errors = Generators.COMPILER.check(document).stream().filter(Finding::isError).toList();
      try {
        Generators.COMPILER.compile(document);
        assertThat(errors).as(document).isEmpty();
      } catch (RuleException e) {
        // check collects every error in the order compile meets them, so its first is compile's
        assertThat(errors).as(document).first().isEqualTo(Finding.of(e));
      }
    }
  }

  private static List<String> seeds() {
    List<String> seeds = new ArrayList<>();
    qt().withFixedSeed(42L).withExamples(200).forAll(Generators.policies())
        .checkAssert(policy -> seeds.add(RuleJson.write(policy)));
    return seeds;
  }

  private static String mutate(String seed, Random random) {
    StringBuilder text = new StringBuilder(seed);
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && text.length() > 0; m++) {
      int at = random.nextInt(text.length());
      switch (random.nextInt(7)) {
        case 0 -> text.deleteCharAt(at);
        case 1 -> text.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
        case 2 -> text.setCharAt(at, (char) random.nextInt(128));
        case 3 -> text.setLength(at);
        case 4 -> {
          int end = Math.min(text.length(), at + random.nextInt(40));
          text.insert(at, text.substring(at, end));
        }
        case 5 -> text.replace(at, Math.min(text.length(), at + 1 + random.nextInt(8)), TOKENS[random.nextInt(TOKENS.length)]);
        default -> {
          int depth = random.nextInt(80);
          text.insert(at, "{\"not\":".repeat(depth)).append("}".repeat(depth));
        }
      }
    }
    return text.toString();
  }

  private static String randomTokens(Random random) {
    StringBuilder text = new StringBuilder();
    int n = random.nextInt(60);
    for (int i = 0; i < n; i++) {
      text.append(TOKENS[random.nextInt(TOKENS.length)]);
    }
    return text.toString();
  }
}
