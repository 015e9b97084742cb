package io.fangroups.mysql;

import static io.fangroups.examples.jdbc.Sql.rows;
import static io.fangroups.examples.jdbc.Sql.update;
import static io.fangroups.mysql.Jdbc.insertNew;

import io.fangroups.examples.jdbc.MigrationScripts;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Creates and upgrades the tables of {@link MySqlGroupStore}, {@link MySqlWallet} and
 * {@link MySqlAttemptLimiter} in the data source's current database. The scripts ship in this jar
 * under {@code io/fangroups/mysql/migrations/}; each applied version is recorded in
 * {@code fg_schema_migrations} with a checksum of its script.
 *
 * <p>Call {@link #migrate} at start-up, before building the store. It is safe when several instances
 * start at once. MySQL's DDL commits as it runs, so no transaction can hold a lock across it, and
 * {@code GET_LOCK} is held per server under MySQL Group Replication; instead a run takes a lease: a row in
 * {@code fg_schema_lock}, inserted by one run, waited for by the others, deleted at the end, and taken
 * over once {@link #LEASE} has passed (a run that died). Every statement of every script is idempotent
 * ({@code CREATE TABLE IF NOT EXISTS}), so a run that failed half-way is finished by the next one, and
 * a version is recorded only after its whole script ran.
 */
public final class MySqlMigrations {
  /** How long a run may hold the lease before another run takes it over. */
  static final Duration LEASE = Duration.ofMinutes(5);
  /** How long a run waits for another run's lease before giving up. */
  static final Duration WAIT = Duration.ofMinutes(6);

  /** The scripts in the order they apply: version {@code n} is the n-th. */
  static final List<String> SCRIPTS = List.of("V1__group_store.sql", "V2__wallet.sql", "V3__passcode_attempts.sql");

  private static final String RESOURCE_DIR = "/io/fangroups/mysql/migrations/";

  private MySqlMigrations() {}

  /**
   * Applies the scripts the database has not seen yet, and returns how many it applied (0 when the
   * schema was current).
   *
   * @throws MySqlStoreException when the database fails, when another run held the lease for longer
   *     than {@link #WAIT}, or when a script applied earlier differs from the one in this jar (someone
   *     edited a shipped migration)
   */
  public static int migrate(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(true); // each statement below commits as it runs, as DDL does anyway
      try {
        return migrate(c);
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw new MySqlStoreException("migrate", e);
    }
  }

  private static int migrate(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS fg_schema_lock (name VARCHAR(32) NOT NULL PRIMARY KEY,"
          + " holder VARCHAR(64) NOT NULL, until_millis BIGINT NOT NULL) ENGINE = InnoDB");
      s.execute("CREATE TABLE IF NOT EXISTS fg_schema_migrations (version INT NOT NULL PRIMARY KEY,"
          + " script VARCHAR(200) NOT NULL, checksum CHAR(64) NOT NULL,"
          + " applied_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE = InnoDB");
    }
    String holder = UUID.randomUUID().toString();
    acquire(c, holder);
    try {
      return apply(c);
    } finally {
      update(c, "DELETE FROM fg_schema_lock WHERE name = 'migrate' AND holder = ?", holder);
    }
  }

  /** Takes the lease: a new row, or the row of a run whose lease ran out; waits while another run holds it. */
  private static void acquire(Connection c, String holder) throws SQLException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      long now = System.currentTimeMillis();
      long until = now + LEASE.toMillis();
      if (insertNew(c, "INSERT INTO fg_schema_lock (name, holder, until_millis) VALUES ('migrate', ?, ?)", holder, until)
          || update(c, "UPDATE fg_schema_lock SET holder = ?, until_millis = ? WHERE name = 'migrate'"
              + " AND until_millis < ?", holder, until, now) == 1) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new MySqlStoreException("migrate: another run has held the schema lock for over " + WAIT
            + "; if no run is alive, delete the row of fg_schema_lock");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MySqlStoreException("migrate: interrupted while waiting for the schema lock");
      }
    }
  }

  private static int apply(Connection c) throws SQLException {
    Map<Integer, String> checksums = new HashMap<>();
    for (Map.Entry<Integer, String> row : rows(c, "SELECT version, checksum FROM fg_schema_migrations",
        r -> Map.entry(r.getInt(1), r.getString(2)))) {
      checksums.put(row.getKey(), row.getValue());
    }
    int applied = 0;
    for (int i = 0; i < SCRIPTS.size(); i++) {
      int version = i + 1;
      String name = SCRIPTS.get(i);
      String sql = MigrationScripts.read(MySqlMigrations.class, RESOURCE_DIR + name);
      String checksum = MigrationScripts.sha256(sql);
      String recorded = checksums.get(version);
      if (recorded != null) {
        if (!recorded.equals(checksum)) {
          throw new MySqlStoreException("migration " + name + " was applied with checksum " + recorded
              + " but the shipped script has " + checksum + "; never edit an applied migration, add a new one");
        }
        continue;
      }
      try (Statement statement = c.createStatement()) {
        for (String one : statements(sql)) {
          statement.execute(one);
        }
      }
      update(c, "INSERT INTO fg_schema_migrations (version, script, checksum) VALUES (?, ?, ?)", version, name,
          checksum);
      applied++;
    }
    return applied;
  }

  /**
   * A script's statements: its lines without {@code --} comment lines, split at each line that ends
   * with a semicolon (the scripts hold no semicolon inside a statement's line end). Drivers run one
   * statement per call unless the URL allows more, so they are sent one by one.
   */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("--")) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        statements.add(current.substring(0, current.lastIndexOf(";")).strip());
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }
}
