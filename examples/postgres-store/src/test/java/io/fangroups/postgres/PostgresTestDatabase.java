package io.fangroups.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for one test class: started once, with fresh databases handed out and
 * HikariCP pools over them, all closed by {@link #close()}.
 */
final class PostgresTestDatabase implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres server;
  private final List<HikariDataSource> pools = new ArrayList<>();

  private PostgresTestDatabase(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts a server on a free local port. */
  static PostgresTestDatabase start() {
    try {
      return new PostgresTestDatabase(EmbeddedPostgres.builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    }
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

  /** A new pool of at most {@code size} connections to {@code database}; closed with the server. */
  synchronized HikariDataSource pool(String database, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(server.getJdbcUrl("postgres", database));
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

  /** Closes every pool handed out so far, so that tests do not pile up idle connections. */
  synchronized void closePools() {
    pools.forEach(HikariDataSource::close);
    pools.clear();
  }

  @Override
  public void close() throws IOException {
    closePools();
    server.close();
  }
}
