package io.fangroups.testkit;

import io.fangroups.spi.Wallet;
import io.fangroups.spi.WalletDeclinedException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Wallet} that is correct but for one {@link Flaw}, for the kit's broken twins. Each flaw is
 * a mistake a real wallet could make; with {@link Flaw#NONE} it keeps the whole contract.
 */
final class FlawedWallet implements Wallet {
  /** The ways {@link FlawedWallet} departs from the contract. */
  enum Flaw {
    /** None: the wallet keeps every rule. */
    NONE,
    /** A hold never checks the balance, which may go negative. */
    HOLD_OVERDRAWS,
    /** A repeat is recognised by its id alone: the same id with other fields completes and moves nothing. */
    REUSED_ID_ACCEPTED,
    /** A repeated payment pays again while the hold has enough. */
    PAY_NOT_IDEMPOTENT,
    /** A release of part of a hold returns all that remains of it. */
    RELEASE_CLOSES_HOLD,
    /** A release of a hold that does not exist completes and leaves no trace, so the hold is accepted later. */
    RELEASE_BEFORE_HOLD_FORGOTTEN,
    /** A payment checks what remains, lets other threads in, then takes it: a lost update. */
    NON_ATOMIC_PAY,
    /** A release takes the money from the hold and credits nobody. */
    RELEASE_LOST,
    /** Refusals are thrown from the call instead of failing its stage. */
    THROWS_REFUSALS
  }

  private final Flaw flaw;
  /** Balances by {@code account + " " + currency}. */
  private final Map<String, Long> balances = new HashMap<>();
  private final Map<String, Hold> holds = new HashMap<>();
  private final Map<String, Long> remaining = new HashMap<>();
  private final Set<String> releasedBeforeHold = new HashSet<>();
  /** Transfers that took effect, by id, memo blanked: what a repeat must equal. */
  private final Map<String, Record> done = new HashMap<>();

  FlawedWallet(Flaw flaw) {
    this.flaw = flaw;
  }

  synchronized void deposit(String account, String currency, long amount) {
    balances.merge(account + " " + currency, amount, Long::sum);
  }

  synchronized long balance(String account, String currency) {
    return balances.getOrDefault(account + " " + currency, 0L);
  }

  synchronized long held(String holdId) {
    return remaining.getOrDefault(holdId, 0L);
  }

  @Override
  public CompletionStage<@Nullable Void> hold(Hold hold) {
    Hold identity = new Hold(hold.transferId(), hold.account(), hold.amount(), hold.currency(), "");
    return transfer(hold.transferId(), identity, () -> {
      if (releasedBeforeHold.contains(hold.transferId())) {
        throw new WalletDeclinedException("released before it arrived");
      }
      if (flaw != Flaw.HOLD_OVERDRAWS && balance(hold.account(), hold.currency()) < hold.amount()) {
        throw new WalletDeclinedException("balance too low");
      }
      deposit(hold.account(), hold.currency(), -hold.amount());
      holds.put(hold.transferId(), hold);
      remaining.put(hold.transferId(), hold.amount());
    });
  }

  @Override
  public CompletionStage<@Nullable Void> pay(Payment payment) {
    if (flaw == Flaw.NON_ATOMIC_PAY) {
      try {
        synchronized (this) {
          if (!done.containsKey(payment.transferId())) {
            check(payment.holdId(), payment.amount(), payment.currency());
          }
        }
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      Thread.yield();
      return transfer(payment.transferId(), payment, () -> take(payment.holdId(), payment.amount(), payment.account()));
    }
    return transfer(payment.transferId(), payment, () -> {
      check(payment.holdId(), payment.amount(), payment.currency());
      take(payment.holdId(), payment.amount(), payment.account());
    });
  }

  @Override
  public CompletionStage<@Nullable Void> release(Release release) {
    return transfer(release.transferId(), release, () -> {
      Hold hold = holds.get(release.holdId());
      if (hold == null) {
        if (flaw != Flaw.RELEASE_BEFORE_HOLD_FORGOTTEN) {
          releasedBeforeHold.add(release.holdId());
        }
        return;
      }
      check(release.holdId(), release.amount(), release.currency());
      long amount = flaw == Flaw.RELEASE_CLOSES_HOLD ? remaining.get(release.holdId()) : release.amount();
      take(release.holdId(), amount, flaw == Flaw.RELEASE_LOST ? null : hold.account());
    });
  }

  /** Refuses a payment or release the hold cannot cover. */
  private void check(String holdId, long amount, String currency) {
    Hold hold = holds.get(holdId);
    if (hold == null) {
      throw new IllegalStateException("no hold " + holdId);
    }
    if (!hold.currency().equals(currency)) {
      throw new IllegalArgumentException("the hold is in " + hold.currency());
    }
    if (remaining.get(holdId) < amount) {
      throw new IllegalStateException("not enough left");
    }
  }

  /** Moves {@code amount} from the hold to {@code to}, or to nobody when null. */
  private void take(String holdId, long amount, @Nullable String to) {
    remaining.merge(holdId, -amount, Long::sum);
    if (to != null) {
      deposit(to, holds.get(holdId).currency(), amount);
    }
  }

  /** Runs {@code effect} under the lock unless the id is a repeat (W-2); a refusal fails the stage. */
  private CompletionStage<@Nullable Void> transfer(String id, Record identity, Runnable effect) {
    try {
      synchronized (this) {
        Record first = done.get(id);
        boolean repeatable = flaw == Flaw.PAY_NOT_IDEMPOTENT && identity instanceof Payment;
        if (first != null && !repeatable) {
          if (!first.equals(identity) && flaw != Flaw.REUSED_ID_ACCEPTED) {
            throw new IllegalArgumentException(id + " was used for " + first);
          }
          return CompletableFuture.completedFuture(null);
        }
        effect.run();
        done.put(id, identity);
      }
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      if (flaw == Flaw.THROWS_REFUSALS) {
        throw e;
      }
      return CompletableFuture.failedFuture(e);
    }
  }
}
