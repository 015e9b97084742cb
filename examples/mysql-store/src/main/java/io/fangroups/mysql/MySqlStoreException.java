package io.fangroups.mysql;

import java.sql.SQLException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A database failure in {@link MySqlGroupStore}, {@link MySqlWallet}, {@link MySqlAttemptLimiter} or
 * {@link MySqlMigrations}: the database was unreachable, a statement failed, or a lock wait timed out.
 * After one from an append, the append's outcome is unknown (the commit may have reached the
 * database); re-read the streams.
 */
public final class MySqlStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final @Nullable String sqlState;
  private final int errorCode;

  MySqlStoreException(String operation, SQLException cause) {
    super(operation + " failed (SQL state " + cause.getSQLState() + ", error " + cause.getErrorCode() + "): "
        + cause.getMessage(), cause);
    this.sqlState = cause.getSQLState();
    this.errorCode = cause.getErrorCode();
  }

  MySqlStoreException(String message) {
    super(Objects.requireNonNull(message, "message"));
    this.sqlState = null;
    this.errorCode = 0;
  }

  /** The SQLSTATE the database or driver reported, or null when the failure did not come from a statement. */
  public @Nullable String sqlState() {
    return sqlState;
  }

  /**
   * The server's error number (for example 1205: a lock wait timed out; 2013 or 0 with SQL state
   * {@code 08…}: the connection was lost), or 0 when there is none.
   */
  public int errorCode() {
    return errorCode;
  }
}
