package io.fangroups.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where the SDK keeps its state: named, append-only streams of events, unique keys, delivery
 * cursors and leases. The SDK decides every change as events and writes them with one atomic
 * {@link #append}; the events of a group's stream are also its outbox, so a change and the events
 * that announce it are stored in one step. Nothing about groups, members or passcodes is visible
 * here: payloads are opaque JSON text written and read by the SDK.
 *
 * <p>Streams the SDK uses (names are ASCII, at most {@value #MAX_NAME_LENGTH} characters):
 * {@code group/<id>} (a group's events: members, requests, settings, messages), {@code creator/<id>}
 * (the groups a user was given, for the quota), {@code passcode/<id>} (a code's issue, uses and
 * revocation), {@code family/<id>}. Keys: {@code request/<id>}, {@code passcode-digest/<hmac>}.
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
 *       {@link #read} returns them in that order, exactly as written (type and payload unchanged,
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
   */
  record StreamAppend(String stream, long expectedLastSequence, List<NewEvent> events) {
    /** Checks the arguments. */
    public StreamAppend {
      StoreNames.check(stream, "stream");
      if (expectedLastSequence < 0) {
        throw new IllegalArgumentException("expectedLastSequence must be >= 0, got " + expectedLastSequence);
      }
      events = List.copyOf(events);
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
