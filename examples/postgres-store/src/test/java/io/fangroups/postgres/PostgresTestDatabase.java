package io.fangroups.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for one test class, registered as a static {@code @RegisterExtension}
 * field: started before the class's tests, stopped after them. Tests ask it for fresh databases and
 * HikariCP pools over them; the pools are closed after each test.
 */
final class PostgresTestDatabase implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final List<HikariDataSource> pools = new ArrayList<>();
  private EmbeddedPostgres server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = EmbeddedPostgres.builder().start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closePools();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    closePools();
    server.close();
  }

  /** Creates an empty database and returns its name. */
  String createDatabase() {
    String name = "fg_test_" + DATABASES.incrementAndGet();
    try (Connection c = server.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return name;
  }

  /** The JDBC URL of {@code database} on this server (user {@code postgres}, no password). */
  String jdbcUrl(String database) {
    return server.getJdbcUrl("postgres", database);
  }

  /** A new pool of at most {@code size} connections to {@code database}; closed with the server. */
  synchronized HikariDataSource pool(String database, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl(database));
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setPoolName(database + "-pool-" + pools.size());
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  /** A migrated database reached through a new pool. */
  HikariDataSource migratedPool(int size) {
    HikariDataSource pool = pool(createDatabase(), size);
    PostgresMigrations.migrate(pool);
    return pool;
  }

  private synchronized void closePools() {
    pools.forEach(HikariDataSource::close);
    pools.clear();
  }
}
