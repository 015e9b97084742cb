package io.fangroups.testkit;

import io.fangroups.spi.Wallet;
import io.fangroups.testkit.FlawedWallet.Flaw;
import org.junit.jupiter.api.Test;

/** The wallet kit catches each deliberately broken wallet on the rules it breaks, and only there. */
class BrokenWalletTest {

  @Test
  void holdOverdrawing_isCaughtByW1AndW7() {
    KitRun.assertCaughtOn(HoldOverdraws.class, "W-1", "W-7");
  }

  @Test
  void reusedIdAccepted_isCaughtByW2() {
    KitRun.assertCaughtOn(ReusedIdAccepted.class, "W-2");
  }

  @Test
  void payNotIdempotent_isCaughtByW2AndW7() {
    KitRun.assertCaughtOn(PayNotIdempotent.class, "W-2", "W-7");
  }

  @Test
  void releaseClosingTheHold_isCaughtByW4AndW6() {
    KitRun.assertCaughtOn(ReleaseClosesHold.class, "W-4", "W-6");
  }

  @Test
  void releaseBeforeHoldForgotten_isCaughtByW5() {
    KitRun.assertCaughtOn(ReleaseBeforeHoldForgotten.class, "W-5");
  }

  @Test
  void checkThenPayWithoutTheLock_isCaughtByW7() {
    KitRun.assertCaughtOn(NonAtomicPay.class, "W-7");
  }

  @Test
  void releaseCreditingNobody_isCaughtByW6AndEveryRuleReadingTheSenderAfterARelease() {
    KitRun.assertCaughtOn(ReleaseLost.class, "W-2", "W-4", "W-5", "W-6", "W-7", "W-8");
  }

  @Test
  void refusalsThrown_isCaughtByW8() {
    KitRun.assertCaughtOn(ThrowsRefusals.class, "W-8");
  }

  @Test
  void secondClientWithItsOwnLedger_isCaughtByTheCrossClientRules() {
    KitRun.assertCaughtOn(SecondClientOwnLedger.class, "W-5", "W-6", "W-7", "W-8");
  }

  /** The kit run against a {@link FlawedWallet}; also what {@link UnflawedWalletCompatibilityTest} runs. */
  abstract static class Twin extends WalletCompatibilityKit {
    private final Flaw flaw;

    Twin(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    protected Wallet newWallet() {
      return new FlawedWallet(flaw);
    }

    @Override
    protected void deposit(Wallet wallet, String account, String currency, long amount) {
      ((FlawedWallet) wallet).deposit(account, currency, amount);
    }

    @Override
    protected long balance(Wallet wallet, String account, String currency) {
      return ((FlawedWallet) wallet).balance(account, currency);
    }

    @Override
    protected long held(Wallet wallet, String holdId) {
      return ((FlawedWallet) wallet).held(holdId);
    }
  }

  @BrokenTwin
  static final class HoldOverdraws extends Twin {
    HoldOverdraws() { super(Flaw.HOLD_OVERDRAWS); }
  }

  @BrokenTwin
  static final class ReusedIdAccepted extends Twin {
    ReusedIdAccepted() { super(Flaw.REUSED_ID_ACCEPTED); }
  }

  @BrokenTwin
  static final class PayNotIdempotent extends Twin {
    PayNotIdempotent() { super(Flaw.PAY_NOT_IDEMPOTENT); }
  }

  @BrokenTwin
  static final class ReleaseClosesHold extends Twin {
    ReleaseClosesHold() { super(Flaw.RELEASE_CLOSES_HOLD); }
  }

  @BrokenTwin
  static final class ReleaseBeforeHoldForgotten extends Twin {
    ReleaseBeforeHoldForgotten() { super(Flaw.RELEASE_BEFORE_HOLD_FORGOTTEN); }
  }

  @BrokenTwin
  static final class NonAtomicPay extends Twin {
    NonAtomicPay() { super(Flaw.NON_ATOMIC_PAY); }
  }

  @BrokenTwin
  static final class ReleaseLost extends Twin {
    ReleaseLost() { super(Flaw.RELEASE_LOST); }
  }

  @BrokenTwin
  static final class ThrowsRefusals extends Twin {
    ThrowsRefusals() { super(Flaw.THROWS_REFUSALS); }
  }

  /** A correct wallet whose second client, as another process, keeps a ledger of its own. */
  @BrokenTwin
  static final class SecondClientOwnLedger extends Twin {
    SecondClientOwnLedger() { super(Flaw.NONE); }

    @Override
    protected Wallet secondClient(Wallet first) {
      return new FlawedWallet(Flaw.NONE);
    }
  }
}
