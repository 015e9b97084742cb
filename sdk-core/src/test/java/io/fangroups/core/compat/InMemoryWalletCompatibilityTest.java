package io.fangroups.core.compat;

import io.fangroups.core.InMemoryWallet;
import io.fangroups.spi.Wallet;
import io.fangroups.testkit.WalletCompatibilityKit;

/** sdk-core's in-memory wallet keeps the {@link Wallet} contract; its second client is itself. */
class InMemoryWalletCompatibilityTest extends WalletCompatibilityKit {
  @Override
  protected Wallet newWallet() {
    return InMemoryWallet.create();
  }

  @Override
  protected void deposit(Wallet wallet, String account, String currency, long amount) {
    ((InMemoryWallet) wallet).deposit(account, currency, amount);
  }

  @Override
  protected long balance(Wallet wallet, String account, String currency) {
    return ((InMemoryWallet) wallet).balance(account, currency);
  }

  @Override
  protected long held(Wallet wallet, String holdId) {
    return ((InMemoryWallet) wallet).held(holdId);
  }
}
