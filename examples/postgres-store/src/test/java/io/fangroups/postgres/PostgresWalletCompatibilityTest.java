package io.fangroups.postgres;

import io.fangroups.spi.Wallet;
import io.fangroups.testkit.WalletCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PostgreSQL wallet passes the Wallet kit; the second client has its own pool on the same database. */
class PostgresWalletCompatibilityTest extends WalletCompatibilityKit {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private String database;

  @Override
  protected Wallet newWallet() {
    database = postgres.createDatabase();
    var pool = postgres.pool(database, 8);
    PostgresMigrations.migrate(pool);
    return new PostgresWallet(pool);
  }

  @Override
  protected Wallet secondClient(Wallet first) {
    return new PostgresWallet(postgres.pool(database, 8));
  }

  @Override
  protected void deposit(Wallet wallet, String account, String currency, long amount) {
    ((PostgresWallet) wallet).deposit(account, currency, amount);
  }

  @Override
  protected long balance(Wallet wallet, String account, String currency) {
    return ((PostgresWallet) wallet).balance(account, currency);
  }

  @Override
  protected long held(Wallet wallet, String holdId) {
    return ((PostgresWallet) wallet).held(holdId);
  }
}
