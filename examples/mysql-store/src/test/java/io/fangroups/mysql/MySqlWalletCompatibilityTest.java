package io.fangroups.mysql;

import io.fangroups.spi.Wallet;
import io.fangroups.testkit.WalletCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 15, must-show 1: the MySQL wallet passes the Wallet kit on MariaDB; the second client has its own pool. */
class MySqlWalletCompatibilityTest extends WalletCompatibilityKit {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  private String database;

  @Override
  protected Wallet newWallet() {
    database = mysql.createDatabase();
    var pool = mysql.poolOn(database, 8);
    MySqlMigrations.migrate(pool);
    return new MySqlWallet(pool);
  }

  @Override
  protected Wallet secondClient(Wallet first) {
    return new MySqlWallet(mysql.poolOn(database, 8));
  }

  @Override
  protected void deposit(Wallet wallet, String account, String currency, long amount) {
    ((MySqlWallet) wallet).deposit(account, currency, amount);
  }

  @Override
  protected long balance(Wallet wallet, String account, String currency) {
    return ((MySqlWallet) wallet).balance(account, currency);
  }

  @Override
  protected long held(Wallet wallet, String holdId) {
    return ((MySqlWallet) wallet).held(holdId);
  }
}
