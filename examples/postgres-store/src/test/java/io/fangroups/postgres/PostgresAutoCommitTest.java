package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store on a host pool configured with autoCommit=false (common Hikari/Spring tuning) commits
 * its own writes: a cursor update and a lease persist once the call returns.
 */
class PostgresAutoCommitTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  @Test
  void cursorAndLeaseWrites_onAPoolWithAutoCommitOff_persist() {
    String db = postgres.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(db));
    config.setUsername("postgres");
    config.setAutoCommit(false);
    config.setMaximumPoolSize(2);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      PostgresMigrations.migrate(pool);
      PostgresGroupStore store = new PostgresGroupStore(pool);
      Instant t = Instant.parse("2026-11-25T10:00:00Z");

      store.advanceCursor("relay/publisher|g1", 5);
      long cursor = store.cursor("relay/publisher|g1");

      boolean a = store.tryLease("relay/publisher|g1", "relay-a", t, Duration.ofSeconds(30));
      boolean b = store.tryLease("relay/publisher|g1", "relay-b", t, Duration.ofSeconds(30));

      assertThat(cursor).as("cursor after advanceCursor(5)").isEqualTo(5);
      assertThat(a).as("the first holder's lease").isTrue();
      assertThat(b).as("a second holder of the same lease at the same instant").isFalse();
    }
  }
}
