package io.fangroups.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fresh databases on the JVM's {@link MariaDbServer} for one test class, registered as a static
 * {@code @RegisterExtension} field, and HikariCP pools over them; the pools are closed after each test.
 */
final class MySqlTestDatabase implements AfterEachCallback, AfterAllCallback {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final List<HikariDataSource> pools = new ArrayList<>();

  @Override
  public void afterEach(ExtensionContext context) {
    closePools();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    closePools();
  }

  /**
   * Creates an empty database and returns its name. It takes the server's default character set
   * (latin1): the store's tables must declare utf8mb4 themselves.
   */
  String createDatabase() {
    String name = "fg_test_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(jdbcUrl(""), "root", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return name;
  }

  /** The JDBC URL of {@code database} through MariaDB's driver (user root, no password). */
  String jdbcUrl(String database) {
    return MariaDbServer.get().jdbcUrl("mariadb", database);
  }

  /** A new pool of at most {@code size} connections to {@code database} at {@code url}; closed after the test. */
  synchronized HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("root");
    config.setPassword("");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setPoolName("mysql-pool-" + pools.size());
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  /** A new pool over {@code database} through MariaDB's driver. */
  HikariDataSource poolOn(String database, int size) {
    return pool(jdbcUrl(database), size);
  }

  /** A migrated database reached through a new pool. */
  HikariDataSource migratedPool(int size) {
    HikariDataSource pool = poolOn(createDatabase(), size);
    MySqlMigrations.migrate(pool);
    return pool;
  }

  private synchronized void closePools() {
    pools.forEach(HikariDataSource::close);
    pools.clear();
  }
}
