package io.fangroups.postgres;

import java.sql.SQLException;
import java.util.Objects;

/**
 * A database failure in {@link PostgresGroupStore}, {@link PostgresWallet} or {@link PostgresMigrations}: the database was
 * unreachable, a statement failed or timed out. After one from an append, the append's outcome is
 * unknown (the commit may have reached the database); re-read the streams.
 */
public final class PostgresStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;

  PostgresStoreException(String operation, SQLException cause) {
    super(operation + " failed (SQL state " + cause.getSQLState() + "): " + cause.getMessage(), cause);
    this.sqlState = cause.getSQLState();
  }

  PostgresStoreException(String message) {
    super(Objects.requireNonNull(message, "message"));
    this.sqlState = null;
  }

  /**
   * The SQLSTATE the database or driver reported (for example {@code 08006}: the connection
   * failed), or null when the failure did not come from a statement.
   */
  public String sqlState() {
    return sqlState;
  }
}
