package io.fangroups.postgres;

import static io.fangroups.examples.jdbc.Sql.first;
import static io.fangroups.examples.jdbc.Sql.rows;
import static io.fangroups.examples.jdbc.Sql.update;

import io.fangroups.examples.jdbc.Sql.SqlWork;
import io.fangroups.spi.Wallet;
import io.fangroups.spi.WalletDeclinedException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Wallet} on PostgreSQL over JDBC, in the same database as {@link PostgresGroupStore}
 * (tables {@code fg_wallet_*}, created by {@link PostgresMigrations#migrate}): a ledger for hosts
 * without a payment system of their own, and the example to copy when wiring one. Any number of
 * processes may share it.
 *
 * <p>How the contract is kept:
 * <ul>
 *   <li>Every call is one transaction. It first inserts the transfer's row into
 *       {@code fg_wallet_transfers} {@code ON CONFLICT DO NOTHING}; a conflict is a repeat, compared
 *       field by field with the row there: the same transfer completes and moves nothing, another one
 *       fails with {@link IllegalArgumentException} (W-2). Concurrent calls with one id queue on that
 *       primary key, so one takes effect (W-7). A refused call rolls back, its row with it, so
 *       repeating it is a new attempt.
 *   <li>A hold inserts its row into {@code fg_wallet_holds} and debits the account with
 *       {@code balance = balance - ? WHERE balance >= ?}; no row changed is a decline (W-1). A hold
 *       whose row exists already was released before it arrived: declined (W-5).
 *   <li>A payment or release locks the hold's row ({@code FOR UPDATE}), checks what remains and moves
 *       it (W-3, W-4); a release of a hold without a row inserts one marked released-before-hold,
 *       and when that insert conflicts (the hold arrived meanwhile), it locks the hold and goes on.
 *   <li>Rows are locked in one order: the transfer, then the hold, then one account; so no two calls
 *       deadlock.
 * </ul>
 *
 * <p>JDBC blocks: each call runs on the caller's thread and returns a stage already complete, or
 * failed with the contract's exception, or with {@link PostgresStoreException} when the database
 * failed (the SDK retries; the transfer's id makes the retry safe). Money is in minor units as
 * {@code bigint}; account ids, currencies and transfer ids are compared byte-wise.
 */
public final class PostgresWallet implements Wallet {
  private final DataSource dataSource;
  private final String waitLimit;

  /**
   * A wallet over {@code dataSource}, whose schema {@link PostgresMigrations#migrate} has created,
   * waiting at most {@link PostgresGroupStore#DEFAULT_LOCK_TIMEOUT} for a row another transaction
   * holds. Each call borrows a connection and returns it.
   */
  public PostgresWallet(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.waitLimit = "SET LOCAL lock_timeout = '" + PostgresGroupStore.DEFAULT_LOCK_TIMEOUT.toMillis() + "ms'";
  }

  /** A transfer's identity as W-2 compares it: everything but the memo. */
  private record Identity(String kind, @Nullable String holdId, @Nullable String account, long amount, String currency) {
    @Override
    public String toString() {
      return kind + " of " + amount + " " + currency + (holdId == null ? "" : " from hold " + holdId)
          + (account == null ? "" : (kind.equals("HOLD") ? " from " : " to ") + account);
    }
  }

  /** A hold's row: {@code account} is null for a hold released before it arrived. */
  private record HoldRow(@Nullable String account, String currency, long remaining) {}

  /**
   * Funds {@code account} with {@code amount} minor units of {@code currency}, as the host's top-up,
   * recorded as a transfer of kind {@code DEPOSIT}.
   *
   * @throws IllegalArgumentException if {@code amount} is not positive
   * @throws PostgresStoreException if the database failed
   */
  public void deposit(String account, String currency, long amount) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(currency, "currency");
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive, got " + amount);
    }
    Jdbc.transaction(dataSource, waitLimit, "deposit", c -> {
      update(c, "INSERT INTO fg_wallet_transfers (transfer_id, kind, account, amount, currency) VALUES (?, 'DEPOSIT', ?, ?, ?)",
          "deposit/" + UUID.randomUUID(), account, amount, currency);
      credit(c, account, currency, amount);
      return null;
    });
  }

  /**
   * {@code account}'s available balance in {@code currency}; 0 for an account never funded.
   *
   * @throws PostgresStoreException if the database failed
   */
  public long balance(String account, String currency) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(currency, "currency");
    return Jdbc.withConnection(dataSource, "balance", c -> first(rows(c,
        "SELECT balance FROM fg_wallet_accounts WHERE account = ? AND currency = ?", r -> r.getLong(1), account,
        currency)).orElse(0L));
  }

  /**
   * What remains in the hold {@code holdId}; 0 when there is no such hold.
   *
   * @throws PostgresStoreException if the database failed
   */
  public long held(String holdId) {
    Objects.requireNonNull(holdId, "holdId");
    return Jdbc.withConnection(dataSource, "held", c -> first(rows(c,
        "SELECT remaining FROM fg_wallet_holds WHERE hold_id = ?", r -> r.getLong(1), holdId)).orElse(0L));
  }

  /** Moves the hold's amount from its account into a new hold (W-1, W-2, W-5). */
  @Override
  public CompletionStage<@Nullable Void> hold(Hold hold) {
    Objects.requireNonNull(hold, "hold");
    Identity identity = new Identity("HOLD", null, hold.account(), hold.amount(), hold.currency());
    return settle("hold", hold.transferId(), identity, hold.memo(), c -> {
      if (update(c, "INSERT INTO fg_wallet_holds (hold_id, account, currency, amount, remaining) VALUES (?, ?, ?, ?, ?)"
          + " ON CONFLICT (hold_id) DO NOTHING", hold.transferId(), hold.account(), hold.currency(), hold.amount(),
          hold.amount()) == 0) {
        return new WalletDeclinedException("hold " + hold.transferId() + " was released before it arrived");
      }
      if (update(c, "UPDATE fg_wallet_accounts SET balance = balance - ? WHERE account = ? AND currency = ?"
          + " AND balance >= ?", hold.amount(), hold.account(), hold.currency(), hold.amount()) == 0) {
        return new WalletDeclinedException("the balance of " + hold.account() + " does not cover " + hold.amount() + " "
            + hold.currency());
      }
      return null;
    });
  }

  /** Moves the payment's amount from its hold to the payee (W-2, W-3). */
  @Override
  public CompletionStage<@Nullable Void> pay(Payment payment) {
    Objects.requireNonNull(payment, "payment");
    Identity identity = new Identity("PAY", payment.holdId(), payment.account(), payment.amount(), payment.currency());
    return settle("pay", payment.transferId(), identity, null, c -> {
      HoldRow hold = lockHold(c, payment.holdId());
      if (hold == null || hold.account() == null) {
        return new IllegalStateException("payment " + payment.transferId() + " names hold " + payment.holdId()
            + ", which does not exist");
      }
      return take(c, payment.transferId(), payment.holdId(), hold, identity, payment.account());
    });
  }

  /** Moves the release's amount from its hold back to the account it was held from (W-2, W-4, W-5). */
  @Override
  public CompletionStage<@Nullable Void> release(Release release) {
    Objects.requireNonNull(release, "release");
    Identity identity = new Identity("RELEASE", release.holdId(), null, release.amount(), release.currency());
    return settle("release", release.transferId(), identity, null, c -> {
      while (true) {
        HoldRow hold = lockHold(c, release.holdId());
        if (hold == null) {
          if (update(c, "INSERT INTO fg_wallet_holds (hold_id, currency, amount, remaining, released_before_hold)"
              + " VALUES (?, ?, 0, 0, true) ON CONFLICT (hold_id) DO NOTHING", release.holdId(), release.currency()) == 1) {
            return null;
          }
          continue; // the hold arrived and committed meanwhile: lock it
        }
        String sender = hold.account();
        return sender == null ? null : take(c, release.transferId(), release.holdId(), hold, identity, sender);
      }
    });
  }

  /**
   * Records the transfer and runs {@code work} in one transaction; a repeat completes or is refused
   * without running it. {@code work} returns the refusal, or null when the transfer took effect.
   */
  private CompletionStage<@Nullable Void> settle(String operation, String transferId, Identity identity,
      @Nullable String memo, SqlWork<@Nullable RuntimeException> work) {
    try {
      RuntimeException refusal = Jdbc.transaction(dataSource, waitLimit, operation, c -> {
        RuntimeException outcome = update(c, "INSERT INTO fg_wallet_transfers (transfer_id, kind, hold_id, account, amount,"
            + " currency, memo) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (transfer_id) DO NOTHING", transferId,
            identity.kind(), identity.holdId(), identity.account(), identity.amount(), identity.currency(), memo) == 1
            ? work.run(c) : repeated(c, transferId, identity);
        if (outcome != null) {
          c.rollback();
        }
        return outcome;
      });
      return refusal == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(refusal);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** A call naming a transfer already recorded: null if it is the same transfer, the refusal if not (W-2). */
  private static @Nullable RuntimeException repeated(Connection c, String transferId, Identity identity)
      throws SQLException {
    Identity first = rows(c, "SELECT kind, hold_id, account, amount, currency FROM fg_wallet_transfers"
        + " WHERE transfer_id = ?", r -> new Identity(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
        r.getString(5)), transferId).get(0);
    return first.equals(identity) ? null : new IllegalArgumentException("transfer id " + transferId + " was used for "
        + first + "; it cannot name " + identity);
  }

  /** The hold's row, locked until the transaction ends, or null when there is none. */
  private static @Nullable HoldRow lockHold(Connection c, String holdId) throws SQLException {
    return first(rows(c, "SELECT account, currency, remaining FROM fg_wallet_holds WHERE hold_id = ? FOR UPDATE",
        r -> new HoldRow(r.getString(1), r.getString(2), r.getLong(3)), holdId)).orElse(null);
  }

  /** Moves the transfer's amount from the locked hold to {@code to}, or returns why not (W-3, W-4). */
  private static @Nullable RuntimeException take(Connection c, String transferId, String holdId, HoldRow hold,
      Identity identity, String to) throws SQLException {
    if (!hold.currency().equals(identity.currency())) {
      return new IllegalArgumentException("transfer " + transferId + " is in " + identity.currency() + " but hold "
          + holdId + " is in " + hold.currency());
    }
    if (hold.remaining() < identity.amount()) {
      return new IllegalStateException("transfer " + transferId + " of " + identity.amount() + " exceeds the "
          + hold.remaining() + " left in hold " + holdId);
    }
    update(c, "UPDATE fg_wallet_holds SET remaining = remaining - ? WHERE hold_id = ?", identity.amount(), holdId);
    credit(c, to, identity.currency(), identity.amount());
    return null;
  }

  private static void credit(Connection c, String account, String currency, long amount) throws SQLException {
    update(c, "INSERT INTO fg_wallet_accounts (account, currency, balance) VALUES (?, ?, ?)"
        + " ON CONFLICT (account, currency) DO UPDATE SET balance = fg_wallet_accounts.balance + EXCLUDED.balance",
        account, currency, amount);
  }
}
