package io.fangroups.testkit;

import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.FlawedAttemptLimiter.Flaw;
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

  /** The kit run against a {@link FlawedAttemptLimiter}. */
  private abstract static class Twin extends AttemptLimiterCompatibilityKit {
    private final Flaw flaw;

    Twin(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected AttemptLimiter newLimiter() {
      return new FlawedAttemptLimiter(flaw);
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
