package io.fangroups.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where the SDK keeps its state: named, append-only streams of events, unique keys, delivery
 * cursors and leases. The SDK decides every change as events and writes them with one atomic
 * {@link #append}; the events of a group's stream are also its outbox, so a change and the events
 * that announce it are stored in one step. Nothing about groups, members or passcodes is visible
 * here: payloads are opaque JSON text written and read by the SDK.
 *
 * <p>Streams the SDK uses (names are ASCII, at most {@value #MAX_NAME_LENGTH} characters):
 * {@code group/<id>} (a group's events: members, requests, settings, messages; on the change feed,
 * snapshotted), {@code creator/<id>} (the groups a user was given, for the quota), {@code passcode/<id>}
 * (a code's issue, uses and revocation), {@code family/<id>}, {@code idem/<hash>} (a keyed command's
 * record, with a retention), {@code due/<time>/<group>/<request>} (when a request expires, deleted once
 * handled), {@code parked/<destination>/<group>/<sequence>} (a delivery the relay gave up on). Keys:
 * {@code request/<id>}, {@code passcode-digest/<hmac>}, {@code relay-destination/<name>} (a relay
 * destination that needs every group's events), {@code relay-full-pass/<name>} (that destination's
 * one pass over every group ended).
 *
 * <p>Contract (the numbered rules GS-1… in sdk-testkit's {@code CONTRACT.md} are what its kit checks):
 * <ol>
 *   <li><b>Atomic.</b> {@link #append} writes every event of every {@link StreamAppend} and claims
 *       every {@link UniqueKey}, or nothing at all. It succeeds only if each stream's last
 *       sequence equals its {@code expectedLastSequence} (0: the stream does not exist yet) and no
 *       key exists; otherwise it writes nothing and returns a {@link AppendResult.Conflict}.
 *       An append with no events is a pure check that the stream has not moved.
 *   <li><b>Linearizable per stream.</b> Of concurrent appends expecting the same sequence of one
 *       stream, from any number of processes, at most one succeeds. This is what holds a group's
 *       cap, a passcode's use limit and "one pending request" across SDK instances, so a shared
 *       implementation must get it from the database (a primary key on {@code (stream, sequence)},
 *       a conditional update or a row lock), never from a lock inside one JVM.
 *   <li><b>Ordered and gapless.</b> A stream's events have sequences 1, 2, 3, … in append order;
 *       {@link #read} returns them in that order (less any deleted, rule 9), exactly as written (type and payload unchanged,
 *       any Unicode the SDK writes: payloads are JSON text, which never holds an unescaped U+0000 or
 *       an unpaired surrogate, so a store may refuse those). Once an append has returned, every
 *       later read in any process sees it.
 *   <li><b>Keys are unique and permanent.</b> A claimed key keeps its first value; {@link #find}
 *       returns it.
 *   <li><b>Cursors only move forward</b>: {@link #advanceCursor} to a lower value does nothing.
 *   <li><b>Leases are exclusive until they expire.</b> {@link #tryLease} grants a name to one
 *       holder until {@code now + ttl}; the same holder may renew; another holder gets it only
 *       after it expired or was released.
 *   <li>Thread-safe. Failures (a database down, a timeout) are thrown as unchecked exceptions;
 *       after one the SDK treats the outcome of that append as unknown and re-reads the streams.
 *   <li><b>Snapshots only move forward.</b> {@link #saveSnapshot} keeps, per stream, the snapshot
 *       with the highest sequence; {@link #snapshot} returns it exactly as saved.
 *   <li><b>Deletion keeps the numbering.</b> {@link #deleteEvents} removes events but never lowers a
 *       stream's last sequence, so appends go on from where they were and {@link #read} skips what
 *       was removed. Only {@link #deleteStream} (conditional on the last sequence) and
 *       {@link #deleteExpired} (a retention the SDK set on the stream) remove a stream whole, after
 *       which it is a stream never written.
 *   <li><b>The change feed never misses a change.</b> An append with events to a stream appended
 *       with {@link StreamAppend#changeFeed()} marks it, in the same atomic step; {@link #changed}
 *       lists marked streams and {@link #clearChanged} removes a mark only when the stream has no
 *       event past the sequence given. So a relay that polls {@link #changed} makes one call when
 *       nothing happened, however many streams exist, and never loses a stream with new events.
 * </ol>
 */
public interface GroupStore {

  /** The longest stream, key, cursor or lease name the SDK uses. */
  int MAX_NAME_LENGTH = 200;

  /**
   * Appends events to streams and claims keys, all or nothing (rule 1), linearizable per stream
   * (rule 2). Returns {@link AppendResult#appended()} or the first conflict found.
   */
  AppendResult append(List<StreamAppend> appends, List<UniqueKey> keys);

  /** Up to {@code limit} events of {@code stream} with sequence above {@code afterSequence}, in order. */
  List<StoredEvent> read(String stream, long afterSequence, int limit);

  /** The sequence of the stream's last event; 0 when it has none. */
  long lastSequence(String stream);

  /** The value a key was claimed with, if it was. */
  Optional<String> find(String key);

  /**
   * Up to {@code limit} names of streams starting with {@code prefix} (literally, no wildcards),
   * sorted as {@link String#compareTo} sorts them (ASCII order, not a language's collation), each
   * greater than {@code after} (empty or null: from the first).
   */
  List<String> streams(String prefix, @Nullable String after, int limit);

  /**
   * What {@link #streams} lists, each with its last sequence, so a relay finds the streams with
   * events past its cursors without a query per stream. A head may be stale by the time it is used
   * (streams only grow). The default calls {@link #streams} and {@link #lastSequence}; a database
   * implementation answers it with one query.
   */
  default List<StreamHead> heads(String prefix, @Nullable String after, int limit) {
    return streams(prefix, after, limit).stream().map(s -> new StreamHead(s, lastSequence(s))).toList();
  }

  /** A delivery cursor's position; 0 when never advanced. */
  long cursor(String name);

  /** Moves a cursor forward to {@code position}; a lower position leaves it where it is (rule 5). */
  void advanceCursor(String name, long position);

  /**
   * Grants the lease {@code name} to {@code holder} until {@code now + ttl} (from that instant on it
   * has expired) if nobody else holds it at {@code now}; renews it, to {@code now + ttl}, when
   * {@code holder} already does. Returns whether {@code holder} holds it.
   */
  boolean tryLease(String name, String holder, Instant now, Duration ttl);

  /** Releases the lease if {@code holder} holds it; otherwise does nothing. */
  void releaseLease(String name, String holder);

  /**
   * Saves a snapshot of a stream's state as of {@code sequence} (its events 1 to {@code sequence}
   * folded), replacing the stream's snapshot only when {@code sequence} is higher than the saved
   * one's; otherwise does nothing. The payload is opaque JSON text, kept exactly as given.
   */
  void saveSnapshot(String stream, long sequence, String payload);

  /** The stream's snapshot with the highest sequence, if one was saved since the stream was last deleted. */
  Optional<Snapshot> snapshot(String stream);

  /**
   * Deletes the stream's events with sequence at most {@code throughSequence} whose type is in
   * {@code types} (every type when {@code types} is empty). The stream's last sequence, snapshot,
   * change mark and retention are unchanged; later reads skip the deleted events. Returns how many
   * were deleted.
   */
  int deleteEvents(String stream, long throughSequence, Set<String> types);

  /**
   * Deletes the stream whole (its events, snapshot, change mark and retention) if its last sequence
   * is {@code expectedLastSequence}, atomically with that check: an append racing with it either
   * lands first (and the stream is kept) or finds the stream gone. Returns whether it was deleted;
   * false, and nothing changes, when the stream moved or does not exist.
   */
  boolean deleteStream(String stream, long expectedLastSequence);

  /**
   * Deletes whole, as {@link #deleteStream} would, up to {@code limit} streams whose retention
   * ({@link StreamAppend#retainUntil()} of their latest append that set one) is at or before
   * {@code now}. Returns how many were deleted; fewer than {@code limit} means none is left due.
   */
  int deleteExpired(Instant now, int limit);

  /**
   * Up to {@code limit} streams carrying a change mark, sorted by name as {@link #streams} sorts,
   * each greater than {@code after} (empty or null: from the first), with their last sequences.
   */
  List<StreamHead> changed(@Nullable String after, int limit);

  /**
   * Removes the stream's change mark if its last sequence is at most {@code throughSequence}, atomically
   * with that check; a mark set by a later append stays. Clearing a stream with no mark is harmless.
   */
  void clearChanged(String stream, long throughSequence);

  /**
   * Capability: whether several processes share this store (a database). The SDK then refuses
   * admission policies it cannot write down as data (register a host policy by name on the builder)
   * and keeps nothing in memory that another process could contradict. Default false.
   */
  default boolean sharedAcrossProcesses() {
    return false;
  }

  /**
   * Events to append to one stream.
   *
   * @param stream the stream's name
   * @param expectedLastSequence the stream's last sequence the caller has seen (0: new stream)
   * @param events the events, numbered {@code expectedLastSequence + 1} onwards; may be empty
   * @param retainUntil when not null, the stream may be deleted whole by {@link #deleteExpired} from
   *     this instant on, unless a later append sets another time (null leaves the retention as it was)
   * @param changeFeed whether an append with events marks the stream for {@link #changed}
   */
  record StreamAppend(String stream, long expectedLastSequence, List<NewEvent> events, @Nullable Instant retainUntil,
      boolean changeFeed) {
    /** Checks the arguments. */
    public StreamAppend {
      StoreNames.check(stream, "stream");
      if (expectedLastSequence < 0) {
        throw new IllegalArgumentException("expectedLastSequence must be >= 0, got " + expectedLastSequence);
      }
      events = List.copyOf(events);
    }

    /** Events to append, with no retention and no change mark. */
    public StreamAppend(String stream, long expectedLastSequence, List<NewEvent> events) {
      this(stream, expectedLastSequence, events, null, false);
    }
  }

  /**
   * A stream's saved state.
   *
   * @param sequence the last event folded into it
   * @param payload as saved
   */
  record Snapshot(long sequence, String payload) {
    /** Checks the arguments. */
    public Snapshot {
      Objects.requireNonNull(payload, "payload");
      if (sequence < 1) {
        throw new IllegalArgumentException("sequence must be >= 1, got " + sequence);
      }
    }
  }

  /**
   * A stream and the sequence of its last event, as {@link #heads} found them.
   *
   * @param stream the stream's name
   * @param lastSequence its last event's sequence, at least 1
   */
  record StreamHead(String stream, long lastSequence) {
    /** Checks the arguments. */
    public StreamHead {
      StoreNames.check(stream, "stream");
    }
  }

  /**
   * An event to append.
   *
   * @param type a short name of the event's kind (at most 64 characters), for readers of the table
   * @param payload the event as JSON text
   */
  record NewEvent(String type, String payload) {
    /** Checks the arguments. */
    public NewEvent {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(payload, "payload");
      if (type.isEmpty() || type.length() > 64) {
        throw new IllegalArgumentException("type must be 1 to 64 characters");
      }
    }
  }

  /**
   * An event as stored.
   *
   * @param sequence its position in the stream, from 1
   * @param type as appended
   * @param payload as appended
   */
  record StoredEvent(long sequence, String type, String payload) {
    /** Checks the arguments. */
    public StoredEvent {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(payload, "payload");
    }
  }

  /**
   * A key to claim in the same step as an append.
   *
   * @param key the key
   * @param value what {@link #find} returns for it
   */
  record UniqueKey(String key, String value) {
    /** Checks the arguments. */
    public UniqueKey {
      StoreNames.check(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /** What an append did: everything, or nothing because of a conflict. */
  sealed interface AppendResult {
    /** The shared success result. */
    static AppendResult appended() {
      return Appended.INSTANCE;
    }

    /** Whether the append was written. */
    default boolean isAppended() {
      return this instanceof Appended;
    }

    /** Everything was written. */
    enum Appended implements AppendResult {
      /** The only instance. */
      INSTANCE
    }

    /**
     * Nothing was written.
     *
     * @param kind whether a stream had moved or a key existed
     * @param name the stream or key
     */
    record Conflict(Kind kind, String name) implements AppendResult {
      /** Checks the arguments. */
      public Conflict {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
      }
    }

    /** What conflicted. */
    enum Kind {
      /** A stream's last sequence was not the expected one. */
      STREAM_MOVED,
      /** A key was already claimed. */
      KEY_EXISTS
    }
  }
}
