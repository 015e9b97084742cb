package io.fangroups.testkit;

import io.fangroups.testkit.FlawedWallet.Flaw;

/** The broken twins' wallet without a flaw keeps every rule, so a twin breaks a rule through its flaw alone. */
class UnflawedWalletCompatibilityTest extends BrokenWalletTest.Twin {
  UnflawedWalletCompatibilityTest() {
    super(Flaw.NONE);
  }
}
