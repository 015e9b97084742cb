package io.fangroups.postgres;

import static io.fangroups.examples.jdbc.Sql.rows;

import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** What a test reads straight from {@link PostgresWallet}'s tables (migration V3): transfers, holds, totals. */
final class Ledger {
  private final DataSource dataSource;

  Ledger(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A row of {@code fg_wallet_transfers}. */
  record Transfer(String id, String kind, @Nullable String holdId, @Nullable String account, long amount, String currency) {}

  /** A row of {@code fg_wallet_holds}; {@code account} is null for a hold released before it arrived. */
  record Hold(String id, @Nullable String account, String currency, long amount, long remaining) {}

  /** Every transfer of one kind ({@code DEPOSIT}, {@code HOLD}, {@code PAY}, {@code RELEASE}), by id. */
  List<Transfer> transfers(String kind) {
    return Jdbc.withConnection(dataSource, "transfers", c -> rows(c,
        "SELECT transfer_id, kind, hold_id, account, amount, currency FROM fg_wallet_transfers WHERE kind = ?"
            + " ORDER BY transfer_id",
        r -> new Transfer(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getLong(5), r.getString(6)),
        kind));
  }

  /** Every hold, by id. */
  List<Hold> holds() {
    return Jdbc.withConnection(dataSource, "holds", c -> rows(c,
        "SELECT hold_id, account, currency, amount, remaining FROM fg_wallet_holds ORDER BY hold_id",
        r -> new Hold(r.getString(1), r.getString(2), r.getString(3), r.getLong(4), r.getLong(5))));
  }

  /** All the money in {@code currency}: every available balance plus what every hold still has. */
  long total(String currency) {
    return Jdbc.withConnection(dataSource, "total", c -> rows(c,
        "SELECT (SELECT coalesce(sum(balance), 0) FROM fg_wallet_accounts WHERE currency = ?)"
            + " + (SELECT coalesce(sum(remaining), 0) FROM fg_wallet_holds WHERE currency = ?)",
        r -> r.getLong(1), currency, currency).get(0));
  }

  /** How many transfers of {@code kind} there are. */
  long count(String kind) {
    return Jdbc.withConnection(dataSource, "count", c -> rows(c,
        "SELECT count(*) FROM fg_wallet_transfers WHERE kind = ?", r -> r.getLong(1), kind).get(0));
  }
}
