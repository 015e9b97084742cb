package io.fangroups.core;

import io.fangroups.spi.Wallet;
import io.fangroups.spi.WalletDeclinedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory {@link Wallet}: a strict double-entry ledger in this JVM's heap, for tests, demos
 * and hosts that try red packets before wiring their payment system. Every movement is one entry
 * that debits one account and credits another, so the accounts of a currency always sum to zero
 * ({@link #total(String)}): users' accounts, one escrow account per hold (named by the hold's
 * transfer id), and the world outside the ledger, which {@link #deposit} and {@link #withdraw} move
 * money from and to. A user's balance never goes negative.
 *
 * <p>It keeps every rule of the {@link Wallet} contract (W-1 to W-8) and lets a test see what
 * happened: {@link #balance}, {@link #held}, {@link #holds()}, {@link #transfers()}. Every call
 * takes one lock, so each is atomic and all are thread-safe; every stage it returns is already
 * complete, failed with the contract's exception when a transfer is refused. Nothing survives a
 * restart.
 */
public final class InMemoryWallet implements Wallet {
  /** What an entry of {@link #transfers()} did. */
  public enum Kind {
    /** Money into a user's account from outside the ledger ({@link #deposit}). */
    DEPOSIT,
    /** Money out of a user's account to outside the ledger ({@link #withdraw}). */
    WITHDRAWAL,
    /** From a user's account into a hold's escrow account ({@link #hold}). */
    HOLD,
    /** From a hold's escrow account to the payee's account ({@link #pay}). */
    PAY,
    /**
     * From a hold's escrow account back to the account it was held from ({@link #release}); for a
     * release recorded before its hold existed (W-5), an entry of amount 0 on the hold's account.
     */
    RELEASE
  }

  /**
   * One entry of the ledger. Accounts are named {@code user:<account>}, {@code hold:<hold id>} or
   * {@code world}.
   *
   * @param transferId the transfer's id; for deposits and withdrawals, one the wallet made up
   * @param kind what the entry did
   * @param debit the account the money left
   * @param credit the account the money reached
   * @param amount in minor units; 0 only for a release recorded before its hold
   * @param currency ISO 4217 code
   */
  public record Transfer(String transferId, Kind kind, String debit, String credit, long amount, String currency) {}

  /**
   * A hold as it stands.
   *
   * @param holdId the hold's transfer id
   * @param account the account it was held from
   * @param currency its currency
   * @param amount what was held
   * @param remaining what is left to pay or release
   */
  public record HoldBalance(String holdId, String account, String currency, long amount, long remaining) {}

  private static final String WORLD = "world";

  /** A transfer's identity as W-2 compares it: everything but the memo. */
  private record Identity(Kind kind, @Nullable String holdId, @Nullable String account, long amount, String currency) {
    @Override
    public String toString() {
      String what = kind + " of " + amount + " " + currency;
      return switch (kind) {
        case HOLD -> what + " from " + account;
        case PAY -> what + " from hold " + holdId + " to " + account;
        default -> what + " from hold " + holdId;
      };
    }
  }

  private final Object lock = new Object();
  /** Every account's balance, by currency, then account name ({@code user:…}, {@code hold:…}, {@code world}). */
  private final Map<String, Map<String, Long>> accounts = new HashMap<>();
  /** Every hold made, in order; what remains of one is its escrow account's balance. */
  private final Map<String, Hold> holdsById = new LinkedHashMap<>();
  /** Ids of holds released before they arrived (W-5). */
  private final Set<String> releasedBeforeHold = new HashSet<>();
  /** Every transfer that took effect, by id: what a repeat is compared with. */
  private final Map<String, Identity> recorded = new HashMap<>();
  private final List<Transfer> entries = new ArrayList<>();
  private long hostTransfers;

  private InMemoryWallet() {}

  /** A new, empty wallet: every balance is 0 and nothing is held. */
  public static InMemoryWallet create() {
    return new InMemoryWallet();
  }

  /**
   * Funds {@code account} from outside the ledger, as the host's top-up would.
   *
   * @param amount in minor units, positive
   * @throws IllegalArgumentException if {@code amount} is not positive
   */
  public void deposit(String account, String currency, long amount) {
    requireHostTransfer(account, currency, amount);
    synchronized (lock) {
      post("deposit/" + ++hostTransfers, Kind.DEPOSIT, WORLD, userAccount(account), amount, currency);
    }
  }

  /**
   * Takes money out of {@code account} to outside the ledger, as the host's cash-out would.
   *
   * @param amount in minor units, positive
   * @throws IllegalArgumentException if {@code amount} is not positive
   * @throws IllegalStateException if the available balance does not cover it; nothing moves
   */
  public void withdraw(String account, String currency, long amount) {
    requireHostTransfer(account, currency, amount);
    synchronized (lock) {
      long available = balanceOf(userAccount(account), currency);
      if (available < amount) {
        throw new IllegalStateException("cannot withdraw " + amount + " " + currency + " from " + account
            + ": its balance is " + available);
      }
      post("withdrawal/" + ++hostTransfers, Kind.WITHDRAWAL, userAccount(account), WORLD, amount, currency);
    }
  }

  /** {@code account}'s available balance in {@code currency}, in minor units; 0 for an account never funded. */
  public long balance(String account, String currency) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(currency, "currency");
    synchronized (lock) {
      return balanceOf(userAccount(account), currency);
    }
  }

  /** What remains in the hold {@code holdId}, in minor units; 0 when there is no such hold. */
  public long held(String holdId) {
    Objects.requireNonNull(holdId, "holdId");
    synchronized (lock) {
      Hold hold = holdsById.get(holdId);
      return hold == null ? 0 : remaining(hold);
    }
  }

  /** Every hold made, emptied ones included, in the order they were made. */
  public List<HoldBalance> holds() {
    synchronized (lock) {
      return holdsById.values().stream()
          .map(h -> new HoldBalance(h.transferId(), h.account(), h.currency(), h.amount(), remaining(h)))
          .toList();
    }
  }

  /** Every entry of the ledger, oldest first: a copy that later calls do not change. */
  public List<Transfer> transfers() {
    synchronized (lock) {
      return List.copyOf(entries);
    }
  }

  /**
   * The sum of every account in {@code currency}: users', holds' and the world's. Always 0: a ledger
   * where it is not has made or lost money.
   */
  public long total(String currency) {
    Objects.requireNonNull(currency, "currency");
    synchronized (lock) {
      return accounts.getOrDefault(currency, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Moves the hold's amount from its account into a new escrow account named by its transfer id.
   * Declined ({@link WalletDeclinedException}) when the balance does not cover it or the hold was
   * released before it arrived; a repeat completes without moving anything (W-1, W-2, W-5).
   */
  @Override
  public CompletionStage<@Nullable Void> hold(Hold hold) {
    Objects.requireNonNull(hold, "hold");
    Identity identity = new Identity(Kind.HOLD, null, hold.account(), hold.amount(), hold.currency());
    synchronized (lock) {
      if (recorded.containsKey(hold.transferId())) {
        return repeated(hold.transferId(), identity);
      }
      if (releasedBeforeHold.contains(hold.transferId())) {
        return failed(new WalletDeclinedException("hold " + hold.transferId() + " was released before it arrived"));
      }
      long available = balanceOf(userAccount(hold.account()), hold.currency());
      if (available < hold.amount()) {
        return failed(new WalletDeclinedException("the balance of " + hold.account() + " is " + available + " "
            + hold.currency() + ", less than the " + hold.amount() + " to hold"));
      }
      holdsById.put(hold.transferId(), hold);
      return recorded(identity, hold.transferId(), userAccount(hold.account()), holdAccount(hold.transferId()));
    }
  }

  /**
   * Moves the payment's amount from its hold to the payee. Fails with {@link IllegalStateException}
   * when the hold does not exist or has less left (W-3); a repeat completes without moving anything.
   */
  @Override
  public CompletionStage<@Nullable Void> pay(Payment payment) {
    Objects.requireNonNull(payment, "payment");
    Identity identity = new Identity(Kind.PAY, payment.holdId(), payment.account(), payment.amount(), payment.currency());
    synchronized (lock) {
      if (recorded.containsKey(payment.transferId())) {
        return repeated(payment.transferId(), identity);
      }
      Hold hold = holdsById.get(payment.holdId());
      if (hold == null) {
        return failed(new IllegalStateException("payment " + payment.transferId() + " names hold " + payment.holdId()
            + ", which does not exist"));
      }
      RuntimeException refusal = refusal(hold, payment.transferId(), payment.amount(), payment.currency());
      return refusal != null ? failed(refusal)
          : recorded(identity, payment.transferId(), holdAccount(hold.transferId()), userAccount(payment.account()));
    }
  }

  /**
   * Moves the release's amount from its hold back to the account it was held from, leaving the rest
   * payable (W-4). A release naming a hold that does not exist is recorded and moves nothing, and a
   * hold with that id is declined from then on (W-5). A repeat completes without moving anything.
   */
  @Override
  public CompletionStage<@Nullable Void> release(Release release) {
    Objects.requireNonNull(release, "release");
    Identity identity = new Identity(Kind.RELEASE, release.holdId(), null, release.amount(), release.currency());
    synchronized (lock) {
      if (recorded.containsKey(release.transferId())) {
        return repeated(release.transferId(), identity);
      }
      Hold hold = holdsById.get(release.holdId());
      if (hold == null) {
        releasedBeforeHold.add(release.holdId());
        String escrow = holdAccount(release.holdId());
        post(release.transferId(), Kind.RELEASE, escrow, escrow, 0, release.currency());
        recorded.put(release.transferId(), identity);
        return done();
      }
      RuntimeException refusal = refusal(hold, release.transferId(), release.amount(), release.currency());
      return refusal != null ? failed(refusal)
          : recorded(identity, release.transferId(), holdAccount(hold.transferId()), userAccount(hold.account()));
    }
  }

  /** Why a payment or release of {@code amount} from {@code hold} is refused, or null (W-3, W-4). */
  private @Nullable RuntimeException refusal(Hold hold, String transferId, long amount, String currency) {
    if (!hold.currency().equals(currency)) {
      return new IllegalArgumentException("transfer " + transferId + " is in " + currency + " but hold "
          + hold.transferId() + " is in " + hold.currency());
    }
    long remaining = remaining(hold);
    if (remaining < amount) {
      return new IllegalStateException("transfer " + transferId + " of " + amount + " exceeds the " + remaining
          + " left in hold " + hold.transferId());
    }
    return null;
  }

  /** A call naming a transfer already recorded: done if it is the same transfer, refused if not (W-2). */
  private CompletionStage<@Nullable Void> repeated(String transferId, Identity identity) {
    Identity first = recorded.get(transferId);
    if (first.equals(identity)) {
      return done();
    }
    return failed(new IllegalArgumentException("transfer id " + transferId + " was used for " + first
        + "; it cannot name " + identity));
  }

  /** Records a transfer that takes effect and posts its amount from {@code debit} to {@code credit}. */
  private CompletionStage<@Nullable Void> recorded(Identity identity, String transferId, String debit, String credit) {
    post(transferId, identity.kind(), debit, credit, identity.amount(), identity.currency());
    recorded.put(transferId, identity);
    return done();
  }

  /** One ledger entry: debits one account, credits another, and is kept for {@link #transfers()}. */
  private void post(String transferId, Kind kind, String debit, String credit, long amount, String currency) {
    Map<String, Long> book = accounts.computeIfAbsent(currency, c -> new HashMap<>());
    book.merge(debit, -amount, Long::sum);
    book.merge(credit, amount, Long::sum);
    entries.add(new Transfer(transferId, kind, debit, credit, amount, currency));
  }

  private long balanceOf(String accountName, String currency) {
    return accounts.getOrDefault(currency, Map.of()).getOrDefault(accountName, 0L);
  }

  private long remaining(Hold hold) {
    return balanceOf(holdAccount(hold.transferId()), hold.currency());
  }

  private static String userAccount(String account) {
    return "user:" + account;
  }

  private static String holdAccount(String holdId) {
    return "hold:" + holdId;
  }

  private static void requireHostTransfer(String account, String currency, long amount) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(currency, "currency");
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive, got " + amount);
    }
  }

  private static CompletionStage<@Nullable Void> done() {
    return CompletableFuture.completedFuture(null);
  }

  private static CompletionStage<@Nullable Void> failed(RuntimeException e) {
    return CompletableFuture.failedFuture(e);
  }
}
