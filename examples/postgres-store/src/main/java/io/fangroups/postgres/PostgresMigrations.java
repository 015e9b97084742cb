package io.fangroups.postgres;

import io.fangroups.examples.jdbc.MigrationScripts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates and upgrades the tables of {@link PostgresGroupStore}, {@link PostgresWallet} and
 * {@link PostgresAttemptLimiter} in the data source's current schema.
 * The scripts ship in this jar under {@code io/fangroups/postgres/migrations/}; each applied version
 * is recorded in {@code fg_schema_migrations} with a checksum of its script.
 *
 * <p>Call {@link #migrate} at start-up, before building the store. It is safe when several
 * instances start at once: each run takes one transaction-scoped advisory lock, so runs apply the
 * scripts one after another and the later ones find nothing left to do. A failed run rolls back
 * whole (PostgreSQL's DDL is transactional).
 */
public final class PostgresMigrations {
  /** The advisory lock every run takes; any fixed number no other part of the host uses. */
  static final long LOCK_KEY = 0x6667_5f6d_6967_7261L; // "fg_migra"

  /** The scripts in the order they apply: version {@code n} is the n-th. */
  static final List<String> SCRIPTS =
      List.of("V1__group_store.sql", "V2__snapshots_retention_change_feed.sql", "V3__wallet.sql",
          "V4__passcode_attempts.sql");

  private static final String RESOURCE_DIR = "/io/fangroups/postgres/migrations/";

  private PostgresMigrations() {}

  /**
   * Applies the scripts the database has not seen yet, and returns how many it applied (0 when the
   * schema was current).
   *
   * @throws PostgresStoreException when the database fails, or when a script applied earlier
   *     differs from the one in this jar (someone edited a shipped migration)
   */
  public static int migrate(DataSource dataSource) {
    return migrate(dataSource, SCRIPTS.size());
  }

  /**
   * As {@link #migrate(DataSource)}, applying the scripts only up to version {@code through}: how a
   * test builds a database as an older release left it, to check the upgrade from there.
   */
  static int migrate(DataSource dataSource, int through) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (through < 1 || through > SCRIPTS.size()) {
      throw new IllegalArgumentException("through must be a version from 1 to " + SCRIPTS.size() + ", got " + through);
    }
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try {
        int applied = migrate(connection, through);
        connection.commit();
        return applied;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new PostgresStoreException("migrate", e);
    }
  }

  private static int migrate(Connection connection, int through) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      statement.execute("CREATE TABLE IF NOT EXISTS fg_schema_migrations ("
          + " version integer PRIMARY KEY,"
          + " script text NOT NULL,"
          + " checksum text NOT NULL,"
          + " applied_at timestamptz NOT NULL DEFAULT now())");
    }
    Map<Integer, String> checksums = new HashMap<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT version, checksum FROM fg_schema_migrations")) {
      while (rows.next()) {
        checksums.put(rows.getInt(1), rows.getString(2));
      }
    }
    int applied = 0;
    for (int i = 0; i < through; i++) {
      int version = i + 1;
      String name = SCRIPTS.get(i);
      String sql = MigrationScripts.read(PostgresMigrations.class, RESOURCE_DIR + name);
      String checksum = MigrationScripts.sha256(sql);
      String recorded = checksums.get(version);
      if (recorded != null) {
        if (!recorded.equals(checksum)) {
          throw new PostgresStoreException("migration " + name + " was applied with checksum " + recorded
              + " but the shipped script has " + checksum + "; never edit an applied migration, add a new one");
        }
        continue;
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO fg_schema_migrations (version, script, checksum) VALUES (?, ?, ?)")) {
        insert.setInt(1, version);
        insert.setString(2, name);
        insert.setString(3, checksum);
        insert.executeUpdate();
      }
      applied++;
    }
    return applied;
  }
}
