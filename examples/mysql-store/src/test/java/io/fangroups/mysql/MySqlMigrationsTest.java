package io.fangroups.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.examples.jdbc.Sql;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.testkit.Concurrently;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MySqlMigrationsTest {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  @Test
  void migrate_appliesEveryScriptOnce_thenNothing() throws SQLException {
    HikariDataSource pool = mysql.poolOn(mysql.createDatabase(), 2);

    assertThat(MySqlMigrations.migrate(pool)).isEqualTo(MySqlMigrations.SCRIPTS.size());
    assertThat(MySqlMigrations.migrate(pool)).isZero();
    assertThat(tables(pool)).contains("fg_streams", "fg_events", "fg_keys", "fg_cursors", "fg_leases",
        "fg_snapshots", "fg_changes", "fg_wallet_accounts", "fg_wallet_holds", "fg_wallet_transfers",
        "fg_passcode_attempts", "fg_schema_migrations", "fg_schema_lock");
    assertThat(query(pool, "SELECT COUNT(*) FROM fg_schema_lock")).as("the lease is given back").isEqualTo("0");
  }

  @Test
  void eightServersMigratingAtOnce_applyEachScriptExactlyOnce() {
    String database = mysql.createDatabase();
    List<HikariDataSource> pools = java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> mysql.poolOn(database, 1)).toList();

    List<Integer> applied = Concurrently.run(8, i -> MySqlMigrations.migrate(pools.get(i)));

    assertThat(applied.stream().mapToInt(Integer::intValue).sum()).isEqualTo(MySqlMigrations.SCRIPTS.size());
    assertThat(applied).containsOnly(0, MySqlMigrations.SCRIPTS.size());
  }

  @Test
  void aRunThatDiedHalfWay_isFinishedByTheNext_andItsLeaseTakenOver() throws SQLException {
    HikariDataSource pool = mysql.poolOn(mysql.createDatabase(), 2);
    MySqlMigrations.migrate(pool);
    execute(pool, "DROP TABLE fg_passcode_attempts");
    execute(pool, "DELETE FROM fg_schema_migrations WHERE version = 3");
    // The dead run's lease, expired: a run that crashed holding it.
    execute(pool, "INSERT INTO fg_schema_lock (name, holder, until_millis) VALUES ('migrate', 'dead', 0)");

    assertThat(MySqlMigrations.migrate(pool)).isEqualTo(1);
    assertThat(tables(pool)).contains("fg_passcode_attempts");
  }

  @Test
  void anEditedScript_isRefusedByItsChecksum() throws SQLException {
    HikariDataSource pool = mysql.poolOn(mysql.createDatabase(), 2);
    MySqlMigrations.migrate(pool);
    execute(pool, "UPDATE fg_schema_migrations SET checksum = REPEAT('0', 64) WHERE version = 2");

    assertThatThrownBy(() -> MySqlMigrations.migrate(pool)).isInstanceOf(MySqlStoreException.class)
        .hasMessageContaining("V2__wallet.sql").hasMessageContaining("never edit an applied migration");
  }

  @Test
  void statements_splitAScriptAtLineEndSemicolons_withoutCommentLines() {
    assertThat(MySqlMigrations.statements("-- a comment; not a statement\nCREATE TABLE a (x INT);\n\n"
        + "CREATE TABLE b (\n  y INT -- inline\n);\nSELECT 1"))
        .containsExactly("CREATE TABLE a (x INT)", "CREATE TABLE b (\n  y INT -- inline\n)", "SELECT 1");
  }

  private static List<String> tables(HikariDataSource pool) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return Sql.rows(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()",
          r -> r.getString(1));
    }
  }

  private static String query(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return Sql.rows(c, sql, r -> r.getString(1)).get(0);
    }
  }

  private static void execute(HikariDataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
