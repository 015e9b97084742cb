package io.fangroups.postgres;

import static io.fangroups.examples.jdbc.Sql.rows;
import static io.fangroups.examples.jdbc.Sql.update;

import io.fangroups.examples.jdbc.Sql;
import io.fangroups.examples.jdbc.Sql.SqlWork;
import io.fangroups.spi.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * An {@link AttemptLimiter} on PostgreSQL over JDBC, in the same database as {@link PostgresGroupStore}
 * (table {@code fg_passcode_attempts}, created by {@link PostgresMigrations#migrate}): every
 * application server on the database counts passcode attempts in one place, so the guessing bound of
 * {@code PasscodeLimits} holds for the whole platform, whatever the number of servers, and a restart
 * resets nothing. {@link #sharedAcrossInstances()} is true.
 *
 * <p>How the contract is kept:
 * <ul>
 *   <li>{@link #begin} is one statement, {@code INSERT … ON CONFLICT (key) DO UPDATE … RETURNING}: the
 *       key's row is locked while it is counted, so concurrent calls through any number of pools get
 *       distinct counts (rule 1).
 *   <li>The window containing {@code now} starts at a multiple of {@code window} in epoch
 *       milliseconds; the row keeps the window it counts in, and an attempt in a later window starts
 *       the count again (rule 2). An attempt stamped before the row's window (a server whose clock
 *       lags behind another's) counts in the row's window: skew between servers never restarts a
 *       count.
 *   <li>{@code consecutive} only grows, across windows, until {@link #succeeded} sets it to 0, which
 *       leaves the window count alone; {@link #reset} deletes the row (rules 3, 4).
 * </ul>
 *
 * <p>Old rows: a row whose window has ended and whose run is 0 holds nothing an absent row does not,
 * and a row untouched for {@link #IDLE_RETENTION} is forgotten (rule 5), as the in-memory default
 * forgets idle keys; a forgotten lock is lifted. {@link #deleteIdle} deletes both kinds; the host may
 * schedule it (say hourly on one server), and each client also runs it itself once every
 * {@value #CLEAN_EVERY} calls of {@link #begin}, so the table stays about as large as the keys of the
 * current window and the failure runs in progress.
 *
 * <p>Failures are thrown as {@link PostgresStoreException}; the SDK then refuses the attempt.
 */
public final class PostgresAttemptLimiter implements AttemptLimiter {
  /** How long a key with a failure run in progress is kept without an attempt: 30 days, as the in-memory default. */
  public static final Duration IDLE_RETENTION = Duration.ofDays(30);
  /** {@link #begin} calls of one client between its own runs of {@link #deleteIdle}. */
  static final int CLEAN_EVERY = 1_000;

  private static final String BEGIN = "INSERT INTO fg_passcode_attempts AS a"
      + " (key, window_start, window_end, in_window, consecutive) VALUES (?, ?, ?, 1, 1)"
      + " ON CONFLICT (key) DO UPDATE SET"
      + " in_window = CASE WHEN EXCLUDED.window_start > a.window_start THEN 1 ELSE a.in_window + 1 END,"
      + " window_end = CASE WHEN EXCLUDED.window_start > a.window_start THEN EXCLUDED.window_end ELSE a.window_end END,"
      + " window_start = GREATEST(a.window_start, EXCLUDED.window_start),"
      + " consecutive = a.consecutive + 1"
      + " RETURNING in_window, consecutive";

  private final DataSource dataSource;
  private final AtomicLong begun = new AtomicLong();

  /**
   * A limiter over {@code dataSource}, whose schema {@link PostgresMigrations#migrate} has created.
   * Each call borrows a connection, runs one statement and returns the connection.
   */
  public PostgresAttemptLimiter(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  @Override
  public AttemptCounts begin(String key, Duration window, Instant now) {
    Objects.requireNonNull(key, "key");
    long length = positiveMillis(window);
    long start = Math.floorDiv(now.toEpochMilli(), length) * length;
    AttemptCounts counts = statement("begin", c -> rows(c, BEGIN,
        r -> new AttemptCounts(r.getLong(1), r.getLong(2)), key, start, start + length).get(0));
    if (begun.incrementAndGet() % CLEAN_EVERY == 0) {
      try {
        deleteIdle(now);
      } catch (PostgresStoreException e) {
        // Cleaning is best effort; the attempt was counted, and the next run cleans what this one left.
      }
    }
    return counts;
  }

  @Override
  public void succeeded(String key, Duration window, Instant now) {
    Objects.requireNonNull(key, "key");
    statement("succeeded",
        c -> update(c, "UPDATE fg_passcode_attempts SET consecutive = 0 WHERE key = ?", key));
  }

  @Override
  public void reset(String key) {
    Objects.requireNonNull(key, "key");
    statement("reset", c -> update(c, "DELETE FROM fg_passcode_attempts WHERE key = ?", key));
  }

  /** True: every client of the database counts in the same rows. */
  @Override
  public boolean sharedAcrossInstances() {
    return true;
  }

  /**
   * Deletes the rows that hold nothing at {@code now}: those whose window ended and whose failure run
   * is 0, and those whose window ended more than {@link #IDLE_RETENTION} ago. Safe at any time and on
   * any number of servers at once; returns how many rows it deleted.
   *
   * @throws PostgresStoreException if the database failed
   */
  public int deleteIdle(Instant now) {
    long at = now.toEpochMilli();
    return statement("deleteIdle", c -> update(c,
        "DELETE FROM fg_passcode_attempts WHERE window_end <= ? AND (consecutive = 0 OR window_end <= ?)",
        at, at - IDLE_RETENTION.toMillis()));
  }

  /**
   * Runs one statement as its own transaction: as it is on a pool with auto-commit on, else committed
   * here. A key's row is locked only while its statement runs, so a hot key costs one round trip per
   * attempt, and no wait bound is needed (nothing holds the row across round trips).
   */
  private <T> T statement(String operation, SqlWork<T> work) {
    return Jdbc.withConnection(dataSource, operation, c -> Sql.committed(c, work));
  }

  private static long positiveMillis(Duration window) {
    Objects.requireNonNull(window, "window");
    long millis = window.toMillis();
    if (millis < 1) {
      throw new IllegalArgumentException("window must be at least 1 ms, got " + window);
    }
    return millis;
  }
}
