package io.fangroups.examples.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Statements, rows and transactions over plain JDBC, as the example stores use them: every method
 * takes the connection and throws the driver's {@link SQLException}; each store wraps failures in its
 * own exception and decides which to retry.
 */
public final class Sql {
  private Sql() {}

  /** Reads one row of a result into a value. */
  @FunctionalInterface
  public interface RowReader<T> {
    /** The value of the row the result set is on. */
    T read(ResultSet row) throws SQLException;
  }

  /** Work on one connection. */
  @FunctionalInterface
  public interface SqlWork<T> {
    /** Runs the work. */
    T run(Connection c) throws SQLException;
  }

  /** Runs one writing statement with the parameters and returns its update count. */
  public static int update(Connection c, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = prepare(c, sql, parameters)) {
      return statement.executeUpdate();
    }
  }

  /** A prepared statement with the parameters set in order; a null is sent as SQL NULL, typed by the server. */
  public static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    try {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] == null) {
          statement.setNull(i + 1, Types.NULL);
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

  /** Runs a query and reads every row. */
  public static <T> List<T> rows(Connection c, String sql, RowReader<T> reader, Object... parameters)
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

  /** The first row, if any. */
  public static <T> Optional<T> first(List<T> rows) {
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /**
   * Runs {@code work} with auto-commit off; work commits or rolls back itself, and anything it left
   * open is rolled back (MySQL undoes only a failed statement, so the rest must be rolled back here).
   * Auto-commit is restored before the connection goes back to its pool.
   */
  public static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
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

  /**
   * Runs {@code work} as its own transaction: as it is on a connection with auto-commit on, else in a
   * transaction committed here.
   */
  public static <T> T committed(Connection c, SqlWork<T> work) throws SQLException {
    return c.getAutoCommit() ? work.run(c) : inTransaction(c, t -> {
      T result = work.run(t);
      t.commit();
      return result;
    });
  }
}
