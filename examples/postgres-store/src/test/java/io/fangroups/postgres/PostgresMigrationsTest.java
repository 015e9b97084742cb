package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresMigrationsTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  @Test
  void migrate_freshDatabase_createsEveryTable() throws SQLException {
    DataSource pool = postgres.pool(postgres.createDatabase(), 2);

    assertThat(PostgresMigrations.migrate(pool)).isEqualTo(PostgresMigrations.SCRIPTS.size());

    assertThat(strings(pool, "SELECT table_name FROM information_schema.tables"
        + " WHERE table_schema = current_schema() ORDER BY table_name"))
        .containsExactly("fg_changes", "fg_cursors", "fg_events", "fg_keys", "fg_leases", "fg_passcode_attempts",
            "fg_schema_migrations", "fg_snapshots", "fg_streams", "fg_wallet_accounts", "fg_wallet_holds",
            "fg_wallet_transfers");
    assertThat(strings(pool, "SELECT script FROM fg_schema_migrations ORDER BY version"))
        .containsExactlyElementsOf(PostgresMigrations.SCRIPTS);
  }

  @Test
  void migrate_again_appliesNothing() throws SQLException {
    DataSource pool = postgres.pool(postgres.createDatabase(), 2);
    PostgresMigrations.migrate(pool);

    assertThat(PostgresMigrations.migrate(pool)).isZero();
    assertThat(strings(pool, "SELECT count(*) FROM fg_schema_migrations"))
        .containsExactly(String.valueOf(PostgresMigrations.SCRIPTS.size()));
  }

  @Test
  void migrate_fourInstancesAtOnce_appliesEachScriptOnce() throws Exception {
    String database = postgres.createDatabase();
    List<DataSource> instances = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      instances.add(postgres.pool(database, 1));
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    CountDownLatch gate = new CountDownLatch(1);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (DataSource instance : instances) {
        runs.add(threads.submit(() -> {
          gate.await();
          return PostgresMigrations.migrate(instance);
        }));
      }
      gate.countDown();
      int applied = 0;
      for (Future<Integer> run : runs) {
        applied += run.get(30, TimeUnit.SECONDS);
      }

      assertThat(applied).isEqualTo(PostgresMigrations.SCRIPTS.size());
      assertThat(strings(instances.get(0), "SELECT count(*) FROM fg_schema_migrations"))
          .containsExactly(String.valueOf(PostgresMigrations.SCRIPTS.size()));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void migrate_appliedScriptEdited_refusesToStart() throws SQLException {
    DataSource pool = postgres.pool(postgres.createDatabase(), 2);
    PostgresMigrations.migrate(pool);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE fg_schema_migrations SET checksum = 'edited' WHERE version = 1");
    }

    assertThatThrownBy(() -> PostgresMigrations.migrate(pool))
        .isInstanceOf(PostgresStoreException.class)
        .hasMessageContaining("V1__group_store.sql")
        .hasMessageContaining("never edit an applied migration");
  }

  @Test
  void migrateToV2_onAV1DatabaseWithRows_marksGroupStreamsAndKeepsEveryRow() throws SQLException {
    DataSource pool = postgres.pool(postgres.createDatabase(), 2);
    assertThat(PostgresMigrations.migrate(pool, 1)).isEqualTo(1);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO fg_streams (stream, last_sequence) VALUES"
          + " ('group/a', 3), ('group/b', 1), ('group/checked', 0), ('creator/u', 2), ('groupX', 1)");
      s.execute("INSERT INTO fg_events (stream, sequence, type, payload) VALUES ('group/b', 1, 't', '{}')");
    }

    assertThat(PostgresMigrations.migrate(pool, 2)).isEqualTo(1);

    assertThat(strings(pool, "SELECT stream || '@' || last_sequence FROM fg_changes ORDER BY stream"))
        .containsExactly("group/a@3", "group/b@1");
    assertThat(strings(pool, "SELECT count(*) FROM fg_streams WHERE retain_until IS NULL")).containsExactly("5");
    assertThat(strings(pool, "SELECT payload FROM fg_events")).containsExactly("{}");
    assertThat(strings(pool, "SELECT count(*) FROM fg_snapshots")).containsExactly("0");
  }

  @Test
  void migrateToV3_onAV2DatabaseWithRows_addsEmptyWalletTablesAndKeepsEveryRow() throws SQLException {
    DataSource pool = postgres.pool(postgres.createDatabase(), 2);
    assertThat(PostgresMigrations.migrate(pool, 2)).isEqualTo(2);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO fg_streams (stream, last_sequence) VALUES ('group/a', 1)");
      s.execute("INSERT INTO fg_events (stream, sequence, type, payload) VALUES ('group/a', 1, 't', '{}')");
      s.execute("INSERT INTO fg_changes (stream, last_sequence) VALUES ('group/a', 1)");
    }

    assertThat(PostgresMigrations.migrate(pool, 3)).isEqualTo(1);

    assertThat(strings(pool, "SELECT payload FROM fg_events")).containsExactly("{}");
    assertThat(strings(pool, "SELECT stream || '@' || last_sequence FROM fg_changes")).containsExactly("group/a@1");
    assertThat(strings(pool, "SELECT (SELECT count(*) FROM fg_wallet_accounts) + (SELECT count(*) FROM fg_wallet_holds)"
        + " + (SELECT count(*) FROM fg_wallet_transfers)")).containsExactly("0");
  }

  @Test
  void migrateToV4_onAV3DatabaseWithRows_addsAnEmptyAttemptsTableAndKeepsEveryRow() throws SQLException {
    DataSource pool = postgres.pool(postgres.createDatabase(), 2);
    assertThat(PostgresMigrations.migrate(pool, 3)).isEqualTo(3);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO fg_streams (stream, last_sequence) VALUES ('group/a', 1)");
      s.execute("INSERT INTO fg_events (stream, sequence, type, payload) VALUES ('group/a', 1, 't', '{}')");
      s.execute("INSERT INTO fg_wallet_accounts (account, currency, balance) VALUES ('u', 'CNY', 100)");
    }

    assertThat(PostgresMigrations.migrate(pool)).isEqualTo(1);

    assertThat(strings(pool, "SELECT payload FROM fg_events")).containsExactly("{}");
    assertThat(strings(pool, "SELECT account || ':' || balance FROM fg_wallet_accounts")).containsExactly("u:100");
    assertThat(strings(pool, "SELECT count(*) FROM fg_passcode_attempts")).containsExactly("0");
    assertThat(strings(pool, "SELECT script FROM fg_schema_migrations WHERE version = 4"))
        .containsExactly("V4__passcode_attempts.sql");
  }

  private static List<String> strings(DataSource pool, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
