package io.fangroups.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.FanGroups;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.spi.GroupStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** How one application server wires the SDK to the shared database; the README shows the marked region. */
final class PostgresWiring {
  private PostgresWiring() {}

  /** One application server's SDK and the pool it owns. */
  record Server(FanGroups fanGroups, HikariDataSource pool) implements AutoCloseable {
    @Override
    public void close() {
      fanGroups.relay().close();
      pool.close();
    }
  }

  static Server connect(String jdbcUrl, String user, String password, String passcodeSecret) {
    // README-POSTGRES-START
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);                  // e.g. jdbc:postgresql://db:5432/fans
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(16);
    HikariDataSource pool = new HikariDataSource(config);
    PostgresMigrations.migrate(pool);            // creates or upgrades the tables; safe when every server starts at once

    GroupStore store = new PostgresGroupStore(pool);
    FanGroups fanGroups = FanGroups.builder()
        .store(store)
        // every server shares the passcode keys (from your secret store), or codes issued on one fail on another
        .passcodeKeys(PasscodeKeys.of(Map.of("k1", passcodeSecret.getBytes(StandardCharsets.UTF_8)), "k1"))
        .attemptLimiter(new PostgresAttemptLimiter(pool)) // passcode attempts counted once for every server
        .policy("vip-only", VipOnly.POLICY)     // host policies by name, the same on every server
        .build();
    // README-POSTGRES-END
    return new Server(fanGroups, pool);
  }
}
