package io.fangroups.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.FanGroups;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.spi.GroupStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How one application server wires the SDK to a shared MySQL database; the README shows the marked region. */
final class MySqlWiring {
  private MySqlWiring() {}

  /** One application server's SDK and the pool it owns. */
  record Server(FanGroups fanGroups, HikariDataSource pool) implements AutoCloseable {
    @Override
    public void close() {
      fanGroups.relay().close();
      pool.close();
    }
  }

  static Server connect(String jdbcUrl, String user, String password, String passcodeSecret) {
    // README-MYSQL-START
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);                  // e.g. jdbc:mysql://db:3306/fans or jdbc:mariadb://db:3306/fans
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(16);
    HikariDataSource pool = new HikariDataSource(config);
    MySqlMigrations.migrate(pool);               // creates or upgrades the tables; safe when every server starts at once

    GroupStore store = new MySqlGroupStore(pool);
    FanGroups fanGroups = FanGroups.builder()
        .store(store)
        // every server shares the passcode keys (from your secret store), or codes issued on one fail on another
        .passcodeKeys(PasscodeKeys.of(Map.of("k1", passcodeSecret.getBytes(StandardCharsets.UTF_8)), "k1"))
        .attemptLimiter(new MySqlAttemptLimiter(pool)) // passcode attempts counted once for every server
        .wallet(new MySqlWallet(pool))           // or your payment system's Wallet; red packets move money through it
        .build();
    // README-MYSQL-END
    return new Server(fanGroups, pool);
  }
}
