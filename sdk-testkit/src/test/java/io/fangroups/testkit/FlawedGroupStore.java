package io.fangroups.testkit;

import io.fangroups.spi.GroupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A {@link GroupStore} that is correct but for one {@link Flaw}, for the kit's broken twins. Each
 * flaw is a mistake a real implementation over a database could make; with {@link Flaw#NONE} it
 * keeps the whole contract.
 */
final class FlawedGroupStore implements GroupStore {
  /** The ways {@link FlawedGroupStore} departs from the contract. */
  enum Flaw {
    /** None: the store keeps every rule (the base of a twin whose flaw is in its second client). */
    NONE,
    /** Numbers each append's events from 1, as if every append started a new stream. */
    SEQUENCES_PER_APPEND,
    /** Checks the keys, then checks and writes one stream after the other: an earlier stream stays written. */
    WRITES_STREAM_BY_STREAM,
    /** Checks and writes every stream, then checks the keys: the streams stay written on a key conflict. */
    WRITES_STREAMS_BEFORE_KEYS,
    /** Skips a stream with no events instead of checking it. */
    IGNORES_EMPTY_APPENDS,
    /**
     * Checks, lets other threads in, then writes, in {@code append}, {@code advanceCursor}, {@code tryLease}
     * and {@code deleteStream}.
     */
    RACY,
    /** Claims keys with an upsert: never a conflict, the last value wins. */
    KEYS_UPSERTED,
    /** Sorts a read by the sequence as text ({@code 1, 10, 11, 2, …}). */
    READ_SORTED_AS_TEXT,
    /** Returns every event after {@code afterSequence}, whatever the limit. */
    READ_IGNORES_LIMIT,
    /** Keeps payloads in a 3-byte UTF-8 column: characters outside the BMP become {@code ?}. */
    PAYLOADS_IN_UTF8MB3,
    /** Lists every stream, whatever the prefix. */
    STREAMS_IGNORE_PREFIX,
    /** Lists from the first stream of the prefix, whatever {@code after} says. */
    STREAMS_IGNORE_AFTER,
    /** Matches the prefix with SQL {@code LIKE} unescaped: {@code _} matches any character. */
    STREAMS_PREFIX_AS_PATTERN,
    /** Sorts names ignoring case, as a database collation may. */
    STREAMS_SORTED_IGNORING_CASE,
    /** Keeps names in a 100-character column that silently truncates. */
    NAMES_TRUNCATED,
    /** Sets a cursor to whatever position it is given, lower or not. */
    CURSOR_SET,
    /** Reports each stream's head as its first event, as a cache filled once would. */
    HEADS_STALE,
    /** Never hands a lease to another holder, even after it expired. */
    LEASE_IGNORES_EXPIRY,
    /** Lets the holder renew, but keeps the first grant's expiry. */
    RENEWAL_KEEPS_EXPIRY,
    /** Releases a lease whoever asks. */
    ANYONE_RELEASES,
    /** Replaces the snapshot with each save, whatever its sequence: the last save wins. */
    SNAPSHOT_LAST_WINS,
    /** Deletes events as rows and numbers the rest from 1 again: the last sequence drops. */
    DELETE_EVENTS_RENUMBERS,
    /** Deletes events of every type, whatever {@code types} says. */
    DELETE_EVENTS_IGNORES_TYPES,
    /** Deletes a stream whatever its last sequence. */
    DELETE_STREAM_IGNORES_EXPECTED,
    /** Deletes a stream's events, change mark and retention, but leaves its snapshot (another table). */
    DELETE_STREAM_KEEPS_SNAPSHOT,
    /** Deletes a stream's events and snapshot, but leaves its change mark and retention (other tables). */
    DELETE_STREAM_KEEPS_MARK_AND_RETENTION,
    /** Checks a stream's last sequence, lets other threads in, then deletes it, without the lock appends take. */
    DELETE_STREAM_UNLOCKED,
    /** Deletes every stream due, whatever the limit. */
    EXPIRED_IGNORES_LIMIT,
    /** Deletes only streams retained until before {@code now}: one retained until {@code now} stays. */
    EXPIRED_ONLY_BEFORE_NOW,
    /** An append without {@code retainUntil} clears the stream's retention. */
    RETENTION_CLEARED_BY_NULL,
    /** Sets the retention and the change mark of an append before checking it, so a conflicting one sets them too. */
    CONFLICT_STILL_NOTED,
    /** Marks every stream appended with events, on the change feed or not. */
    MARKS_WITHOUT_CHANGE_FEED,
    /** Lists marked streams from the first, whatever {@code after} says. */
    CHANGED_IGNORES_AFTER,
    /**
     * Keeps with a mark the sequence of the append that set it: an append off the change feed does not move it,
     * so {@code changed} reports it and {@code clearChanged} compares with it.
     */
    MARK_KEEPS_ITS_SEQUENCE,
    /** Removes a mark whatever the sequence given. */
    CLEAR_UNCONDITIONAL,
    /** Reads the mark, waits a round trip, then removes it if it was through the sequence given. */
    CLEAR_CHECK_THEN_DELETE
  }

  /** A stream's events and last sequence; its snapshot, retention and change mark are kept beside it. */
  private static final class Stream {
    final List<StoredEvent> events = new CopyOnWriteArrayList<>();
    volatile long last;
  }

  private record Lease(String holder, Instant until) {}

  private static final int NAME_COLUMN = 100;
  private static final Comparator<String> IGNORING_CASE =
      String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

  private final Flaw flaw;
  private final Map<String, Stream> streams = new ConcurrentSkipListMap<>();
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Instant> retention = new ConcurrentSkipListMap<>();
  /** Change marks, each with the stream's last sequence as of the latest append since it was set. */
  private final ConcurrentSkipListMap<String, Long> marks = new ConcurrentSkipListMap<>();
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Map<String, Long> cursors = new ConcurrentHashMap<>();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();

  FlawedGroupStore(Flaw flaw) {
    this.flaw = flaw;
  }

  @Override
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> uniqueKeys) {
    return locked(() -> {
      if (flaw == Flaw.CONFLICT_STILL_NOTED) {
        appends.stream().filter(a -> streams.containsKey(name(a.stream()))).forEach(this::note);
      }
      if (flaw == Flaw.WRITES_STREAM_BY_STREAM) {
        AppendResult keyConflict = keyConflict(uniqueKeys);
        if (keyConflict != null) {
          return keyConflict;
        }
        for (StreamAppend a : appends) {
          if (moved(a)) {
            return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, a.stream());
          }
          write(a);
        }
        uniqueKeys.forEach(k -> keys.put(name(k.key()), k.value()));
        return AppendResult.appended();
      }
      for (StreamAppend a : appends) {
        if (moved(a)) {
          return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, a.stream());
        }
      }
      if (flaw == Flaw.WRITES_STREAMS_BEFORE_KEYS) {
        appends.forEach(this::write);
      }
      AppendResult keyConflict = keyConflict(uniqueKeys);
      if (keyConflict != null) {
        return keyConflict;
      }
      pauseIfRacy();
      if (flaw != Flaw.WRITES_STREAMS_BEFORE_KEYS) {
        appends.forEach(this::write);
      }
      uniqueKeys.forEach(k -> keys.put(name(k.key()), k.value()));
      return AppendResult.appended();
    });
  }

  private boolean moved(StreamAppend a) {
    if (flaw == Flaw.IGNORES_EMPTY_APPENDS && a.events().isEmpty()) {
      return false;
    }
    return lastSequence(a.stream()) != a.expectedLastSequence();
  }

  private AppendResult keyConflict(List<UniqueKey> uniqueKeys) {
    if (flaw == Flaw.KEYS_UPSERTED) {
      return null;
    }
    return uniqueKeys.stream().filter(k -> keys.containsKey(name(k.key()))).findFirst()
        .<AppendResult>map(k -> new AppendResult.Conflict(AppendResult.Kind.KEY_EXISTS, k.key())).orElse(null);
  }

  private void write(StreamAppend a) {
    if (a.events().isEmpty()) {
      return;
    }
    Stream stream = streams.computeIfAbsent(name(a.stream()), s -> new Stream());
    for (int i = 0; i < a.events().size(); i++) {
      NewEvent e = a.events().get(i);
      long sequence = flaw == Flaw.SEQUENCES_PER_APPEND ? i + 1L : stream.last + 1;
      String payload = flaw == Flaw.PAYLOADS_IN_UTF8MB3
          ? e.payload().codePoints().map(c -> Character.isBmpCodePoint(c) ? c : '?')
              .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
          : e.payload();
      stream.events.add(new StoredEvent(sequence, e.type(), payload));
      stream.last++;
    }
    note(a);
  }

  /**
   * Sets the retention and change mark an append asks for, once its events are written (and, for
   * {@link Flaw#CONFLICT_STILL_NOTED}, before it is checked).
   */
  private void note(StreamAppend a) {
    String name = name(a.stream());
    if (a.retainUntil() != null) {
      retention.put(name, a.retainUntil());
    } else if (flaw == Flaw.RETENTION_CLEARED_BY_NULL) {
      retention.remove(name);
    }
    if (a.events().isEmpty()) {
      return;
    }
    long last = lastSequence(a.stream());
    if (a.changeFeed() || flaw == Flaw.MARKS_WITHOUT_CHANGE_FEED) {
      marks.put(name, last);
    } else if (flaw != Flaw.MARK_KEEPS_ITS_SEQUENCE) {
      marks.replace(name, last);
    }
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int limit) {
    Comparator<StoredEvent> order = flaw == Flaw.READ_SORTED_AS_TEXT
        ? Comparator.comparing(e -> Long.toString(e.sequence()))
        : Comparator.comparingLong(StoredEvent::sequence);
    Stream s = streams.get(name(stream));
    return (s == null ? List.<StoredEvent>of() : s.events).stream()
        .filter(e -> e.sequence() > afterSequence)
        .sorted(order)
        .limit(flaw == Flaw.READ_IGNORES_LIMIT ? Long.MAX_VALUE : limit)
        .toList();
  }

  @Override
  public long lastSequence(String stream) {
    Stream s = streams.get(name(stream));
    return s == null ? 0 : s.last;
  }

  @Override
  public Optional<String> find(String key) {
    return Optional.ofNullable(keys.get(name(key)));
  }

  @Override
  public List<String> streams(String prefix, String after, int limit) {
    Comparator<String> order = flaw == Flaw.STREAMS_SORTED_IGNORING_CASE ? IGNORING_CASE : Comparator.naturalOrder();
    String from = after == null || flaw == Flaw.STREAMS_IGNORE_AFTER ? "" : after;
    Pattern like = Pattern.compile(Pattern.quote(prefix).replace("_", "\\E.\\Q") + ".*", Pattern.DOTALL);
    return streams.keySet().stream()
        .filter(name -> switch (flaw) {
          case STREAMS_IGNORE_PREFIX -> true;
          case STREAMS_PREFIX_AS_PATTERN -> like.matcher(name).matches();
          default -> name.startsWith(prefix);
        })
        .filter(name -> order.compare(name, from) > 0)
        .sorted(order)
        .limit(limit)
        .toList();
  }

  @Override
  public List<StreamHead> heads(String prefix, String after, int limit) {
    return streams(prefix, after, limit).stream()
        .map(s -> new StreamHead(s, flaw == Flaw.HEADS_STALE ? 1 : lastSequence(s))).toList();
  }

  @Override
  public long cursor(String name) {
    return cursors.getOrDefault(name(name), 0L);
  }

  @Override
  public void advanceCursor(String name, long position) {
    locked(() -> {
      long current = cursor(name);
      pauseIfRacy();
      if (flaw == Flaw.CURSOR_SET || position > current) {
        cursors.put(name(name), position);
      }
      return null;
    });
  }

  @Override
  public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    return locked(() -> {
      Lease current = leases.get(name(name));
      boolean renewal = current != null && current.holder().equals(holder);
      boolean expired = current != null && flaw != Flaw.LEASE_IGNORES_EXPIRY && !now.isBefore(current.until());
      if (current != null && !renewal && !expired) {
        return false;
      }
      pauseIfRacy();
      Instant until = renewal && flaw == Flaw.RENEWAL_KEEPS_EXPIRY ? current.until() : now.plus(ttl);
      leases.put(name(name), new Lease(holder, until));
      return true;
    });
  }

  @Override
  public void releaseLease(String name, String holder) {
    leases.computeIfPresent(name(name),
        (n, lease) -> flaw == Flaw.ANYONE_RELEASES || lease.holder().equals(holder) ? null : lease);
  }

  @Override
  public void saveSnapshot(String stream, long sequence, String payload) {
    Snapshot snapshot = new Snapshot(sequence, payload);
    locked(() -> {
      if (sequence <= lastSequence(stream)) {
        snapshots.merge(name(stream), snapshot, (saved, given) ->
            flaw == Flaw.SNAPSHOT_LAST_WINS || given.sequence() > saved.sequence() ? given : saved);
      }
      return null;
    });
  }

  @Override
  public Optional<Snapshot> snapshot(String stream) {
    return Optional.ofNullable(snapshots.get(name(stream)));
  }

  @Override
  public int deleteEvents(String stream, long throughSequence, Set<String> types) {
    return locked(() -> {
      Stream s = streams.get(name(stream));
      if (s == null) {
        return 0;
      }
      List<StoredEvent> deleted = s.events.stream().filter(e -> e.sequence() <= throughSequence
          && (types.isEmpty() || flaw == Flaw.DELETE_EVENTS_IGNORES_TYPES || types.contains(e.type()))).toList();
      s.events.removeAll(deleted);
      if (flaw == Flaw.DELETE_EVENTS_RENUMBERS) {
        List<StoredEvent> left = new ArrayList<>(s.events);
        s.events.clear();
        for (StoredEvent e : left) {
          s.events.add(new StoredEvent(s.events.size() + 1L, e.type(), e.payload()));
        }
        s.last = left.size();
      }
      return deleted.size();
    });
  }

  @Override
  public boolean deleteStream(String stream, long expectedLastSequence) {
    if (flaw == Flaw.DELETE_STREAM_UNLOCKED) {
      return checkAndDelete(stream, expectedLastSequence);
    }
    return locked(() -> checkAndDelete(stream, expectedLastSequence));
  }

  private boolean checkAndDelete(String stream, long expectedLastSequence) {
    Stream s = streams.get(name(stream));
    if (s == null || (flaw != Flaw.DELETE_STREAM_IGNORES_EXPECTED && s.last != expectedLastSequence)) {
      return false;
    }
    pauseIfRacy();
    if (flaw == Flaw.DELETE_STREAM_UNLOCKED) {
      pause();
    }
    remove(name(stream));
    return true;
  }

  /** Deletes a stream whole, under the lock. */
  private void remove(String name) {
    streams.remove(name);
    if (flaw != Flaw.DELETE_STREAM_KEEPS_SNAPSHOT) {
      snapshots.remove(name);
    }
    if (flaw != Flaw.DELETE_STREAM_KEEPS_MARK_AND_RETENTION) {
      marks.remove(name);
      retention.remove(name);
    }
  }

  @Override
  public int deleteExpired(Instant now, int limit) {
    return locked(() -> {
      int deleted = 0;
      for (Map.Entry<String, Instant> e : retention.entrySet()) {
        if (deleted >= limit && flaw != Flaw.EXPIRED_IGNORES_LIMIT) {
          break;
        }
        boolean due = flaw == Flaw.EXPIRED_ONLY_BEFORE_NOW ? e.getValue().isBefore(now) : !e.getValue().isAfter(now);
        if (due && streams.containsKey(e.getKey())) {
          remove(e.getKey());
          deleted++;
        }
      }
      return deleted;
    });
  }

  @Override
  public List<StreamHead> changed(String after, int limit) {
    Map<String, Long> from = after == null || after.isEmpty() || flaw == Flaw.CHANGED_IGNORES_AFTER
        ? marks : marks.tailMap(after, false);
    return from.entrySet().stream().limit(limit).map(e -> new StreamHead(e.getKey(), e.getValue())).toList();
  }

  @Override
  public void clearChanged(String stream, long throughSequence) {
    switch (flaw) {
      case CLEAR_UNCONDITIONAL -> marks.remove(name(stream));
      case CLEAR_CHECK_THEN_DELETE -> {
        Long marked = marks.get(name(stream));
        roundTrip();
        if (marked != null && marked <= throughSequence) {
          marks.remove(name(stream));
        }
      }
      default -> marks.computeIfPresent(name(stream), (name, last) -> last <= throughSequence ? null : last);
    }
  }

  /** The name as stored: cut to the column's width by {@link Flaw#NAMES_TRUNCATED}. */
  private String name(String name) {
    return flaw == Flaw.NAMES_TRUNCATED && name.length() > NAME_COLUMN ? name.substring(0, NAME_COLUMN) : name;
  }

  /** Runs a check-then-write under the store's lock, or without one for {@link Flaw#RACY}. */
  private <T> T locked(Supplier<T> action) {
    if (flaw == Flaw.RACY) {
      return action.get();
    }
    synchronized (this) {
      return action.get();
    }
  }

  private void pauseIfRacy() {
    if (flaw == Flaw.RACY) {
      pause();
    }
  }

  /** Lets other threads in, as a round trip to a database between two statements would. */
  private static void pause() {
    for (int i = 0; i < 3; i++) {
      Thread.yield();
    }
  }

  /** Waits as long as a round trip to a database between two statements may take. */
  private static void roundTrip() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A client of another process that keeps every read it made and answers later reads from it, never
   * seeing what other processes appended since.
   */
  static final class ReadCachingClient implements GroupStore {
    private final GroupStore store;
    private final Map<String, List<StoredEvent>> reads = new ConcurrentHashMap<>();

    ReadCachingClient(GroupStore store) {
      this.store = store;
    }

    @Override
    public AppendResult append(List<StreamAppend> appends, List<UniqueKey> uniqueKeys) {
      AppendResult result = store.append(appends, uniqueKeys);
      if (result.isAppended()) {
        appends.forEach(a -> forget(a.stream()));
      }
      return result;
    }

    @Override
    public List<StoredEvent> read(String stream, long afterSequence, int limit) {
      return reads.computeIfAbsent(stream + "\n" + afterSequence + "\n" + limit,
          k -> store.read(stream, afterSequence, limit));
    }

    @Override
    public long lastSequence(String stream) {
      return store.lastSequence(stream);
    }

    @Override
    public Optional<String> find(String key) {
      return store.find(key);
    }

    @Override
    public List<String> streams(String prefix, String after, int limit) {
      return store.streams(prefix, after, limit);
    }

    @Override
    public long cursor(String name) {
      return store.cursor(name);
    }

    @Override
    public void advanceCursor(String name, long position) {
      store.advanceCursor(name, position);
    }

    @Override
    public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
      return store.tryLease(name, holder, now, ttl);
    }

    @Override
    public void releaseLease(String name, String holder) {
      store.releaseLease(name, holder);
    }

    @Override
    public void saveSnapshot(String stream, long sequence, String payload) {
      store.saveSnapshot(stream, sequence, payload);
    }

    @Override
    public Optional<Snapshot> snapshot(String stream) {
      return store.snapshot(stream);
    }

    @Override
    public int deleteEvents(String stream, long throughSequence, Set<String> types) {
      int deleted = store.deleteEvents(stream, throughSequence, types);
      forget(stream);
      return deleted;
    }

    @Override
    public boolean deleteStream(String stream, long expectedLastSequence) {
      boolean deleted = store.deleteStream(stream, expectedLastSequence);
      forget(stream);
      return deleted;
    }

    @Override
    public int deleteExpired(Instant now, int limit) {
      int deleted = store.deleteExpired(now, limit);
      reads.clear();
      return deleted;
    }

    @Override
    public List<StreamHead> changed(String after, int limit) {
      return store.changed(after, limit);
    }

    @Override
    public void clearChanged(String stream, long throughSequence) {
      store.clearChanged(stream, throughSequence);
    }

    /** Forgets the reads of a stream this client changed itself. */
    private void forget(String stream) {
      reads.keySet().removeIf(k -> k.startsWith(stream + "\n"));
    }
  }
}
