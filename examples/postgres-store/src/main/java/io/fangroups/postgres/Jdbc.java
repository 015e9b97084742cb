package io.fangroups.postgres;

import io.fangroups.examples.jdbc.Sql;
import io.fangroups.examples.jdbc.Sql.SqlWork;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How {@link PostgresGroupStore}, {@link PostgresWallet} and {@link PostgresAttemptLimiter} borrow
 * connections and run transactions: failures as {@link PostgresStoreException}, PostgreSQL's
 * serialization failures and deadlocks retried. Statements and rows are {@link Sql}'s.
 */
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
        return Sql.inTransaction(c, t -> {
          Sql.update(t, waitLimit);
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

  /** Runs {@code work} on a borrowed connection; a failure is a {@link PostgresStoreException} naming the operation. */
  static <T> T withConnection(DataSource dataSource, String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new PostgresStoreException(operation, e);
    }
  }
}
