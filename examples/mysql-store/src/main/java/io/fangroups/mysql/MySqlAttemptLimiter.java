package io.fangroups.mysql;

import static io.fangroups.examples.jdbc.Sql.rows;
import static io.fangroups.examples.jdbc.Sql.update;
import static io.fangroups.mysql.Jdbc.utf8;

import io.fangroups.spi.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * An {@link AttemptLimiter} on MySQL, MariaDB or TiDB over JDBC, in the same database as
 * {@link MySqlGroupStore} (table {@code fg_passcode_attempts}, created by {@link MySqlMigrations#migrate}):
 * every application server on the database counts passcode attempts in one place, so the guessing
 * bound of {@code PasscodeLimits} holds for the whole platform, and a restart resets nothing.
 * {@link #sharedAcrossInstances()} is true.
 *
 * <p>How the contract is kept:
 * <ul>
 *   <li>{@link #begin} is one statement, {@code INSERT … ON DUPLICATE KEY UPDATE}: the key's row is
 *       locked while it is counted, so concurrent calls through any number of pools get distinct
 *       counts (rule 1). MySQL has no {@code RETURNING}; the update hands the new counts back through
 *       {@code LAST_INSERT_ID(expr)}, which the same connection then reads without touching the row
 *       (each count is reported up to 2<sup>31</sup> − 1).
 *   <li>The update's assignments read only the row's old values ({@code window_start} is assigned
 *       last), so they mean the same under MySQL's left-to-right assignment and under MariaDB's
 *       {@code SIMULTANEOUS_ASSIGNMENT} mode. The window containing {@code now} starts at a multiple of
 *       {@code window} in epoch milliseconds; an attempt in a later window starts the count again
 *       (rule 2); one stamped before the row's window (a server whose clock lags) counts in the row's
 *       window, so skew between servers never restarts a count.
 *   <li>{@code consecutive} only grows, across windows, until {@link #succeeded} sets it to 0, which
 *       leaves the window count alone; {@link #reset} deletes the row (rules 3, 4).
 * </ul>
 *
 * <p>Old rows: {@link #deleteIdle} deletes rows whose window ended with no failure run, and rows
 * untouched for {@link #IDLE_RETENTION} (a forgotten lock is lifted); each client runs it itself once
 * every {@value #CLEAN_EVERY} calls of {@link #begin}. Keys are stored as UTF-8, at most
 * {@value #MAX_KEY_BYTES} bytes. Failures are thrown as {@link MySqlStoreException}; the SDK then
 * refuses the attempt.
 */
public final class MySqlAttemptLimiter implements AttemptLimiter {
  /** How long a key with a failure run in progress is kept without an attempt: 30 days, as the in-memory default. */
  public static final Duration IDLE_RETENTION = Duration.ofDays(30);
  /** The longest key stored, in UTF-8 bytes (the column's width). */
  public static final int MAX_KEY_BYTES = 768;
  /** {@link #begin} calls of one client between its own runs of {@link #deleteIdle}. */
  static final int CLEAN_EVERY = 1_000;

  /**
   * Counts the attempt. On an existing row, the first assignment also hands both new counts back
   * through {@code LAST_INSERT_ID(expr)}, packed into one number (window count in the high 32 bits),
   * and leaves {@code consecutive + 1} itself (the product with 0 adds nothing). Every assignment
   * reads only old values ({@code window_start} is assigned last).
   */
  private static final String COUNT = "INSERT INTO fg_passcode_attempts"
      + " (name, window_start, window_end, in_window, consecutive) VALUES (?, ?, ?, 1, 1)"
      + " ON DUPLICATE KEY UPDATE"
      + " consecutive = consecutive + 1 + 0 * LAST_INSERT_ID("
      + "(LEAST(IF(? > window_start, 1, in_window + 1), 2147483647) << 32) | LEAST(consecutive + 1, 2147483647)),"
      + " in_window = IF(? > window_start, 1, in_window + 1),"
      + " window_end = IF(? > window_start, ?, window_end),"
      + " window_start = GREATEST(window_start, ?)";

  private final DataSource dataSource;
  private final String waitLimit;
  private final AtomicLong begun = new AtomicLong();

  /**
   * A limiter over {@code dataSource}, whose schema {@link MySqlMigrations#migrate} has created,
   * waiting at most {@link MySqlGroupStore#DEFAULT_LOCK_TIMEOUT} for a key's row.
   */
  public MySqlAttemptLimiter(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.waitLimit = Jdbc.waitLimit(MySqlGroupStore.DEFAULT_LOCK_TIMEOUT);
  }

  @Override
  public AttemptCounts begin(String key, Duration window, Instant now) {
    byte[] name = name(key);
    long length = positiveMillis(window);
    long start = Math.floorDiv(now.toEpochMilli(), length) * length;
    long end = start + length;
    AttemptCounts counts = Jdbc.statement(dataSource, waitLimit, "begin", c -> {
      // 1: a new row, counts (1, 1); 2: an existing row updated (consecutive always changes, so the
      // drivers' default "rows matched" count says 2 as well).
      if (update(c, COUNT, name, start, end, start, start, start, end, start) == 1) {
        return new AttemptCounts(1, 1);
      }
      long packed = rows(c, "SELECT LAST_INSERT_ID()", r -> r.getLong(1)).get(0);
      return new AttemptCounts(packed >>> 32, packed & 0xFFFF_FFFFL);
    });
    if (begun.incrementAndGet() % CLEAN_EVERY == 0) {
      try {
        deleteIdle(now);
      } catch (MySqlStoreException e) {
        // Cleaning is best effort; the attempt was counted, and the next run cleans what this one left.
      }
    }
    return counts;
  }

  @Override
  public void succeeded(String key, Duration window, Instant now) {
    byte[] name = name(key);
    Jdbc.statement(dataSource, waitLimit, "succeeded",
        c -> update(c, "UPDATE fg_passcode_attempts SET consecutive = 0 WHERE name = ?", name));
  }

  @Override
  public void reset(String key) {
    byte[] name = name(key);
    Jdbc.statement(dataSource, waitLimit, "reset",
        c -> update(c, "DELETE FROM fg_passcode_attempts WHERE name = ?", name));
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
   * @throws MySqlStoreException if the database failed
   */
  public int deleteIdle(Instant now) {
    long at = now.toEpochMilli();
    return Jdbc.statement(dataSource, waitLimit, "deleteIdle", c -> update(c,
        "DELETE FROM fg_passcode_attempts WHERE window_end <= ? AND (consecutive = 0 OR window_end <= ?)",
        at, at - IDLE_RETENTION.toMillis()));
  }

  private static byte[] name(String key) {
    Objects.requireNonNull(key, "key");
    return utf8(key, MAX_KEY_BYTES, "an attempt key");
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
