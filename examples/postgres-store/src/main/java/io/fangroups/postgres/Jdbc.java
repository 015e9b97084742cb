package io.fangroups.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The JDBC plumbing {@link PostgresGroupStore} and {@link PostgresWallet} share: transactions, statements, rows. */
final class Jdbc {
  /** Attempts at a write transaction that the database rolled back for a serialization failure or deadlock. */
  private static final int ATTEMPTS = 3;

  private Jdbc() {}

  /**
   * Runs {@code work} in one transaction that starts with the wait bound and is committed after it
   * (work that decides to write nothing rolls back itself; the commit then ends an empty
   * transaction). Retried from the start when the database rolled it back for a serialization
   * failure or deadlock.
   */
  static <T> T transaction(DataSource dataSource, String waitLimit, String operation, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        return inTransaction(c, t -> {
          update(t, waitLimit);
          T result = work.run(t);
          t.commit();
          return result;
        });
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && rolledBackForConcurrency(e)) {
          continue;
        }
        throw new PostgresStoreException(operation, e);
      }
    }
  }

  private static boolean rolledBackForConcurrency(SQLException e) {
    return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState());
  }

  static int update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = prepare(c, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] == null) {
          statement.setNull(i + 1, Types.NULL); // the server infers the type from the column
        } else {
          statement.setObject(i + 1, parameters[i]);
        }
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }

  static <T> List<T> rows(Connection c, String sql, RowReader<T> reader, Object... parameters)
      throws SQLException {
    try (PreparedStatement select = prepare(c, sql, parameters);
        ResultSet rows = select.executeQuery()) {
      List<T> values = new ArrayList<>();
      while (rows.next()) {
        values.add(reader.read(rows));
      }
      return List.copyOf(values);
    }
  }

  static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  static <T> T withConnection(DataSource dataSource, String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new PostgresStoreException(operation, e);
    }
  }

  /**
   * Runs {@code work} with auto-commit off; work commits or rolls back itself, and anything it left
   * open is rolled back. Auto-commit is restored before the connection goes back to its pool.
   */
  static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    boolean done = false;
    try {
      T result = work.run(c);
      done = true;
      return result;
    } finally {
      if (!done) {
        try {
          c.rollback();
        } catch (SQLException rollbackFailed) {
          // The connection is likely broken; the first failure is the one to report.
        }
      }
      try {
        c.setAutoCommit(autoCommit);
      } catch (SQLException broken) {
        // A broken connection: the pool discards it; the failure that broke it is the one to report.
      }
    }
  }

  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }
}
