package io.fangroups.postgres;

import static io.fangroups.examples.jdbc.Sql.first;
import static io.fangroups.examples.jdbc.Sql.rows;
import static io.fangroups.examples.jdbc.Sql.update;

import io.fangroups.examples.jdbc.LockOrder;
import io.fangroups.examples.jdbc.Sql;
import io.fangroups.examples.jdbc.Sql.RowReader;
import io.fangroups.examples.jdbc.Sql.SqlWork;
import io.fangroups.spi.GroupStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A {@link GroupStore} on PostgreSQL over JDBC, for SDK instances in any number of processes that
 * share one database. Create the tables first with {@link PostgresMigrations#migrate}, then pass the
 * host's pool: {@code new PostgresGroupStore(hikariDataSource)}.
 *
 * <p>How the contract is kept:
 * <ul>
 *   <li>Each stream has one row in {@code fg_streams} holding its last sequence. An append moves it
 *       with a conditional statement ({@code UPDATE … WHERE last_sequence = expected}, or an insert
 *       for a new stream) and treats "no row changed" as a conflict. The database serialises
 *       concurrent writers of one row, so of appends expecting the same sequence at most one
 *       succeeds, whichever process they come from (rule 2).
 *   <li>The whole append (the streams' rows, the keys, the events) is one transaction, rolled back
 *       on the first conflict (rule 1). The streams are visited in name order and the keys after
 *       them in key order, so concurrent multi-stream appends lock rows in one order and cannot
 *       deadlock. A stream that is only checked (no events) is locked {@code FOR SHARE} until the
 *       commit; a stream checked before it exists gets a row with last sequence 0 to lock.
 *   <li>Events are rows keyed by {@code (stream, sequence)}; payloads are {@code text}, returned
 *       exactly as written (rule 3). Keys are inserted {@code ON CONFLICT DO NOTHING}, never updated
 *       (rule 4). Cursors move with a {@code GREATEST}-style conditional upsert (rule 5), leases
 *       with an upsert that replaces only the same holder or an expired lease (rule 6).
 *   <li>A snapshot is one row per stream in {@code fg_snapshots}, replaced by an upsert only when its
 *       sequence is higher (rule 8). Deleting events never touches {@code fg_streams}, so the last
 *       sequence stays (rule 9).
 *   <li>An append with events to a stream on the change feed upserts its row in {@code fg_changes}
 *       in the same transaction, after the events; {@link #clearChanged} deletes that row only while
 *       its sequence is at most the one given, so a mark set by a concurrent append survives
 *       (rule 10). A retention is a column of the stream's row, set by the append's own update.
 *   <li>Every transaction that writes here takes its row locks as an append does: streams in name
 *       order, then keys, then the rows that hang off a stream (events, snapshot, change mark), so
 *       none deadlocks with another. {@link #deleteStream} deletes the stream's row first, with the
 *       expected last sequence in its {@code WHERE}: an append racing with it either moved the row
 *       first (nothing is deleted) or waits for the delete and then finds no row (a conflict, and
 *       the stream starts again at 1).
 * </ul>
 *
 * <p>Appends expect {@code READ COMMITTED}, PostgreSQL's default; under a stricter isolation a
 * serialization failure or deadlock (SQL states 40001, 40P01) is retried, since it rolled back (so
 * is every other write transaction). The SQL stays within what CockroachDB and YugabyteDB accept;
 * where they behave differently the constructor says so (see {@link WaitBound} and the README's
 * "Past one database").
 * Lease times are stored to the microsecond: an expiry is rounded up and {@code now} down, so a
 * lease is never granted early, at worst a microsecond late. PostgreSQL text cannot hold U+0000, so a
 * type or payload containing it is refused with {@link IllegalArgumentException} (JSON text escapes
 * it). Database failures are thrown as {@link PostgresStoreException}.
 */
public final class PostgresGroupStore implements GroupStore {
  /** The default longest wait for another transaction's row lock. */
  public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How the store bounds the time a write transaction waits for a row another transaction holds:
   * each of its transactions starts with {@code SET LOCAL} of one of two settings.
   */
  public enum WaitBound {
    /**
     * {@code lock_timeout}: each wait for a lock fails after the timeout (SQL state 55P03); statements
     * that do not wait run as long as they need. PostgreSQL, and CockroachDB, which documents the
     * setting for row locks. The default.
     */
    LOCK_TIMEOUT,
    /**
     * {@code statement_timeout}: each statement of the store's write transactions, waits included,
     * fails after the timeout (SQL state 57014). For a database that accepts {@code lock_timeout} but
     * does not apply it to row locks (YugabyteDB: yugabyte-db issue 29549). It also cuts off a
     * statement that is merely long, such as deleting a stream of millions of events, so choose a
     * timeout above the longest {@link PostgresGroupStore#deleteStream} the host expects.
     */
    STATEMENT_TIMEOUT
  }

  private final DataSource dataSource;
  private final String waitLimit;

  /**
   * A store over {@code dataSource}, whose schema {@link PostgresMigrations#migrate} has created,
   * waiting at most {@link #DEFAULT_LOCK_TIMEOUT} for a row another transaction holds. The store
   * holds no connection of its own: each call borrows one and returns it; it commits its own work,
   * whatever the pool's auto-commit setting.
   */
  public PostgresGroupStore(DataSource dataSource) {
    this(dataSource, DEFAULT_LOCK_TIMEOUT);
  }

  /**
   * As {@link #PostgresGroupStore(DataSource)}, waiting at most {@code lockTimeout} for a row lock: an
   * instance that stalls inside an append (a long GC pause, a partition) then costs the others a
   * failed append ({@code STORE_UNAVAILABLE}) instead of a hang. Set the server's
   * {@code idle_in_transaction_session_timeout} too, so such a transaction is ended.
   */
  public PostgresGroupStore(DataSource dataSource, Duration lockTimeout) {
    this(dataSource, lockTimeout, WaitBound.LOCK_TIMEOUT);
  }

  /**
   * As {@link #PostgresGroupStore(DataSource, Duration)}, bounding waits with {@code bound}:
   * {@link WaitBound#STATEMENT_TIMEOUT} on a database that ignores {@code lock_timeout} for row locks.
   */
  public PostgresGroupStore(DataSource dataSource, Duration lockTimeout, WaitBound bound) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(lockTimeout, "lockTimeout");
    Objects.requireNonNull(bound, "bound");
    if (lockTimeout.isNegative() || lockTimeout.isZero()) {
      throw new IllegalArgumentException("lockTimeout must be positive, got " + lockTimeout);
    }
    String setting = bound == WaitBound.LOCK_TIMEOUT ? "lock_timeout" : "statement_timeout";
    this.waitLimit = "SET LOCAL " + setting + " = '" + Math.max(1, lockTimeout.toMillis()) + "ms'";
  }

  @Override
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> keys) {
    Objects.requireNonNull(appends, "appends");
    Objects.requireNonNull(keys, "keys");
    List<StreamAppend> streams = LockOrder.sortedDistinct(appends, StreamAppend::stream, "stream");
    List<UniqueKey> claims = LockOrder.sortedDistinct(keys, UniqueKey::key, "key");
    for (StreamAppend a : streams) {
      for (NewEvent e : a.events()) {
        refuseNul(e.type(), "type");
        refuseNul(e.payload(), "payload");
      }
    }
    boolean writes = !claims.isEmpty() || streams.stream().anyMatch(PostgresGroupStore::writes);
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

  /** An append that writes nothing: every stream's last sequence, read in one statement's snapshot. */
  private static AppendResult check(Connection c, List<StreamAppend> streams) throws SQLException {
    Array names = c.createArrayOf("text", streams.stream().map(StreamAppend::stream).toArray());
    Map<String, Long> last = new HashMap<>();
    for (Map.Entry<String, Long> row : rows(c, "SELECT stream, last_sequence FROM fg_streams WHERE stream = ANY (?)",
        r -> Map.entry(r.getString(1), r.getLong(2)), names)) {
      last.put(row.getKey(), row.getValue());
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
    if (!claims.isEmpty()) {
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO fg_keys (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")) {
        for (UniqueKey k : claims) {
          insert.setString(1, k.key());
          insert.setString(2, k.value());
          if (insert.executeUpdate() == 0) {
            c.rollback();
            return new AppendResult.Conflict(AppendResult.Kind.KEY_EXISTS, k.key());
          }
        }
      }
    }
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO fg_events (stream, sequence, type, payload) VALUES (?, ?, ?, ?)")) {
      boolean any = false;
      for (StreamAppend a : streams) {
        long sequence = a.expectedLastSequence();
        for (NewEvent e : a.events()) {
          insert.setString(1, a.stream());
          insert.setLong(2, ++sequence);
          insert.setString(3, e.type());
          insert.setString(4, e.payload());
          insert.addBatch();
          any = true;
        }
      }
      if (any) {
        insert.executeBatch();
      }
    }
    // The change marks last: a mark's row is only ever locked by a transaction that holds its
    // stream's row, so this order (streams, keys, then rows under a stream) is the one every write keeps.
    // An append off the feed to a marked stream moves the mark too, so clearChanged never drops a mark
    // while the stream has events past what its caller read.
    markChanges(c, streams, true, "INSERT INTO fg_changes (last_sequence, stream) VALUES (?, ?)"
        + " ON CONFLICT (stream) DO UPDATE SET last_sequence = EXCLUDED.last_sequence");
    markChanges(c, streams, false, "UPDATE fg_changes SET last_sequence = ? WHERE stream = ?");
    return AppendResult.appended();
  }

  /** Runs {@code sql} (last sequence, stream) for each stream with events whose change-feed flag is {@code feed}. */
  private static void markChanges(Connection c, List<StreamAppend> streams, boolean feed, String sql) throws SQLException {
    try (PreparedStatement mark = c.prepareStatement(sql)) {
      boolean any = false;
      for (StreamAppend a : streams) {
        if (a.changeFeed() == feed && !a.events().isEmpty()) {
          mark.setLong(1, a.expectedLastSequence() + a.events().size());
          mark.setString(2, a.stream());
          mark.addBatch();
          any = true;
        }
      }
      if (any) {
        mark.executeBatch();
      }
    }
  }

  /**
   * Moves (or, with no events, locks) one stream's row if its last sequence is the expected one, and
   * sets its retention when the append gives one; false when the sequence is not the expected one.
   * The row stays locked until the transaction ends.
   */
  private static boolean claimStream(Connection c, StreamAppend a) throws SQLException {
    long expected = a.expectedLastSequence();
    int count = a.events().size();
    OffsetDateTime retain = a.retainUntil() == null ? null : utc(ceilToMicros(a.retainUntil()));
    if (count > 0 && expected > 0) {
      return retain == null
          ? update(c, "UPDATE fg_streams SET last_sequence = ? WHERE stream = ? AND last_sequence = ?",
              expected + count, a.stream(), expected) == 1
          : update(c, "UPDATE fg_streams SET last_sequence = ?, retain_until = ? WHERE stream = ? AND last_sequence = ?",
              expected + count, retain, a.stream(), expected) == 1;
    }
    if (count > 0) {
      // A row at 0 is a placeholder a pure check left; it never has a retention, so this one is the stream's first.
      return update(c, "INSERT INTO fg_streams (stream, last_sequence, retain_until) VALUES (?, ?, ?) ON CONFLICT (stream)"
          + " DO UPDATE SET last_sequence = EXCLUDED.last_sequence, retain_until = EXCLUDED.retain_until"
          + " WHERE fg_streams.last_sequence = 0",
          a.stream(), (long) count, retain) == 1;
    }
    if (retain != null && expected > 0) {
      return update(c, "UPDATE fg_streams SET retain_until = ? WHERE stream = ? AND last_sequence = ?",
          retain, a.stream(), expected) == 1;
    }
    if (expected == 0
        && update(c, "INSERT INTO fg_streams (stream, last_sequence) VALUES (?, 0) ON CONFLICT (stream) DO NOTHING",
            a.stream()) == 1) {
      return true;
    }
    return first(rows(c, "SELECT last_sequence FROM fg_streams WHERE stream = ? FOR SHARE",
        r -> r.getLong(1), a.stream())).orElse(0L) == expected;
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int limit) {
    Objects.requireNonNull(stream, "stream");
    if (limit <= 0) {
      return List.of();
    }
    return query("read", "SELECT sequence, type, payload FROM fg_events"
        + " WHERE stream = ? AND sequence > ? ORDER BY sequence LIMIT ?",
        r -> new StoredEvent(r.getLong(1), r.getString(2), r.getString(3)), stream, afterSequence, limit);
  }

  @Override
  public long lastSequence(String stream) {
    Objects.requireNonNull(stream, "stream");
    return first(query("lastSequence", "SELECT last_sequence FROM fg_streams WHERE stream = ?",
        r -> r.getLong(1), stream)).orElse(0L);
  }

  @Override
  public Optional<String> find(String key) {
    Objects.requireNonNull(key, "key");
    return first(query("find", "SELECT value FROM fg_keys WHERE key = ?", r -> r.getString(1), key));
  }

  @Override
  public List<String> streams(String prefix, String after, int limit) {
    return inRange("streams", "stream", prefix, after, limit, r -> r.getString(1));
  }

  /** One query: the names and last sequences of the streams {@link #streams} would list. */
  @Override
  public List<StreamHead> heads(String prefix, String after, int limit) {
    return inRange("heads", "stream, last_sequence", prefix, after, limit,
        r -> new StreamHead(r.getString(1), r.getLong(2)));
  }

  private <T> List<T> inRange(String operation, String columns, String prefix, String after, int limit,
      RowReader<T> reader) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit <= 0) {
      return List.of();
    }
    String upper = prefixUpperBound(prefix);
    // Bounds, not LIKE: a range on the primary key even in a generic plan, and no escaping of _ or %.
    // In code point order (COLLATE "C") the names from prefix up to its upper bound are exactly those
    // starting with it, so no starts_with filter is needed (CockroachDB has no such function).
    String sql = "SELECT " + columns + " FROM fg_streams WHERE stream >= ? AND stream > ?"
        + (upper == null ? "" : " AND stream < ?")
        + " AND last_sequence > 0 ORDER BY stream LIMIT ?";
    List<Object> parameters = new ArrayList<>(List.of(prefix, after == null ? "" : after));
    if (upper != null) {
      parameters.add(upper);
    }
    parameters.add(limit);
    return query(operation, sql, reader, parameters.toArray());
  }

  /**
   * The least string above every string that starts with {@code prefix}, in code point order (the
   * order of {@code COLLATE "C"} on UTF-8); null when there is none (an empty prefix).
   */
  static String prefixUpperBound(String prefix) {
    int[] codePoints = prefix.codePoints().toArray();
    for (int i = codePoints.length - 1; i >= 0; i--) {
      int next = codePoints[i] + 1;
      if (next >= Character.MIN_SURROGATE && next <= Character.MAX_SURROGATE) {
        next = Character.MAX_SURROGATE + 1;
      }
      if (next <= Character.MAX_CODE_POINT) {
        codePoints[i] = next;
        return new String(codePoints, 0, i + 1);
      }
    }
    return null;
  }

  @Override
  public long cursor(String name) {
    Objects.requireNonNull(name, "name");
    return first(query("cursor", "SELECT position FROM fg_cursors WHERE name = ?", r -> r.getLong(1), name)).orElse(0L);
  }

  @Override
  public void advanceCursor(String name, long position) {
    Objects.requireNonNull(name, "name");
    if (position <= 0) {
      return; // never above a cursor's least position, 0
    }
    committed("advanceCursor", c -> update(c, "INSERT INTO fg_cursors (name, position) VALUES (?, ?)"
        + " ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position"
        + " WHERE fg_cursors.position < EXCLUDED.position", name, position));
  }

  @Override
  public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(ttl, "ttl");
    OffsetDateTime until = utc(ceilToMicros(now.plus(ttl)));
    OffsetDateTime at = utc(now.truncatedTo(ChronoUnit.MICROS));
    return committed("tryLease", c -> update(c, "INSERT INTO fg_leases (name, holder, until) VALUES (?, ?, ?)"
        + " ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, until = EXCLUDED.until"
        + " WHERE fg_leases.holder = EXCLUDED.holder OR fg_leases.until <= ?", name, holder, until, at) == 1);
  }

  @Override
  public void releaseLease(String name, String holder) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    committed("releaseLease", c -> update(c, "DELETE FROM fg_leases WHERE name = ? AND holder = ?", name, holder));
  }

  @Override
  public void saveSnapshot(String stream, long sequence, String payload) {
    Objects.requireNonNull(stream, "stream");
    new Snapshot(sequence, payload); // checks the arguments as every store does
    refuseNul(payload, "payload");
    transaction("saveSnapshot", c -> {
      // The stream's row, shared, first: a deleteStream (which deletes that row before the snapshot)
      // either ran before this (no row: nothing to save) or waits until this commits and deletes it too.
      if (rows(c, "SELECT 1 FROM fg_streams WHERE stream = ? AND last_sequence > 0 FOR SHARE",
          r -> r.getInt(1), stream).isEmpty()) {
        return null;
      }
      update(c, "INSERT INTO fg_snapshots (stream, sequence, payload) VALUES (?, ?, ?) ON CONFLICT (stream)"
          + " DO UPDATE SET sequence = EXCLUDED.sequence, payload = EXCLUDED.payload"
          + " WHERE fg_snapshots.sequence < EXCLUDED.sequence", stream, sequence, payload);
      return null;
    });
  }

  @Override
  public Optional<Snapshot> snapshot(String stream) {
    Objects.requireNonNull(stream, "stream");
    return first(query("snapshot", "SELECT sequence, payload FROM fg_snapshots WHERE stream = ?",
        r -> new Snapshot(r.getLong(1), r.getString(2)), stream));
  }

  /** One statement on the events' primary key; the stream's row (its last sequence) is not touched. */
  @Override
  public int deleteEvents(String stream, long throughSequence, Set<String> types) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(types, "types");
    if (throughSequence <= 0) {
      return 0;
    }
    if (types.isEmpty()) {
      return transaction("deleteEvents", c -> update(c,
          "DELETE FROM fg_events WHERE stream = ? AND sequence <= ?", stream, throughSequence));
    }
    return transaction("deleteEvents", c -> update(c,
        "DELETE FROM fg_events WHERE stream = ? AND sequence <= ? AND type = ANY (?)",
        stream, throughSequence, c.createArrayOf("text", types.toArray())));
  }

  @Override
  public boolean deleteStream(String stream, long expectedLastSequence) {
    Objects.requireNonNull(stream, "stream");
    if (expectedLastSequence <= 0) {
      return false; // a stream never written (or only checked) is not there to delete
    }
    return transaction("deleteStream", c -> {
      if (update(c, "DELETE FROM fg_streams WHERE stream = ? AND last_sequence = ?", stream, expectedLastSequence) == 0) {
        c.rollback();
        return false;
      }
      deleteUnder(c, c.createArrayOf("text", new Object[] {stream}));
      return true;
    });
  }

  /**
   * Finds due streams on the partial index of retentions (so a sweep costs what is due, not what is
   * stored), then deletes them in one transaction each batch: their rows in name order, each only if
   * its retention is still due (an append may have moved it meanwhile), then what hangs off them.
   */
  @Override
  public int deleteExpired(Instant now, int limit) {
    Objects.requireNonNull(now, "now");
    OffsetDateTime at = utc(now.truncatedTo(ChronoUnit.MICROS));
    int deleted = 0;
    while (deleted < limit) {
      int wanted = limit - deleted;
      List<String> due = query("deleteExpired", "SELECT stream FROM fg_streams WHERE retain_until <= ?"
          + " ORDER BY retain_until LIMIT ?", r -> r.getString(1), at, wanted);
      if (due.isEmpty()) {
        break;
      }
      List<String> inOrder = due.stream().sorted().toList();
      deleted += transaction("deleteExpired", c -> {
        List<Object> gone = new ArrayList<>(inOrder.size());
        try (PreparedStatement delete = c.prepareStatement(
            "DELETE FROM fg_streams WHERE stream = ? AND retain_until <= ?")) {
          for (String stream : inOrder) {
            delete.setString(1, stream);
            delete.setObject(2, at);
            if (delete.executeUpdate() == 1) {
              gone.add(stream);
            }
          }
        }
        if (!gone.isEmpty()) {
          deleteUnder(c, c.createArrayOf("text", gone.toArray()));
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
  private static void deleteUnder(Connection c, Array streams) throws SQLException {
    update(c, "DELETE FROM fg_events WHERE stream = ANY (?)", streams);
    update(c, "DELETE FROM fg_snapshots WHERE stream = ANY (?)", streams);
    update(c, "DELETE FROM fg_changes WHERE stream = ANY (?)", streams);
  }

  /** One query on the marks' primary key: when nothing changed, an empty index scan. */
  @Override
  public List<StreamHead> changed(String after, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return query("changed", "SELECT stream, last_sequence FROM fg_changes WHERE stream > ? ORDER BY stream LIMIT ?",
        r -> new StreamHead(r.getString(1), r.getLong(2)), after == null ? "" : after, limit);
  }

  /**
   * One conditional delete: an append that marked the stream again (a higher sequence, uncommitted)
   * holds the mark's row, so this waits for it and then finds the new sequence and keeps the mark.
   */
  @Override
  public void clearChanged(String stream, long throughSequence) {
    Objects.requireNonNull(stream, "stream");
    transaction("clearChanged", c -> update(c,
        "DELETE FROM fg_changes WHERE stream = ? AND last_sequence <= ?", stream, throughSequence));
  }

  /** True: every process on the database sees one store. */
  @Override
  public boolean sharedAcrossProcesses() {
    return true;
  }

  private static Instant ceilToMicros(Instant instant) {
    Instant down = instant.truncatedTo(ChronoUnit.MICROS);
    return down.equals(instant) ? down : down.plus(1, ChronoUnit.MICROS);
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static void refuseNul(String text, String what) {
    if (text.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " contains U+0000, which PostgreSQL text cannot store");
    }
  }

  /** Runs {@code work} in one transaction bounded by the store's wait limit; see {@link Jdbc#transaction}. */
  private <T> T transaction(String operation, SqlWork<T> work) {
    return Jdbc.transaction(dataSource, waitLimit, operation, work);
  }

  /** Runs a query on a borrowed connection and returns its rows. */
  private <T> List<T> query(String operation, String sql, RowReader<T> reader, Object... parameters) {
    return withConnection(operation, c -> rows(c, sql, reader, parameters));
  }

  private <T> T withConnection(String operation, SqlWork<T> work) {
    return Jdbc.withConnection(dataSource, operation, work);
  }

  /** Runs one write and commits it, also on a pool whose connections do not auto-commit. */
  private <T> T committed(String operation, SqlWork<T> work) {
    return withConnection(operation, c -> Sql.committed(c, work));
  }
}
