package io.fangroups.mysql;

import io.fangroups.examples.jdbc.Sql;
import io.fangroups.examples.jdbc.Sql.SqlWork;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * How the MySQL classes borrow connections and run transactions (failures as
 * {@link MySqlStoreException}, deadlocks and TiDB write conflicts retried, the lock wait bounded), and
 * names as UTF-8 bytes for the {@code VARBINARY} columns. Statements and rows are {@link Sql}'s.
 */
final class Jdbc {
  /** Attempts at a write transaction that the database rolled back for a deadlock or a write conflict. */
  private static final int ATTEMPTS = 5;
  /** ER_DUP_ENTRY: an insert hit an existing primary key. */
  private static final int DUPLICATE_KEY = 1062;
  /** ER_LOCK_DEADLOCK: InnoDB (or TiDB) rolled the whole transaction back to break a deadlock. */
  private static final int DEADLOCK = 1213;
  /** TiDB's write conflict: an optimistic transaction lost to a concurrent one at commit; rolled back. */
  private static final int TIDB_WRITE_CONFLICT = 9007;

  /** The wait limit each physical connection was given; weak, so a closed connection is forgotten. */
  private static final Map<Connection, String> WAIT_LIMITS = Collections.synchronizedMap(new WeakHashMap<>());

  private Jdbc() {}

  /**
   * Runs {@code work} in one transaction, committed after it (work that decides to write nothing rolls
   * back itself; the commit then ends an empty transaction). The connection's lock wait is set first
   * with {@code waitLimit}, a {@code SET SESSION innodb_lock_wait_timeout}, once per physical
   * connection: MySQL has no transaction-scoped setting, so the pooled connection keeps it. Retried
   * from the start when the database rolled the transaction back for a deadlock or a write conflict. A lock wait that timed
   * out (error 1205) is not retried: it is reported, as the bound means it to be.
   */
  static <T> T transaction(DataSource dataSource, String waitLimit, String operation, SqlWork<T> work) {
    return retried(dataSource, waitLimit, operation, c -> Sql.inTransaction(c, t -> {
      T result = work.run(t);
      t.commit();
      return result;
    }));
  }

  /**
   * As {@link #transaction}, for work that is one writing statement (and at most a read of the
   * session's {@code LAST_INSERT_ID()}): run as it is on a connection with auto-commit on, which saves
   * the round trips of turning it off and on, else committed as a transaction. The row it writes is
   * locked only while the statement runs.
   */
  static <T> T statement(DataSource dataSource, String waitLimit, String operation, SqlWork<T> work) {
    return retried(dataSource, waitLimit, operation, c -> Sql.committed(c, work));
  }

  /** Runs {@code work} on a borrowed connection with the wait limit set, retried as {@link #transaction} says. */
  private static <T> T retried(DataSource dataSource, String waitLimit, String operation, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        setWaitLimit(c, waitLimit);
        return work.run(c);
      } catch (SQLException e) {
        if (attempt < ATTEMPTS && (e.getErrorCode() == DEADLOCK || e.getErrorCode() == TIDB_WRITE_CONFLICT)) {
          pause(attempt);
          continue;
        }
        throw new MySqlStoreException(operation, e);
      }
    }
  }

  /**
   * Runs {@code waitLimit} on the connection unless its physical connection (what a pool's proxy
   * unwraps to) already ran it: the setting lasts as long as the session, so a pooled connection needs
   * it once, not once per transaction.
   */
  private static void setWaitLimit(Connection c, String waitLimit) throws SQLException {
    Connection physical = c.isWrapperFor(Connection.class) ? c.unwrap(Connection.class) : c;
    if (waitLimit.equals(WAIT_LIMITS.get(physical))) {
      return;
    }
    try (Statement s = c.createStatement()) {
      s.execute(waitLimit);
    }
    WAIT_LIMITS.put(physical, waitLimit);
  }

  /** A short random pause before a retry, growing with the attempt, so the transactions that collided do not meet again. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L << (attempt + 1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The statement that bounds a transaction's lock waits: whole seconds, at least 1, as the variable takes. */
  static String waitLimit(Duration lockTimeout) {
    long seconds = Math.max(1, (lockTimeout.toMillis() + 999) / 1000);
    return "SET SESSION innodb_lock_wait_timeout = " + seconds;
  }

  /**
   * Runs an insert; false when its primary key exists. The failed statement is undone alone, and the
   * transaction goes on (InnoDB and TiDB roll back a statement, not the transaction, on this error).
   */
  static boolean insertNew(Connection c, String sql, Object... parameters) throws SQLException {
    try {
      Sql.update(c, sql, parameters);
      return true;
    } catch (SQLException e) {
      if (e.getErrorCode() == DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  static <T> T withConnection(DataSource dataSource, String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new MySqlStoreException(operation, e);
    }
  }

  /** A name as the bytes its VARBINARY column holds: UTF-8, so byte order is code point order. */
  static byte[] utf8(String name) {
    return name.getBytes(StandardCharsets.UTF_8);
  }

  /** A name read back from its VARBINARY column. */
  static String text(byte[] utf8) {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  /**
   * {@code utf8(name)}, refused with {@link IllegalArgumentException} when longer than its column
   * holds: a server in a non-strict SQL mode would cut it short and silently merge names.
   */
  static byte[] utf8(String name, int maxBytes, String what) {
    byte[] bytes = utf8(name);
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(what + " is " + bytes.length + " bytes in UTF-8; at most " + maxBytes
          + " are stored");
    }
    return bytes;
  }

  /** "?, ?, …, ?": {@code count} parameter markers for an IN list. */
  static String markers(int count) {
    return String.join(", ", Collections.nCopies(count, "?"));
  }
}
