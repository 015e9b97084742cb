package io.fangroups.testkit;

import io.fangroups.spi.PreJoinHook;
import io.fangroups.spi.PreJoinHook.JoinAttempt;
import io.fangroups.spi.PreJoinHook.Outcome;
import io.fangroups.spi.PreJoinHook.Verdict;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The hook kit catches each deliberately broken hook on the rules it breaks. */
class BrokenPreJoinHookTest {

  @Test
  void throwingForAnUnknownAttempt_isCaughtByPj1() {
    KitRun.assertCaughtOn(ThrowsForUnknownAttempt.class, "PJ-1");
  }

  @Test
  void failingOpenOnItsOwn_isCaughtByPj2() {
    KitRun.assertCaughtOn(FailsOpen.class, "PJ-2");
  }

  @Test
  void waitingForTheHostInBeforeJoin_isCaughtByPj3() {
    KitRun.assertCaughtOn(BlocksInBeforeJoin.class, "PJ-3");
  }

  @Test
  void reviewReadAsAllow_isCaughtByPj4() {
    KitRun.assertCaughtOn(ReviewReadAsAllow.class, "PJ-4");
  }

  @Test
  void denyingARepeatedAsk_isCaughtByPj5() {
    KitRun.assertCaughtOn(DeniesRepeats.class, "PJ-5", "PJ-6");
  }

  @Test
  void attemptKeptInASharedField_isCaughtByPj6() {
    KitRun.assertCaughtOn(SharedAttemptField.class, "PJ-6");
  }

  /** Treats an attempt its host has no entry for as an error instead of no objection. */
  @BrokenTwin
  static final class ThrowsForUnknownAttempt extends PreJoinHookCompatibilityKit {
    @Override
    protected PreJoinHook newHook(Map<JoinAttempt, Verdict> decisions) {
      PreJoinHook reference = new InMemoryPreJoinHook(decisions, Backend.ANSWERS);
      return attempt -> {
        if (!decisions.containsKey(attempt)) {
          throw new IllegalArgumentException("no such application: " + attempt);
        }
        return reference.beforeJoin(attempt);
      };
    }
  }

  /** Answers ALLOW itself when the host fails, overriding the SDK's fail-closed default. */
  @BrokenTwin
  static final class FailsOpen extends InMemoryPreJoinHookCompatibilityTest {
    @Override
    protected PreJoinHook newHookWithFailingHost() {
      PreJoinHook failing = super.newHookWithFailingHost();
      return attempt -> failing.beforeJoin(attempt).exceptionally(failure -> Verdict.allow());
    }
  }

  /** Waits for the host's answer inside beforeJoin. */
  @BrokenTwin
  static final class BlocksInBeforeJoin extends InMemoryPreJoinHookCompatibilityTest {
    @Override
    protected PreJoinHook newHook(Map<JoinAttempt, Verdict> decisions) {
      return blocking(super.newHook(decisions));
    }

    @Override
    protected PreJoinHook newHookWithSilentHost() {
      return blocking(super.newHookWithSilentHost());
    }

    @Override
    protected Duration hangGuard() {
      return Duration.ofSeconds(2);
    }

    private static PreJoinHook blocking(PreJoinHook host) {
      return attempt -> CompletableFuture.completedFuture(host.beforeJoin(attempt).toCompletableFuture().join());
    }
  }

  /** A client that knows only allow and deny: a REVIEW comes back as ALLOW. */
  @BrokenTwin
  static final class ReviewReadAsAllow extends InMemoryPreJoinHookCompatibilityTest {
    @Override
    protected PreJoinHook newHook(Map<JoinAttempt, Verdict> decisions) {
      PreJoinHook host = super.newHook(decisions);
      return attempt -> host.beforeJoin(attempt).thenApply(
          verdict -> verdict.outcome() == Outcome.REVIEW ? Verdict.allow() : verdict);
    }
  }

  /** Records each application and denies a repeat as spam, so a retry changes the verdict. */
  @BrokenTwin
  static final class DeniesRepeats extends InMemoryPreJoinHookCompatibilityTest {
    @Override
    protected PreJoinHook newHook(Map<JoinAttempt, Verdict> decisions) {
      PreJoinHook host = super.newHook(decisions);
      Set<JoinAttempt> seen = new HashSet<>();
      return attempt -> {
        boolean first;
        synchronized (seen) {
          first = seen.add(attempt);
        }
        return first ? host.beforeJoin(attempt) : CompletableFuture.completedFuture(new Verdict(Outcome.DENY, ""));
      };
    }
  }

  /** Keeps the attempt being asked about in a field shared by all callers. */
  @BrokenTwin
  static final class SharedAttemptField extends InMemoryPreJoinHookCompatibilityTest {
    @Override
    protected PreJoinHook newHook(Map<JoinAttempt, Verdict> decisions) {
      PreJoinHook host = super.newHook(decisions);
      return new PreJoinHook() {
        private JoinAttempt current;

        @Override
        public CompletionStage<Verdict> beforeJoin(JoinAttempt attempt) {
          current = attempt;
          Thread.yield();
          return host.beforeJoin(current);
        }
      };
    }
  }
}
