package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs a kit's adapter in a nested JUnit engine and reports its rules by outcome. */
final class KitRun {
  private KitRun() {}

  /**
   * What one run of a kit showed, by rule id ({@code AL-1} …).
   *
   * @param failed rules whose test failed
   * @param passed rules whose test passed
   * @param skipped rules skipped by an assumption (optional rules the adapter does not support)
   * @param failures why the failed tests failed
   */
  record Result(Set<String> failed, Set<String> passed, Set<String> skipped, List<Throwable> failures) {}

  /** Runs every test of {@code adapter}, broken twins included. */
  static Result run(Class<?> adapter) {
    Events tests = EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(adapter))
        .configurationParameter(BrokenTwin.ENABLED, "true")
        .execute()
        .testEvents();
    List<Throwable> failures = tests.failed().stream()
        .map(event -> event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable))
        .flatMap(java.util.Optional::stream)
        .toList();
    return new Result(rules(tests.failed()), rules(tests.succeeded()), rules(tests.aborted()), failures);
  }

  /**
   * Asserts that the kit caught {@code twin} on exactly {@code rules}, through failed assertions
   * (not crashes), and that its other rules passed.
   */
  static void assertCaughtOn(Class<?> twin, String... rules) {
    Result result = run(twin);
    assertThat(result.failed()).as("rules the kit reported broken in %s", twin.getSimpleName())
        .containsExactlyInAnyOrder(rules);
    assertThat(result.failures()).as("why the kit's tests failed on %s", twin.getSimpleName())
        .allSatisfy(failure -> assertThat(failure).isInstanceOf(AssertionError.class));
    assertThat(result.passed()).as("rules that passed on %s", twin.getSimpleName()).isNotEmpty();
  }

  private static Set<String> rules(Events events) {
    return events.stream().map(KitRun::ruleId).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The rule id the display name starts with, e.g. {@code AL-1} of {@code "AL-1 begin is atomic per key"}. */
  private static String ruleId(Event event) {
    String name = event.getTestDescriptor().getDisplayName();
    int space = name.indexOf(' ');
    return space < 0 ? name : name.substring(0, space);
  }
}
