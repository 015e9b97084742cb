package io.fangroups.core.internal;

import io.fangroups.core.InMemoryGroupStore;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.spi.GroupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory store behind {@link InMemoryGroupStore}. It passes the {@link GroupStore} contract
 * like any other store (the compatibility kit runs on it), and keeps what the engine appends as
 * objects: their JSON is written by the engine's {@link WireFormat} when something reads the
 * stream through the store contract (the relay, a kit), so a join in memory pays for no JSON and
 * keeps no more than the objects. Events appended as JSON by anyone else are kept as JSON and
 * decoded by the engine like a database's.
 *
 * <p>Concurrency: each stream has its own lock, so appends to different groups never wait for
 * each other; an append takes its streams' locks in name order, then (only when it claims keys)
 * the key lock, and applies everything before releasing any. Readers of events take the stream's
 * lock. A stream's last sequence is also published for readers that take no stream lock
 * ({@link #lastSequence}, {@link #heads}): a one-stream append publishes it in one volatile write,
 * an append to several streams publishes all of them under one write lock that those readers
 * share, so no reader sees half of an append.
 */
public final class MemoryGroupStore implements InMemoryGroupStore {

  /**
   * One stream: what the engine appended, as it appended it (a group event or a store record), or
   * a {@link StoredEvent} for an event appended as JSON through the store contract. An event's
   * sequence is its position.
   */
  private static final class Stream {
    final ReentrantLock lock = new ReentrantLock();
    /** Events from sequence {@code base + 1} on; a deleted event leaves null until the ones before it go too. */
    final ArrayList<Object> entries = new ArrayList<>();
    long base;
    volatile long last;
    /** Set under the lock when the stream was deleted whole: an appender holding it looks the name up again. */
    boolean removed;
    @Nullable Snapshot snapshot;
    @Nullable Instant retainUntil;

    long end() {
      return base + entries.size();
    }
  }

  /** Streams by name, for appends and reads; {@link #ordered} lists the same streams in name order. */
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<String, Stream> ordered = new ConcurrentSkipListMap<>();
  private final ReentrantLock keyLock = new ReentrantLock();
  /** Several streams' last sequences change together under its write lock (see the class comment). */
  private final ReentrantReadWriteLock publication = new ReentrantReadWriteLock();
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Map<String, Long> cursors = new ConcurrentHashMap<>();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
  /** Change marks: a marked stream's last sequence, kept current by every append until the mark is cleared. */
  private final ConcurrentSkipListMap<String, Long> changes = new ConcurrentSkipListMap<>();
  /** Streams appended with a retention. */
  private final Map<String, Stream> retained = new ConcurrentHashMap<>();
  /** What the instances on this store share beyond the data: caches, listeners, idempotency. */
  private @Nullable GroupRepository repository;

  private record Lease(String holder, Instant until) {}

  /** A new, empty store. */
  public MemoryGroupStore() {}

  /**
   * The one repository every instance on this store uses: it is the store's only writer, so its
   * caches never need catching up. The first instance's wiring (its rule compiler and named
   * policies) reads and writes policies for all of them.
   */
  public synchronized GroupRepository repository(Wiring wiring) {
    if (repository == null) {
      repository = new GroupRepository(this, new WireFormat(wiring.policyCodec(true)), true, wiring.retentionOrDefault(),
          wiring.clockOrDefault());
    }
    return repository;
  }

  // ---------------------------------------------------------------- the engine's object path

  /** Appends the engine's objects (group events, store records), kept as they are; see the class comment. */
  public AppendResult appendObjects(List<StoreAccess.Append> appends, List<UniqueKey> uniqueKeys) {
    if (appends.size() == 1 && uniqueKeys.isEmpty()) { // most commands: one group's stream, no key
      StoreAccess.Append a = appends.get(0);
      while (true) {
        Stream s = stream(a.stream());
        s.lock.lock();
        try {
          if (s.removed) {
            continue;
          }
          if (s.end() != a.expectedLastSequence()) {
            return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, a.stream());
          }
          s.entries.addAll(a.events());
          noteAppended(a.stream(), s, a.events().size(), a.retainUntil(), a.changeFeed());
          s.last = s.end();
          return AppendResult.appended();
        } finally {
          s.lock.unlock();
        }
      }
    }
    return appendLocked(appends.stream().map(StoreAccess.Append::stream).toList(),
        i -> appends.get(i).expectedLastSequence(), uniqueKeys, (name, stream, i) -> {
          StoreAccess.Append a = appends.get(i);
          stream.entries.addAll(a.events());
          noteAppended(name, stream, a.events().size(), a.retainUntil(), a.changeFeed());
        });
  }

  /** The retention and change mark an append sets. Under the stream's lock. */
  private void noteAppended(String name, Stream s, int events, @Nullable Instant retainUntil, boolean changeFeed) {
    if (retainUntil != null) {
      s.retainUntil = retainUntil;
      retained.put(name, s);
    }
    if (events > 0) { // a mark carries the stream's last sequence, which clearChanged compares with
      if (changeFeed) {
        changes.put(name, s.end());
      } else {
        changes.replace(name, s.end());
      }
    }
  }

  private Stream stream(String name) {
    Stream s = streams.get(name);
    if (s != null) {
      return s;
    }
    return streams.computeIfAbsent(name, n -> {
      Stream created = new Stream();
      ordered.put(n, created);
      return created;
    });
  }

  /**
   * The entries after {@code afterSequence}, at most {@code limit}: what the engine appended, or a
   * {@link StoredEvent} where an event was appended as JSON.
   */
  public List<Entry> entries(String stream, long afterSequence, int limit) {
    Stream s = streams.get(stream);
    if (s == null || limit <= 0) {
      return List.of();
    }
    s.lock.lock();
    try {
      List<Entry> out = new ArrayList<>(Math.min(limit, 64));
      int size = s.entries.size();
      for (long i = Math.max(Math.max(afterSequence, 0) - s.base, 0); i < size && out.size() < limit; i++) {
        Object value = s.entries.get((int) i);
        if (value != null) {
          out.add(new Entry(s.base + i + 1, value));
        }
      }
      return out;
    } finally {
      s.lock.unlock();
    }
  }

  /** One event as {@link #entries} returns it: its sequence, and the object (or {@link StoredEvent}) appended. */
  public record Entry(long sequence, Object value) {}

  // ---------------------------------------------------------------- the store contract

  @Override
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> uniqueKeys) {
    Objects.requireNonNull(appends, "appends");
    Objects.requireNonNull(uniqueKeys, "keys");
    return appendLocked(appends.stream().map(StreamAppend::stream).toList(),
        i -> appends.get(i).expectedLastSequence(), uniqueKeys, (name, stream, i) -> {
          StreamAppend a = appends.get(i);
          for (NewEvent e : a.events()) {
            stream.entries.add(new StoredEvent(stream.end() + 1, e.type(), e.payload()));
          }
          noteAppended(name, stream, a.events().size(), a.retainUntil(), a.changeFeed());
        });
  }

  private interface Writer {
    void write(String name, Stream stream, int appendIndex);
  }

  /** Appends to {@code names}, the i-th expected at {@code expected(i)}, under all their locks. */
  private AppendResult appendLocked(List<String> names, IntToLongFunction expected, List<UniqueKey> uniqueKeys,
      Writer writer) {
    TreeSet<String> inOrder = new TreeSet<>(names);
    if (inOrder.size() < names.size()
        || uniqueKeys.stream().map(UniqueKey::key).distinct().count() < uniqueKeys.size()) {
      throw new IllegalArgumentException("a stream or key appears twice in one append");
    }
    List<Stream> locked = lockAll(inOrder);
    boolean keyed = !uniqueKeys.isEmpty();
    if (keyed) {
      keyLock.lock();
    }
    try {
      for (int i = 0; i < names.size(); i++) {
        if (streams.get(names.get(i)).end() != expected.applyAsLong(i)) {
          return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, names.get(i));
        }
      }
      for (UniqueKey k : uniqueKeys) {
        if (keys.containsKey(k.key())) {
          return new AppendResult.Conflict(AppendResult.Kind.KEY_EXISTS, k.key());
        }
      }
      for (int i = 0; i < names.size(); i++) {
        writer.write(names.get(i), streams.get(names.get(i)), i);
      }
      publication.writeLock().lock();
      try {
        locked.forEach(s -> s.last = s.end());
      } finally {
        publication.writeLock().unlock();
      }
      uniqueKeys.forEach(k -> keys.put(k.key(), k.value()));
      return AppendResult.appended();
    } finally {
      if (keyed) {
        keyLock.unlock();
      }
      locked.forEach(s -> s.lock.unlock());
    }
  }

  /** Locks the streams in name order (no deadlock), none of them deleted meanwhile. */
  private List<Stream> lockAll(TreeSet<String> inOrder) {
    while (true) {
      List<Stream> locked = new ArrayList<>(inOrder.size());
      boolean stale = false;
      for (String name : inOrder) {
        Stream s = stream(name);
        s.lock.lock();
        locked.add(s);
        stale |= s.removed;
      }
      if (!stale) {
        return locked;
      }
      locked.forEach(s -> s.lock.unlock());
    }
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int limit) {
    List<Entry> entries = entries(stream, afterSequence, limit);
    List<StoredEvent> events = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      events.add(e.value() instanceof StoredEvent stored ? stored : encode(e.sequence(), e.value()));
    }
    return events;
  }

  /** An object the engine appended, as JSON: written by the engine's format when something reads it. */
  private StoredEvent encode(long sequence, Object value) {
    WireFormat format = format();
    return new StoredEvent(sequence, format.typeOf(value), format.encodeAny(value).payload());
  }

  @Override
  public long lastSequence(String stream) {
    Stream s = streams.get(stream);
    if (s == null) {
      return 0;
    }
    publication.readLock().lock();
    try {
      return s.last;
    } finally {
      publication.readLock().unlock();
    }
  }

  @Override
  public Optional<String> find(String key) {
    keyLock.lock(); // a key claimed with a stream's events shows only once they are in
    try {
      return Optional.ofNullable(keys.get(key));
    } finally {
      keyLock.unlock();
    }
  }

  @Override
  public List<String> streams(String prefix, @Nullable String after, int limit) {
    List<String> names = new ArrayList<>();
    for (StreamHead head : heads(prefix, after, limit)) {
      names.add(head.stream());
    }
    return names;
  }

  @Override
  public List<StreamHead> heads(String prefix, @Nullable String after, int limit) {
    List<StreamHead> heads = new ArrayList<>();
    String from = after == null || after.compareTo(prefix) < 0 ? prefix : after;
    publication.readLock().lock();
    try {
      collectHeads(prefix, from, !from.equals(after), limit, heads);
    } finally {
      publication.readLock().unlock();
    }
    return heads;
  }

  private void collectHeads(String prefix, String from, boolean inclusive, int limit, List<StreamHead> heads) {
    for (Map.Entry<String, Stream> e : ordered.tailMap(from, inclusive).entrySet()) {
      if (!e.getKey().startsWith(prefix) || heads.size() >= limit) {
        break;
      }
      long last = e.getValue().last;
      if (last > 0) { // a stream exists once an event is in it
        heads.add(new StreamHead(e.getKey(), last));
      }
    }
  }

  @Override
  public long cursor(String name) {
    return cursors.getOrDefault(name, 0L);
  }

  @Override
  public void advanceCursor(String name, long position) {
    cursors.merge(name, position, Math::max);
  }

  @Override
  public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    boolean[] taken = new boolean[1];
    leases.compute(name, (n, current) -> {
      if (current != null && !current.holder().equals(holder) && now.isBefore(current.until())) {
        return current;
      }
      taken[0] = true;
      return new Lease(holder, now.plus(ttl));
    });
    return taken[0];
  }

  @Override
  public void releaseLease(String name, String holder) {
    leases.computeIfPresent(name, (n, current) -> current.holder().equals(holder) ? null : current);
  }

  // ---------------------------------------------------------------- snapshots, deletion, change feed

  @Override
  public void saveSnapshot(String stream, long sequence, String payload) {
    Snapshot snapshot = new Snapshot(sequence, payload);
    Stream s = existing(stream);
    if (s == null) {
      return;
    }
    try {
      if (s.snapshot == null || s.snapshot.sequence() < sequence) {
        s.snapshot = snapshot;
      }
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public Optional<Snapshot> snapshot(String stream) {
    Stream s = existing(stream);
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(s.snapshot);
    } finally {
      s.lock.unlock();
    }
  }

  @Override
  public int deleteEvents(String stream, long throughSequence, java.util.Set<String> types) {
    Objects.requireNonNull(types, "types");
    Stream s = existing(stream);
    if (s == null) {
      return 0;
    }
    try {
      int deleted = 0;
      long through = Math.min(throughSequence, s.end()) - s.base;
      for (int i = 0; i < through; i++) {
        Object value = s.entries.get(i);
        if (value != null && (types.isEmpty() || types.contains(typeOf(value)))) {
          s.entries.set(i, null);
          deleted++;
        }
      }
      int leading = 0;
      while (leading < s.entries.size() && s.entries.get(leading) == null) {
        leading++;
      }
      s.entries.subList(0, leading).clear(); // a deleted prefix frees its slots too
      s.base += leading;
      return deleted;
    } finally {
      s.lock.unlock();
    }
  }

  /** An event's type; the engine's format is only needed (and only there) for the engine's objects. */
  private String typeOf(Object value) {
    return value instanceof StoredEvent stored ? stored.type() : format().typeOf(value);
  }

  @Override
  public boolean deleteStream(String stream, long expectedLastSequence) {
    Stream s = existing(stream);
    if (s == null) {
      return false;
    }
    try {
      if (s.end() != expectedLastSequence || expectedLastSequence == 0) {
        return false;
      }
      remove(stream, s);
      return true;
    } finally {
      s.lock.unlock();
    }
  }

  /** Removes a stream whole. Under its lock. */
  private void remove(String name, Stream s) {
    s.removed = true;
    changes.remove(name); // before the name is free: a mark set afterwards is a new stream's
    publication.writeLock().lock();
    try {
      streams.remove(name, s);
      ordered.remove(name, s);
    } finally {
      publication.writeLock().unlock();
    }
    retained.remove(name, s);
  }

  @Override
  public int deleteExpired(Instant now, int limit) {
    int deleted = 0;
    for (Map.Entry<String, Stream> e : retained.entrySet()) {
      if (deleted >= limit) {
        break;
      }
      Stream s = e.getValue();
      s.lock.lock();
      try {
        if (!s.removed && s.retainUntil != null && !now.isBefore(s.retainUntil)) {
          remove(e.getKey(), s);
          deleted++;
        }
      } finally {
        s.lock.unlock();
      }
    }
    return deleted;
  }

  @Override
  public List<StreamHead> changed(@Nullable String after, int limit) {
    List<StreamHead> heads = new ArrayList<>();
    var marks = after == null || after.isEmpty() ? changes : changes.tailMap(after, false);
    for (Map.Entry<String, Long> e : marks.entrySet()) {
      if (heads.size() >= limit) {
        break;
      }
      heads.add(new StreamHead(e.getKey(), e.getValue()));
    }
    return heads;
  }

  @Override
  public void clearChanged(String stream, long throughSequence) {
    changes.computeIfPresent(stream, (name, last) -> last <= throughSequence ? null : last);
  }

  /** The stream, locked and not deleted; null (nothing locked) when it does not exist. */
  private @Nullable Stream existing(String name) {
    Objects.requireNonNull(name, "stream");
    while (true) {
      Stream s = streams.get(name);
      if (s == null) {
        return null;
      }
      s.lock.lock();
      if (!s.removed) {
        return s;
      }
      s.lock.unlock();
    }
  }

  private WireFormat format() {
    return Objects.requireNonNull(repository, "objects are only appended by the engine").access().codec;
  }
}
