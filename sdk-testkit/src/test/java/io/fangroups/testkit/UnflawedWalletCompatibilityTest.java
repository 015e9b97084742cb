package io.fangroups.testkit;

import io.fangroups.spi.Wallet;
import io.fangroups.testkit.FlawedWallet.Flaw;

/** The broken twins' wallet without a flaw keeps every rule, so a twin breaks a rule through its flaw alone. */
class UnflawedWalletCompatibilityTest extends WalletCompatibilityKit {
  @Override
  protected Wallet newWallet() {
    return new FlawedWallet(Flaw.NONE);
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
