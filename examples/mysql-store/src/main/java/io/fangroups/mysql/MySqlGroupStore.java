package io.fangroups.mysql;

import static io.fangroups.examples.jdbc.Sql.first;
import static io.fangroups.examples.jdbc.Sql.rows;
import static io.fangroups.examples.jdbc.Sql.update;
import static io.fangroups.mysql.Jdbc.markers;
import static io.fangroups.mysql.Jdbc.text;
import static io.fangroups.mysql.Jdbc.utf8;

import io.fangroups.examples.jdbc.LockOrder;
import io.fangroups.examples.jdbc.Sql.RowReader;
import io.fangroups.examples.jdbc.Sql.SqlWork;
import io.fangroups.spi.GroupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GroupStore} on MySQL 8, MariaDB 11 or TiDB over plain JDBC (InnoDB tables), for SDK
 * instances in any number of processes that share one database. Create the tables first with
 * {@link MySqlMigrations#migrate}, then pass the host's pool: {@code new MySqlGroupStore(hikariDataSource)}.
 *
 * <p>How the contract is kept — the same design as the PostgreSQL store, in SQL all three accept:
 * <ul>
 *   <li>Each stream has one row in {@code fg_streams} holding its last sequence. An append moves it
 *       with a conditional statement ({@code UPDATE … WHERE last_sequence = expected}, or an insert for
 *       a new stream) and treats "no row changed" (or a duplicate key) as a conflict. The database
 *       serialises concurrent writers of one row, so of appends expecting the same sequence at most
 *       one succeeds, whichever process they come from (rule 2).
 *   <li>The whole append (the streams' rows, the keys, the events) is one transaction, rolled back on
 *       the first conflict (rule 1). The streams are visited in name order and the keys after them in
 *       key order, so concurrent appends lock rows in one order. A stream that is only checked (no
 *       events) is locked {@code FOR UPDATE} until the commit (TiDB has no shared row locks); a stream
 *       checked before it exists gets a row with last sequence 0 to lock.
 *   <li>Events are rows keyed by {@code (stream, sequence)}; payloads are utf8mb4 {@code LONGTEXT},
 *       returned exactly as written (rule 3). Keys are plain inserts, never updated; a duplicate key
 *       is the conflict (rule 4). Cursors move with {@code ON DUPLICATE KEY UPDATE position =
 *       GREATEST(…)} (rule 5); a lease is read {@code FOR UPDATE} and replaced only for the same
 *       holder or once expired (rule 6).
 *   <li>A snapshot is one row per stream in {@code fg_snapshots}, replaced only by a higher sequence
 *       (rule 8). Deleting events never touches {@code fg_streams}, so the last sequence stays (rule 9).
 *   <li>An append with events to a stream on the change feed writes its row in {@code fg_changes} in
 *       the same transaction, after the events; {@link #clearChanged} deletes that row only while its
 *       sequence is at most the one given, so a mark set by a concurrent append survives (rule 10).
 *   <li>Every write transaction locks as an append does: streams in name order, then keys, then the
 *       rows that hang off a stream. {@link #deleteStream} deletes the stream's row first, with the
 *       expected last sequence in its {@code WHERE}.
 * </ul>
 *
 * <p>No statement depends on the isolation level: every read inside a write transaction is a locking
 * read or a conditional write, which see the latest committed row under {@code REPEATABLE READ}
 * (MySQL's default) and {@code READ COMMITTED} alike. A deadlock (error 1213: the fixed lock order
 * leaves only InnoDB's gap locks under {@code REPEATABLE READ} to close a cycle) or a TiDB write
 * conflict (9007) rolled the transaction back, and it is retried, up to five attempts. Each write
 * transaction waits at most the lock timeout for a row another holds ({@code innodb_lock_wait_timeout},
 * set once per pooled connection; TiDB applies it to pessimistic locks), then fails with
 * {@link MySqlStoreException}.
 *
 * <p>Names are stored as UTF-8 in {@code VARBINARY} columns, so they compare byte by byte (code point
 * order, with no collation and no trailing-space rule); text is utf8mb4, so any character the SDK
 * writes round-trips, 4-byte ones included. Times are epoch microseconds: a lease's expiry is rounded
 * up and {@code now} down, so a lease is never granted early. The connection's character set must be
 * utf8mb4, as MySQL Connector/J 8+ and MariaDB Connector/J 3+ make it by default.
 */
public final class MySqlGroupStore implements GroupStore {
  /** The default longest wait for another transaction's row lock. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  private final DataSource dataSource;
  private final String waitLimit;

  /**
   * A store over {@code dataSource}, whose schema {@link MySqlMigrations#migrate} has created, waiting
   * at most {@link #DEFAULT_LOCK_TIMEOUT} for a row another transaction holds. The store holds no
   * connection of its own: each call borrows one and returns it; it commits its own work, whatever the
   * pool's auto-commit setting.
   */
  public MySqlGroupStore(DataSource dataSource) {
    this(dataSource, DEFAULT_LOCK_TIMEOUT);
  }

  /**
   * As {@link #MySqlGroupStore(DataSource)}, waiting at most {@code lockTimeout} (rounded up to whole
   * seconds, as {@code innodb_lock_wait_timeout} takes it) for a row lock: an instance that stalls
   * inside an append then costs the others a failed append ({@code STORE_UNAVAILABLE}) instead of a
   * hang. Set the server's {@code wait_timeout} too, so the stalled connection is ended.
   */
  public MySqlGroupStore(DataSource dataSource, Duration lockTimeout) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    if (lockTimeout.isNegative() || lockTimeout.isZero()) {
      throw new IllegalArgumentException("lockTimeout must be positive, got " + lockTimeout);
    }
    this.waitLimit = Jdbc.waitLimit(lockTimeout);
  }

  @Override
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> keys) {
    Objects.requireNonNull(appends, "appends");
    Objects.requireNonNull(keys, "keys");
    List<StreamAppend> streams = LockOrder.sortedDistinct(appends, StreamAppend::stream, "stream");
    List<UniqueKey> claims = LockOrder.sortedDistinct(keys, UniqueKey::key, "key");
    boolean writes = !claims.isEmpty() || streams.stream().anyMatch(MySqlGroupStore::writes);
    if (!writes) {
      return streams.isEmpty() ? AppendResult.appended() : withConnection("append", c -> check(c, streams));
    }
    return transaction("append", c -> appendOnce(c, streams, claims));
  }

  /**
   * Whether the stream's part of an append writes: events, or a retention for a stream that exists
   * (a stream never written has nothing to retain, so that part stays a pure check).
   */
  private static boolean writes(StreamAppend a) {
    return !a.events().isEmpty() || (a.retainUntil() != null && a.expectedLastSequence() > 0);
  }

  /** An append that writes nothing: every stream's last sequence, read in one statement. */
  private static AppendResult check(Connection c, List<StreamAppend> streams) throws SQLException {
    Map<String, Long> last = new HashMap<>();
    for (StreamHead row : rows(c, "SELECT stream, last_sequence FROM fg_streams WHERE stream IN ("
        + markers(streams.size()) + ")", MySqlGroupStore::head, streams.stream().map(a -> utf8(a.stream())).toArray())) {
      last.put(row.stream(), row.lastSequence());
    }
    for (StreamAppend a : streams) {
      if (last.getOrDefault(a.stream(), 0L) != a.expectedLastSequence()) {
        return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, a.stream());
      }
    }
    return AppendResult.appended();
  }

  /** One attempt at a writing append, in the transaction {@link #transaction} commits. */
  private static AppendResult appendOnce(Connection c, List<StreamAppend> streams, List<UniqueKey> claims)
      throws SQLException {
    for (StreamAppend a : streams) {
      if (!claimStream(c, a)) {
        c.rollback();
        return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, a.stream());
      }
    }
    for (UniqueKey k : claims) {
      if (!Jdbc.insertNew(c, "INSERT INTO fg_keys (name, value) VALUES (?, ?)", utf8(k.key()), k.value())) {
        c.rollback();
        return new AppendResult.Conflict(AppendResult.Kind.KEY_EXISTS, k.key());
      }
    }
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO fg_events (stream, sequence, type, payload) VALUES (?, ?, ?, ?)")) {
      boolean any = false;
      for (StreamAppend a : streams) {
        byte[] stream = utf8(a.stream());
        long sequence = a.expectedLastSequence();
        for (NewEvent e : a.events()) {
          insert.setBytes(1, stream);
          insert.setLong(2, ++sequence);
          insert.setBytes(3, utf8(e.type()));
          insert.setString(4, e.payload());
          insert.addBatch();
          any = true;
        }
      }
      if (any) {
        insert.executeBatch();
      }
    }
    // The change marks last: a mark's row is only ever locked by a transaction that holds its stream's
    // row, so this order (streams, keys, then rows under a stream) is the one every write keeps. An
    // append off the feed to a marked stream moves the mark too, so clearChanged never drops a mark
    // while the stream has events past what its caller read.
    for (StreamAppend a : streams) {
      if (a.events().isEmpty()) {
        continue;
      }
      long last = a.expectedLastSequence() + a.events().size();
      if (a.changeFeed()) {
        update(c, "INSERT INTO fg_changes (stream, last_sequence) VALUES (?, ?)"
            + " ON DUPLICATE KEY UPDATE last_sequence = ?", utf8(a.stream()), last, last);
      } else {
        update(c, "UPDATE fg_changes SET last_sequence = ? WHERE stream = ?", last, utf8(a.stream()));
      }
    }
    return AppendResult.appended();
  }

  /**
   * Moves (or, with no events, locks) one stream's row if its last sequence is the expected one, and
   * sets its retention when the append gives one; false when the sequence is not the expected one.
   * The row stays locked until the transaction ends.
   */
  private static boolean claimStream(Connection c, StreamAppend a) throws SQLException {
    byte[] stream = utf8(a.stream());
    long expected = a.expectedLastSequence();
    int count = a.events().size();
    Long retain = a.retainUntil() == null ? null : ceilMicros(a.retainUntil());
    if (count > 0 && expected > 0) {
      // The new last sequence differs from the old, so "rows matched" and "rows changed" agree,
      // whichever the driver reports.
      return retain == null
          ? update(c, "UPDATE fg_streams SET last_sequence = ? WHERE stream = ? AND last_sequence = ?",
              expected + count, stream, expected) == 1
          : update(c, "UPDATE fg_streams SET last_sequence = ?, retain_until = ? WHERE stream = ? AND last_sequence = ?",
              expected + count, retain, stream, expected) == 1;
    }
    if (expected == 0) {
      // The row, created at 0 if it is missing, and locked exclusively either way: ON DUPLICATE KEY
      // takes the exclusive lock at once, where a plain insert's duplicate would take a shared one that
      // concurrent appenders could only upgrade by deadlocking. A row at 0 is a placeholder a pure
      // check left; it never has a retention, so this one is the stream's first.
      update(c, "INSERT INTO fg_streams (stream, last_sequence) VALUES (?, 0)"
          + " ON DUPLICATE KEY UPDATE last_sequence = last_sequence", stream);
      if (count > 0) {
        return update(c, "UPDATE fg_streams SET last_sequence = ?, retain_until = ? WHERE stream = ? AND last_sequence = 0",
            (long) count, retain, stream) == 1;
      }
    }
    long last = first(rows(c, "SELECT last_sequence FROM fg_streams WHERE stream = ? FOR UPDATE",
        r -> r.getLong(1), stream)).orElse(0L);
    if (last != expected) {
      return false;
    }
    if (retain != null && expected > 0) {
      update(c, "UPDATE fg_streams SET retain_until = ? WHERE stream = ?", retain, stream);
    }
    return true;
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int limit) {
    Objects.requireNonNull(stream, "stream");
    if (limit <= 0) {
      return List.of();
    }
    return query("read", "SELECT sequence, type, payload FROM fg_events"
        + " WHERE stream = ? AND sequence > ? ORDER BY sequence LIMIT ?",
        r -> new StoredEvent(r.getLong(1), text(r.getBytes(2)), r.getString(3)), utf8(stream), afterSequence, limit);
  }

  @Override
  public long lastSequence(String stream) {
    Objects.requireNonNull(stream, "stream");
    return first(query("lastSequence", "SELECT last_sequence FROM fg_streams WHERE stream = ?",
        r -> r.getLong(1), utf8(stream))).orElse(0L);
  }

  @Override
  public Optional<String> find(String key) {
    Objects.requireNonNull(key, "key");
    return first(query("find", "SELECT value FROM fg_keys WHERE name = ?", r -> r.getString(1), utf8(key)));
  }

  @Override
  public List<String> streams(String prefix, @Nullable String after, int limit) {
    return inRange("streams", "stream", prefix, after, limit, r -> text(r.getBytes(1)));
  }

  /** One query: the names and last sequences of the streams {@link #streams} would list. */
  @Override
  public List<StreamHead> heads(String prefix, @Nullable String after, int limit) {
    return inRange("heads", "stream, last_sequence", prefix, after, limit, MySqlGroupStore::head);
  }

  private <T> List<T> inRange(String operation, String columns, String prefix, @Nullable String after, int limit,
      RowReader<T> reader) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit <= 0) {
      return List.of();
    }
    byte[] lower = utf8(prefix);
    byte[] upper = prefixUpperBound(lower);
    // Bounds, not LIKE: a range on the primary key, and no escaping of _ or %. In byte order the names
    // from prefix up to its upper bound are exactly those starting with it.
    String sql = "SELECT " + columns + " FROM fg_streams WHERE stream >= ? AND stream > ?"
        + (upper == null ? "" : " AND stream < ?")
        + " AND last_sequence > 0 ORDER BY stream LIMIT ?";
    List<Object> parameters = new ArrayList<>(List.of(lower, utf8(after == null ? "" : after)));
    if (upper != null) {
      parameters.add(upper);
    }
    parameters.add(limit);
    return query(operation, sql, reader, parameters.toArray());
  }

  /**
   * The least byte string above every string that starts with {@code prefix}: the prefix with its
   * last byte plus one (UTF-8 never holds 0xFF, so there is always one to raise); null for an empty
   * prefix, which every name starts with.
   */
  static byte @Nullable [] prefixUpperBound(byte[] prefix) {
    if (prefix.length == 0) {
      return null;
    }
    byte[] upper = Arrays.copyOf(prefix, prefix.length);
    upper[upper.length - 1]++;
    return upper;
  }

  @Override
  public long cursor(String name) {
    Objects.requireNonNull(name, "name");
    return first(query("cursor", "SELECT position FROM fg_cursors WHERE name = ?", r -> r.getLong(1), utf8(name)))
        .orElse(0L);
  }

  @Override
  public void advanceCursor(String name, long position) {
    Objects.requireNonNull(name, "name");
    if (position <= 0) {
      return; // never above a cursor's least position, 0
    }
    statement("advanceCursor", c -> update(c, "INSERT INTO fg_cursors (name, position) VALUES (?, ?)"
        + " ON DUPLICATE KEY UPDATE position = GREATEST(position, ?)", utf8(name), position, position));
  }

  /**
   * Inserts the lease's row if there is none, then reads it {@code FOR UPDATE} and replaces it only
   * for the same holder or once it expired.
   */
  @Override
  public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(ttl, "ttl");
    long until = ceilMicros(now.plus(ttl));
    long at = floorMicros(now);
    byte[] lease = utf8(name);
    byte[] by = utf8(holder);
    return transaction("tryLease", c -> {
      // Created for this holder if missing, locked exclusively either way (as a new stream's row is).
      update(c, "INSERT INTO fg_leases (name, holder, until_micros) VALUES (?, ?, ?)"
          + " ON DUPLICATE KEY UPDATE name = name", lease, by, until);
      boolean free = rows(c, "SELECT holder = ? OR until_micros <= ? FROM fg_leases WHERE name = ? FOR UPDATE",
          r -> r.getBoolean(1), by, at, lease).get(0);
      if (free) {
        update(c, "UPDATE fg_leases SET holder = ?, until_micros = ? WHERE name = ?", by, until, lease);
      }
      return free;
    });
  }

  @Override
  public void releaseLease(String name, String holder) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    statement("releaseLease", c -> update(c, "DELETE FROM fg_leases WHERE name = ? AND holder = ?",
        utf8(name), utf8(holder)));
  }

  @Override
  public void saveSnapshot(String stream, long sequence, String payload) {
    Objects.requireNonNull(stream, "stream");
    new Snapshot(sequence, payload); // checks the arguments as every store does
    byte[] name = utf8(stream);
    transaction("saveSnapshot", c -> {
      // The stream's row first, locked: a deleteStream (which deletes that row before the snapshot)
      // either ran before this (no row: nothing to save) or waits until this commits and deletes it too.
      if (rows(c, "SELECT 1 FROM fg_streams WHERE stream = ? AND last_sequence > 0 FOR UPDATE",
          r -> r.getInt(1), name).isEmpty()) {
        return null;
      }
      Optional<Long> saved = first(rows(c, "SELECT sequence FROM fg_snapshots WHERE stream = ? FOR UPDATE",
          r -> r.getLong(1), name));
      if (saved.isEmpty()) {
        update(c, "INSERT INTO fg_snapshots (stream, sequence, payload) VALUES (?, ?, ?)", name, sequence, payload);
      } else if (saved.get() < sequence) {
        update(c, "UPDATE fg_snapshots SET sequence = ?, payload = ? WHERE stream = ?", sequence, payload, name);
      }
      return null;
    });
  }

  @Override
  public Optional<Snapshot> snapshot(String stream) {
    Objects.requireNonNull(stream, "stream");
    return first(query("snapshot", "SELECT sequence, payload FROM fg_snapshots WHERE stream = ?",
        r -> new Snapshot(r.getLong(1), r.getString(2)), utf8(stream)));
  }

  /** One statement on the events' primary key; the stream's row (its last sequence) is not touched. */
  @Override
  public int deleteEvents(String stream, long throughSequence, Set<String> types) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(types, "types");
    if (throughSequence <= 0) {
      return 0;
    }
    List<Object> parameters = new ArrayList<>(List.of(utf8(stream), throughSequence));
    types.stream().sorted().map(Jdbc::utf8).forEach(parameters::add);
    String sql = "DELETE FROM fg_events WHERE stream = ? AND sequence <= ?"
        + (types.isEmpty() ? "" : " AND type IN (" + markers(types.size()) + ")");
    return statement("deleteEvents", c -> update(c, sql, parameters.toArray()));
  }

  @Override
  public boolean deleteStream(String stream, long expectedLastSequence) {
    Objects.requireNonNull(stream, "stream");
    if (expectedLastSequence <= 0) {
      return false; // a stream never written (or only checked) is not there to delete
    }
    return transaction("deleteStream", c -> {
      if (update(c, "DELETE FROM fg_streams WHERE stream = ? AND last_sequence = ?", utf8(stream),
          expectedLastSequence) == 0) {
        c.rollback();
        return false;
      }
      deleteUnder(c, List.of(stream));
      return true;
    });
  }

  /**
   * Finds due streams on the retention index (so a sweep costs what is due, not what is stored), then
   * deletes them in one transaction each batch: their rows in name order, each only if its retention
   * is still due (an append may have moved it meanwhile), then what hangs off them.
   */
  @Override
  public int deleteExpired(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    long at = floorMicros(now);
    int deleted = 0;
    while (deleted < limit) {
      int wanted = limit - deleted;
      List<String> due = query("deleteExpired", "SELECT stream FROM fg_streams WHERE retain_until <= ?"
          + " ORDER BY retain_until LIMIT ?", r -> text(r.getBytes(1)), at, wanted);
      if (due.isEmpty()) {
        break;
      }
      List<String> inOrder = due.stream().sorted().toList();
      deleted += transaction("deleteExpired", c -> {
        List<String> gone = new ArrayList<>(inOrder.size());
        for (String stream : inOrder) {
          if (update(c, "DELETE FROM fg_streams WHERE stream = ? AND retain_until <= ?", utf8(stream), at) == 1) {
            gone.add(stream);
          }
        }
        if (!gone.isEmpty()) {
          deleteUnder(c, gone);
        }
        return gone.size();
      });
      if (due.size() < wanted) {
        break; // the index had no more due streams than these
      }
    }
    return deleted;
  }

  /** Deletes what hangs off streams whose rows this transaction just deleted: events, snapshots, marks. */
  private static void deleteUnder(Connection c, List<String> streams) throws SQLException {
    Object[] names = streams.stream().map(Jdbc::utf8).toArray();
    String in = " WHERE stream IN (" + markers(names.length) + ")";
    update(c, "DELETE FROM fg_events" + in, names);
    update(c, "DELETE FROM fg_snapshots" + in, names);
    update(c, "DELETE FROM fg_changes" + in, names);
  }

  /** One query on the marks' primary key: when nothing changed, an empty index range. */
  @Override
  public List<StreamHead> changed(@Nullable String after, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return query("changed", "SELECT stream, last_sequence FROM fg_changes WHERE stream > ? ORDER BY stream LIMIT ?",
        MySqlGroupStore::head, utf8(after == null ? "" : after), limit);
  }

  /**
   * One conditional delete: an append that marked the stream again (a higher sequence, uncommitted)
   * holds the mark's row, so this waits for it and then finds the new sequence and keeps the mark.
   */
  @Override
  public void clearChanged(String stream, long throughSequence) {
    Objects.requireNonNull(stream, "stream");
    statement("clearChanged", c -> update(c,
        "DELETE FROM fg_changes WHERE stream = ? AND last_sequence <= ?", utf8(stream), throughSequence));
  }

  /** True: every process on the database sees one store. */
  @Override
  public boolean sharedAcrossProcesses() {
    return true;
  }

  private static StreamHead head(java.sql.ResultSet r) throws SQLException {
    return new StreamHead(text(r.getBytes(1)), r.getLong(2));
  }

  /** Epoch microseconds, rounded up; saturated at the ends of {@code long} (a lease for ever). */
  static long ceilMicros(Instant instant) {
    long floor = floorMicros(instant);
    return instant.getNano() % 1_000 == 0 || floor == Long.MAX_VALUE ? floor : floor + 1;
  }

  /** Epoch microseconds, rounded down; saturated at the ends of {@code long}. */
  static long floorMicros(Instant instant) {
    try {
      return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    } catch (ArithmeticException beyond) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /** Runs {@code work} in one transaction bounded by the store's wait limit; see {@link Jdbc#transaction}. */
  private <T> T transaction(String operation, SqlWork<T> work) {
    return Jdbc.transaction(dataSource, waitLimit, operation, work);
  }

  /** Runs one writing statement, committed, bounded and retried as a transaction is; see {@link Jdbc#statement}. */
  private <T> T statement(String operation, SqlWork<T> work) {
    return Jdbc.statement(dataSource, waitLimit, operation, work);
  }

  /** Runs a query on a borrowed connection and returns its rows. */
  private <T> List<T> query(String operation, String sql, RowReader<T> reader, Object... parameters) {
    return withConnection(operation, c -> rows(c, sql, reader, parameters));
  }

  private <T> T withConnection(String operation, SqlWork<T> work) {
    return Jdbc.withConnection(dataSource, operation, work);
  }
}
