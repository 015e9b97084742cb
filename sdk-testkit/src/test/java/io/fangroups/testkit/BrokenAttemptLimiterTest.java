package io.fangroups.testkit;

import io.fangroups.spi.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The limiter kit catches each deliberately broken limiter on the rule it breaks, and only there. */
class BrokenAttemptLimiterTest {

  @Test
  void nonAtomicBegin_isCaughtByTheConcurrencyRules() {
    KitRun.assertCaughtOn(NonAtomicBegin.class, "AL-1", "AL-9");
  }

  @Test
  void slidingWindow_isCaughtByAl3() {
    KitRun.assertCaughtOn(SlidingWindow.class, "AL-3");
  }

  @Test
  void windowsOfOneHourWhateverTheLength_isCaughtByAl3() {
    KitRun.assertCaughtOn(HourlyWindowsOnly.class, "AL-3");
  }

  @Test
  void runForgottenAtWindowChange_isCaughtByAl4() {
    KitRun.assertCaughtOn(ForgetsRunAtWindowChange.class, "AL-4");
  }

  @Test
  void succeededRefundingTheWindow_isCaughtByAl6() {
    KitRun.assertCaughtOn(SucceededRefundsWindow.class, "AL-6");
  }

  @Test
  void resetKeepingTheRun_isCaughtByAl7() {
    KitRun.assertCaughtOn(ResetKeepsRun.class, "AL-7");
  }

  @Test
  void claimingToBeSharedWhenNot_isCaughtByAl10() {
    KitRun.assertCaughtOn(ClaimsSharedButIsNot.class, "AL-10");
  }

  /** The ways {@link FlawedLimiter} departs from the contract. */
  enum Flaw {
    /** Reads the counts, lets other threads in, writes them back: concurrent attempts share a count. */
    NON_ATOMIC_BEGIN,
    /** A window starts at the first attempt after the previous one ended, not at a multiple of its length. */
    SLIDING_WINDOW,
    /** Windows are clock hours whatever {@code window} says. */
    HOURLY_WINDOWS_ONLY,
    /** A new window restarts the consecutive count too. */
    FORGETS_RUN_AT_WINDOW_CHANGE,
    /** {@code succeeded} gives the attempt back to the window (the behaviour review finding B1 removed). */
    SUCCEEDED_REFUNDS_WINDOW,
    /** {@code reset} clears only the window count. */
    RESET_KEEPS_RUN,
    /** Declares {@code sharedAcrossInstances()} while every instance counts on its own. */
    CLAIMS_SHARED_BUT_IS_NOT
  }

  /** A limiter that is correct but for one {@link Flaw}. */
  static final class FlawedLimiter implements AttemptLimiter {
    /** One key's counts: the current window's start in epoch millis, the window count, the run. */
    private static final class Counts {
      long windowStart = Long.MIN_VALUE;
      long inWindow;
      long consecutive;
    }

    private final Flaw flaw;
    private final Map<String, Counts> byKey = new ConcurrentHashMap<>();

    FlawedLimiter(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    public AttemptCounts begin(String key, Duration window, Instant now) {
      Counts counts = byKey.computeIfAbsent(key, k -> new Counts());
      if (flaw == Flaw.NON_ATOMIC_BEGIN) {
        return count(counts, window, now);
      }
      synchronized (counts) {
        return count(counts, window, now);
      }
    }

    private AttemptCounts count(Counts counts, Duration window, Instant now) {
      long millis = now.toEpochMilli();
      long length = flaw == Flaw.HOURLY_WINDOWS_ONLY ? Duration.ofHours(1).toMillis() : window.toMillis();
      boolean sliding = flaw == Flaw.SLIDING_WINDOW;
      long start = sliding ? millis : Math.floorDiv(millis, length) * length;
      boolean newWindow = sliding ? counts.windowStart == Long.MIN_VALUE || millis >= counts.windowStart + length
          : start != counts.windowStart;
      if (newWindow) {
        counts.windowStart = start;
        counts.inWindow = 0;
        if (flaw == Flaw.FORGETS_RUN_AT_WINDOW_CHANGE) {
          counts.consecutive = 0;
        }
      }
      long inWindow = counts.inWindow + 1;
      long consecutive = counts.consecutive + 1;
      if (flaw == Flaw.NON_ATOMIC_BEGIN) {
        Thread.yield();
      }
      counts.inWindow = inWindow;
      counts.consecutive = consecutive;
      return new AttemptCounts(inWindow, consecutive);
    }

    @Override
    public void succeeded(String key, Duration window, Instant now) {
      Counts counts = byKey.get(key);
      if (counts == null) {
        return;
      }
      synchronized (counts) {
        counts.consecutive = 0;
        if (flaw == Flaw.SUCCEEDED_REFUNDS_WINDOW) {
          counts.inWindow = Math.max(0, counts.inWindow - 1);
        }
      }
    }

    @Override
    public boolean sharedAcrossInstances() {
      return flaw == Flaw.CLAIMS_SHARED_BUT_IS_NOT;
    }

    @Override
    public void reset(String key) {
      if (flaw != Flaw.RESET_KEEPS_RUN) {
        byKey.remove(key);
        return;
      }
      Counts counts = byKey.get(key);
      if (counts != null) {
        synchronized (counts) {
          counts.inWindow = 0;
        }
      }
    }
  }

  /** The kit run against a {@link FlawedLimiter}. */
  private abstract static class Twin extends AttemptLimiterCompatibilityKit {
    private final Flaw flaw;

    Twin(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected AttemptLimiter newLimiter() {
      return new FlawedLimiter(flaw);
    }
  }

  @BrokenTwin
  static final class NonAtomicBegin extends Twin {
    NonAtomicBegin() { super(Flaw.NON_ATOMIC_BEGIN); }
  }

  @BrokenTwin
  static final class SlidingWindow extends Twin {
    SlidingWindow() { super(Flaw.SLIDING_WINDOW); }
  }

  @BrokenTwin
  static final class HourlyWindowsOnly extends Twin {
    HourlyWindowsOnly() { super(Flaw.HOURLY_WINDOWS_ONLY); }
  }

  @BrokenTwin
  static final class ForgetsRunAtWindowChange extends Twin {
    ForgetsRunAtWindowChange() { super(Flaw.FORGETS_RUN_AT_WINDOW_CHANGE); }
  }

  @BrokenTwin
  static final class SucceededRefundsWindow extends Twin {
    SucceededRefundsWindow() { super(Flaw.SUCCEEDED_REFUNDS_WINDOW); }
  }

  @BrokenTwin
  static final class ResetKeepsRun extends Twin {
    ResetKeepsRun() { super(Flaw.RESET_KEEPS_RUN); }
  }

  @BrokenTwin
  static final class ClaimsSharedButIsNot extends Twin {
    ClaimsSharedButIsNot() { super(Flaw.CLAIMS_SHARED_BUT_IS_NOT); }
  }
}
