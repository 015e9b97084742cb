package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A host pool configured with autoCommit=false (common Hikari/Spring tuning; found in review). */
class PostgresAutoCommitTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  @Test
  void poolWithAutoCommitOff_cursorAndLeaseWritesMustPersist() {
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
      assertThat(a && b).as("two holders both granted the same lease at one instant").isFalse();
    }
  }
}
