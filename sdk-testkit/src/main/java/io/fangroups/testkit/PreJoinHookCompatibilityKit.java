package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fangroups.spi.PreJoinHook;
import io.fangroups.spi.PreJoinHook.JoinAttempt;
import io.fangroups.spi.PreJoinHook.Outcome;
import io.fangroups.spi.PreJoinHook.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PreJoinHook}, rules {@code PJ-1} to {@code PJ-6} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test and return the implementation under test, in front of
 * a host backend that answers the verdicts the kit asks for:
 *
 * <pre>{@code
 * class RiskControlHookCompatibilityTest extends PreJoinHookCompatibilityKit {
 *   @Override
 *   protected PreJoinHook newHook(Map<JoinAttempt, Verdict> decisions) {
 *     decisions.forEach(riskStub::answer); // a stub of the risk-control service
 *     return new RiskControlHook(riskStub.url());
 *   }
 * }
 * }</pre>
 *
 * <p>The kit makes up group, creator and user ids no other test uses. PJ-2 and PJ-3 need a host
 * the adapter can break; they are skipped unless the adapter declares it can
 * ({@link #supportsFailingHost()}, {@link #supportsSilentHost()}).
 */
public abstract class PreJoinHookCompatibilityKit {
  private static final int THREADS = 16;
  private static final List<String> PATHS = List.of("button", "invite", "passcode");

  private final String idPrefix = "testkit-" + UUID.randomUUID() + "-";

  /** Creates the kit. */
  protected PreJoinHookCompatibilityKit() {}

  /**
   * The implementation under test, in front of a host whose backend answers each attempt in
   * {@code decisions} with its verdict, and any other attempt with no objection
   * ({@link Verdict#allow()}). Called once or more per test.
   */
  protected abstract PreJoinHook newHook(Map<JoinAttempt, Verdict> decisions);

  /** Whether the adapter can make a hook whose host backend fails every request (PJ-2). */
  protected boolean supportsFailingHost() {
    return false;
  }

  /** A hook whose host backend fails every request (refuses connections, answers errors). */
  protected PreJoinHook newHookWithFailingHost() {
    throw new UnsupportedOperationException("override with supportsFailingHost()");
  }

  /** Whether the adapter can make a hook whose host backend takes requests and never answers (PJ-3). */
  protected boolean supportsSilentHost() {
    return false;
  }

  /** A hook whose host backend accepts requests and never answers them. */
  protected PreJoinHook newHookWithSilentHost() {
    throw new UnsupportedOperationException("override with supportsSilentHost()");
  }

  /** How long the kit waits for a stage before calling it hung; a guard, never a performance check. */
  protected Duration hangGuard() {
    return Duration.ofSeconds(30);
  }

  /** PJ-1: {@code beforeJoin} returns a stage for every attempt and never throws. */
  @Test
  @DisplayName("PJ-1 beforeJoin never throws and never returns null")
  void pj1_beforeJoinNeverThrows() {
    PreJoinHook hook = newHook(Map.of());
    List<JoinAttempt> attempts = new ArrayList<>();
    for (String path : PATHS) {
      attempts.add(attempt("unknown-user", path));
    }
    attempts.add(new JoinAttempt(id("group-never-seen"), id("creator"), id("用户 /?&"), "button"));
    for (JoinAttempt attempt : attempts) {
      assertThat(Stages.stageOf("beforeJoin of " + attempt, () -> hook.beforeJoin(attempt)))
          .as("stage for %s", attempt).isNotNull();
    }
  }

  /** PJ-2: a failing host never yields a verdict: the SDK's failure mode decides, not the hook. */
  @Test
  @DisplayName("PJ-2 a host failure fails the stage, never a verdict of the hook's own")
  void pj2_hostFailureFailsTheStage() {
    assumeTrue(supportsFailingHost(), "the adapter cannot make a failing host");
    PreJoinHook hook = newHookWithFailingHost();
    JoinAttempt attempt = attempt("applicant", "button");
    assertThat(Stages.outcome(() -> hook.beforeJoin(attempt), hangGuard()))
        .as("how beforeJoin ended while the host was failing").isNotEqualTo(Stages.Outcome.COMPLETED);
  }

  /** PJ-3: {@code beforeJoin} returns before the host has answered. */
  @Test
  @DisplayName("PJ-3 beforeJoin returns before the host answers")
  void pj3_beforeJoinReturnsBeforeTheHostAnswers() {
    assumeTrue(supportsSilentHost(), "the adapter cannot make a silent host");
    PreJoinHook hook = newHookWithSilentHost();
    JoinAttempt attempt = attempt("applicant", "passcode");

    CompletionStage<Verdict> stage =
        Stages.returnsWithin("beforeJoin with a silent host", () -> hook.beforeJoin(attempt), hangGuard());
    assertThat(stage).as("stage").isNotNull();
    assertThat(stage.toCompletableFuture().isDone() && !stage.toCompletableFuture().isCompletedExceptionally())
        .as("a verdict the silent host never gave").isFalse();
  }

  /** PJ-4: the host's verdict arrives unchanged: each outcome, with its reason. */
  @Test
  @DisplayName("PJ-4 the host's verdict arrives unchanged")
  void pj4_verdictArrivesUnchanged() {
    Map<JoinAttempt, Verdict> decisions = new LinkedHashMap<>();
    decisions.put(attempt("allowed", "button"), Verdict.allow());
    decisions.put(attempt("reviewed", "invite"), new Verdict(Outcome.REVIEW, "新账号，请群主审核"));
    decisions.put(attempt("denied", "passcode"), new Verdict(Outcome.DENY, "risk control: device farm"));
    PreJoinHook hook = newHook(decisions);

    decisions.forEach((attempt, expected) ->
        assertThat(ask(hook, attempt)).as("verdict for %s", attempt).isEqualTo(expected));
  }

  /** PJ-5: asking again about the same attempt (a retry) gives the same verdict. */
  @Test
  @DisplayName("PJ-5 asking again gives the same verdict")
  void pj5_askingAgainGivesTheSameVerdict() {
    JoinAttempt allowed = attempt("retried", "button");
    JoinAttempt denied = attempt("retried-denied", "invite");
    Verdict deny = new Verdict(Outcome.DENY, "");
    PreJoinHook hook = newHook(Map.of(allowed, Verdict.allow(), denied, deny));

    for (int ask = 1; ask <= 3; ask++) {
      assertThat(ask(hook, allowed)).as("verdict on ask %d for %s", ask, allowed).isEqualTo(Verdict.allow());
      assertThat(ask(hook, denied)).as("verdict on ask %d for %s", ask, denied).isEqualTo(deny);
    }
  }

  /** PJ-6: concurrent asks each get the verdict for their own attempt. */
  @Test
  @DisplayName("PJ-6 thread-safe: concurrent asks get their own verdicts")
  void pj6_threadSafe() {
    Map<JoinAttempt, Verdict> decisions = new LinkedHashMap<>();
    for (int thread = 0; thread < THREADS; thread++) {
      decisions.put(attempt("concurrent-" + thread, "button"), thread % 2 == 0
          ? Verdict.allow() : new Verdict(Outcome.DENY, ""));
    }
    PreJoinHook hook = newHook(decisions);
    List<JoinAttempt> attempts = List.copyOf(decisions.keySet());

    List<List<String>> problems = Concurrently.run(THREADS, thread -> {
      List<String> wrong = new ArrayList<>();
      for (int call = 0; call < 50; call++) {
        JoinAttempt attempt = attempts.get((thread + call) % attempts.size());
        Verdict verdict = ask(hook, attempt);
        if (!decisions.get(attempt).equals(verdict)) {
          wrong.add(attempt + " got " + verdict);
        }
      }
      return wrong;
    });
    assertThat(problems.stream().flatMap(List::stream).toList()).as("wrong verdicts under concurrency").isEmpty();
  }

  private Verdict ask(PreJoinHook hook, JoinAttempt attempt) {
    Verdict verdict = Stages.await("beforeJoin of " + attempt, () -> hook.beforeJoin(attempt), hangGuard());
    assertThat(verdict).as("verdict for %s", attempt).isNotNull();
    return verdict;
  }

  private JoinAttempt attempt(String user, String path) {
    return new JoinAttempt(id("group"), id("creator"), id("user-" + user), path);
  }

  private String id(String name) {
    return idPrefix + name;
  }
}
