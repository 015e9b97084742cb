package io.fangroups.core;

import io.fangroups.spi.Wallet;
import io.fangroups.spi.WalletDeclinedException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** TEMPORARY until the wallet branch lands. */
public final class InMemoryWallet implements Wallet {
  private final Map<String, Long> balances = new HashMap<>();
  private final Map<String, Long> holds = new HashMap<>();
  private final Map<String, Object> transfers = new HashMap<>();

  private InMemoryWallet() {}

  public static InMemoryWallet create() {
    return new InMemoryWallet();
  }

  public synchronized void deposit(String account, String currency, long amount) {
    balances.merge(account + "|" + currency, amount, Long::sum);
  }

  public synchronized long balance(String account, String currency) {
    return balances.getOrDefault(account + "|" + currency, 0L);
  }

  public synchronized long held(String holdId) {
    return holds.getOrDefault(holdId, 0L);
  }

  @Override
  public synchronized CompletionStage<Void> hold(Hold hold) {
    if (transfers.containsKey(hold.transferId())) {
      return CompletableFuture.completedFuture(null);
    }
    if (transfers.containsKey("released:" + hold.transferId())) {
      return CompletableFuture.failedFuture(new WalletDeclinedException("released before it arrived"));
    }
    String key = hold.account() + "|" + hold.currency();
    if (balances.getOrDefault(key, 0L) < hold.amount()) {
      return CompletableFuture.failedFuture(new WalletDeclinedException("insufficient balance"));
    }
    balances.merge(key, -hold.amount(), Long::sum);
    holds.put(hold.transferId(), hold.amount());
    transfers.put(hold.transferId(), hold);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> pay(Payment payment) {
    if (transfers.containsKey(payment.transferId())) {
      return CompletableFuture.completedFuture(null);
    }
    long left = holds.getOrDefault(payment.holdId(), -1L);
    if (left < payment.amount()) {
      return CompletableFuture.failedFuture(new IllegalStateException("hold cannot cover"));
    }
    holds.put(payment.holdId(), left - payment.amount());
    balances.merge(payment.account() + "|" + payment.currency(), payment.amount(), Long::sum);
    transfers.put(payment.transferId(), payment);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized CompletionStage<Void> release(Release release) {
    if (transfers.containsKey(release.transferId())) {
      return CompletableFuture.completedFuture(null);
    }
    Hold hold = (Hold) transfers.get(release.holdId());
    if (hold == null) {
      transfers.put("released:" + release.holdId(), release);
      transfers.put(release.transferId(), release);
      return CompletableFuture.completedFuture(null);
    }
    long left = holds.get(release.holdId());
    if (left < release.amount()) {
      return CompletableFuture.failedFuture(new IllegalStateException("hold cannot cover"));
    }
    holds.put(release.holdId(), left - release.amount());
    balances.merge(hold.account() + "|" + hold.currency(), release.amount(), Long::sum);
    transfers.put(release.transferId(), release);
    return CompletableFuture.completedFuture(null);
  }
}
