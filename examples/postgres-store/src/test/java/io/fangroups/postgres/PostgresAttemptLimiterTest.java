package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.spi.AttemptLimiter.AttemptCounts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the kit does not cover: the shared capability, clock skew between servers, a pool with
 * auto-commit off, and old rows.
 */
class PostgresAttemptLimiterTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Instant TEN = Instant.parse("2026-03-01T10:00:00Z");

  private String database;
  private DataSource pool;
  private PostgresAttemptLimiter limiter;

  @BeforeEach
  void migratedDatabase() {
    database = postgres.createDatabase();
    pool = postgres.pool(database, 2);
    PostgresMigrations.migrate(pool);
    limiter = new PostgresAttemptLimiter(pool);
  }

  @Test
  void sharedAcrossInstances_isTrue() {
    assertThat(limiter.sharedAcrossInstances()).isTrue();
  }

  @Test
  void begin_stampedBeforeTheKeysWindow_countsInThatWindow() {
    limiter.begin("user:u", HOUR, TEN.plusSeconds(1));

    AttemptCounts late = limiter.begin("user:u", HOUR, TEN.minusSeconds(1));

    assertThat(late).as("an attempt from a server whose clock lags by 2 s, across the hour")
        .isEqualTo(new AttemptCounts(2, 2));
    assertThat(limiter.begin("user:u", HOUR, TEN.plusSeconds(2))).isEqualTo(new AttemptCounts(3, 3));
  }

  @Test
  void begin_throughANewPool_continuesTheCounts() {
    limiter.begin("user:u", HOUR, TEN);
    limiter.begin("user:u", HOUR, TEN);

    PostgresAttemptLimiter restarted = new PostgresAttemptLimiter(postgres.pool(database, 2));

    assertThat(restarted.begin("user:u", HOUR, TEN)).isEqualTo(new AttemptCounts(3, 3));
  }

  @Test
  void begin_onAPoolWithAutoCommitOff_commitsTheCount() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl(database));
    config.setUsername("postgres");
    config.setAutoCommit(false);
    config.setMaximumPoolSize(1);
    try (HikariDataSource manual = new HikariDataSource(config)) {
      PostgresAttemptLimiter onManual = new PostgresAttemptLimiter(manual);
      onManual.begin("user:u", HOUR, TEN);
      onManual.begin("user:u", HOUR, TEN);
    }

    assertThat(limiter.begin("user:u", HOUR, TEN)).isEqualTo(new AttemptCounts(3, 3));
  }

  @Test
  void deleteIdle_deletesEndedWindowsWithoutARunAndRunsIdleForTheRetention() throws SQLException {
    limiter.begin("user:succeeded-earlier", HOUR, TEN);
    limiter.succeeded("user:succeeded-earlier", HOUR, TEN);
    limiter.begin("user:failing", HOUR, TEN);
    limiter.begin("user:this-hour", HOUR, TEN.plus(HOUR));
    limiter.succeeded("user:this-hour", HOUR, TEN.plus(HOUR));
    Instant now = TEN.plus(HOUR).plusSeconds(30);

    assertThat(limiter.deleteIdle(now)).isEqualTo(1);
    assertThat(keys()).containsExactly("user:failing", "user:this-hour");

    assertThat(limiter.deleteIdle(TEN.plus(HOUR).plus(PostgresAttemptLimiter.IDLE_RETENTION))).isEqualTo(2);
    assertThat(keys()).isEmpty();
  }

  @Test
  void begin_afterDeleteIdle_keepsTheFailureRun() {
    limiter.begin("user:failing", HOUR, TEN);
    limiter.deleteIdle(TEN.plus(HOUR));

    assertThat(limiter.begin("user:failing", HOUR, TEN.plus(HOUR))).isEqualTo(new AttemptCounts(1, 2));
  }

  private List<String> keys() throws SQLException {
    List<String> keys = new ArrayList<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT key FROM fg_passcode_attempts ORDER BY key")) {
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
    }
    return keys;
  }
}
