package io.fangroups.mysql;

import static io.fangroups.examples.jdbc.Sql.rows;

import java.util.List;
import javax.sql.DataSource;

/** What a test reads straight from {@link MySqlWallet}'s tables (migration V2): payments and totals. */
record Ledger(DataSource dataSource) {
  static Ledger of(DataSource dataSource) {
    return new Ledger(dataSource);
  }

  /** The ids of the payments out of the packet's hold. */
  List<String> payments(String packetId) {
    return Jdbc.withConnection(dataSource, "payments", c -> rows(c,
        "SELECT transfer_id FROM fg_wallet_transfers WHERE kind = 'PAY' AND hold_id = ? ORDER BY transfer_id",
        r -> Jdbc.text(r.getBytes(1)), Jdbc.utf8("rp/" + packetId + "/hold")));
  }

  /** All the money in {@code currency}: every available balance plus what every hold still has. */
  long total(String currency) {
    byte[] in = Jdbc.utf8(currency);
    return Jdbc.withConnection(dataSource, "total", c -> rows(c,
        "SELECT (SELECT COALESCE(SUM(balance), 0) FROM fg_wallet_accounts WHERE currency = ?)"
            + " + (SELECT COALESCE(SUM(remaining), 0) FROM fg_wallet_holds WHERE currency = ?)",
        r -> r.getLong(1), in, in).get(0));
  }
}
