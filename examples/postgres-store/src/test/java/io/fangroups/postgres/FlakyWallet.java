package io.fangroups.postgres;

import io.fangroups.spi.Wallet;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A wallet that fails a share of calls through the returned stage, as a payment system behind a
 * flaky network would: half of the failures before passing the call on (nothing moved), half after
 * (the transfer took effect but the caller is not told). Which calls fail is drawn from a seeded
 * {@link Random}; the interleaving of threads decides which transfer gets each draw.
 */
final class FlakyWallet implements Wallet {
  private final Wallet wallet;
  private final Random random;
  private volatile double failureRate;
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<@Nullable Runnable> afterNextHold = new AtomicReference<>();

  FlakyWallet(Wallet wallet, Random random, double failureRate) {
    this.wallet = wallet;
    this.random = random;
    this.failureRate = failureRate;
  }

  /** From now on every call passes through. */
  void heal() {
    failureRate = 0;
  }

  /** Calls that failed so far. */
  int failed() {
    return failed.get();
  }

  /** The next hold passes through, without failing, and then runs {@code action} before it returns. */
  void afterNextHold(Runnable action) {
    afterNextHold.set(action);
  }

  @Override
  public CompletionStage<@Nullable Void> hold(Hold hold) {
    Runnable action = afterNextHold.getAndSet(null);
    if (action != null) {
      CompletionStage<@Nullable Void> held = wallet.hold(hold);
      action.run();
      return held;
    }
    return flaky(() -> wallet.hold(hold));
  }

  @Override
  public CompletionStage<@Nullable Void> pay(Payment payment) {
    return flaky(() -> wallet.pay(payment));
  }

  @Override
  public CompletionStage<@Nullable Void> release(Release release) {
    return flaky(() -> wallet.release(release));
  }

  private CompletionStage<@Nullable Void> flaky(Supplier<CompletionStage<@Nullable Void>> call) {
    double draw = random.nextDouble();
    if (draw >= failureRate) {
      return call.get();
    }
    failed.incrementAndGet();
    if (draw < failureRate / 2) {
      return CompletableFuture.failedFuture(new IllegalStateException("wallet unreachable (before the call)"));
    }
    return call.get().thenCompose(done -> CompletableFuture.failedFuture(
        new IllegalStateException("wallet unreachable (after the call took effect)")));
  }
}
