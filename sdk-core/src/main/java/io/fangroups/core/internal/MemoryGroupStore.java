package io.fangroups.core.internal;

import io.fangroups.core.InMemoryGroupStore;
import io.fangroups.core.internal.format.PolicyCodec;
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
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The in-memory store behind {@link InMemoryGroupStore}. It passes the {@link GroupStore} contract
 * like any other store (the compatibility kit runs on it), and keeps what the engine appends as
 * objects beside their JSON: the JSON is written by the engine's {@link WireFormat} when something
 * first reads it (the relay, a kit), so a join in memory never pays for JSON it does not need,
 * and objects read back are the ones written. Events appended as JSON by anyone else are decoded
 * by the engine like a database's.
 *
 * <p>Concurrency: each stream has its own lock, so appends to different groups never wait for
 * each other; an append takes its streams' locks in name order, then (only when it claims keys)
 * the key lock, and applies everything before releasing any, so it is atomic to every reader.
 */
public final class MemoryGroupStore implements InMemoryGroupStore {

  /** One stored event: its JSON, written on first read when the engine appended the object. */
  public static final class Entry {
    final long sequence;
    final String type;
    /** What the engine appended (a group event or a store record); null when appended as JSON. */
    final @Nullable Object value;
    private volatile @Nullable String payload;
    private final @Nullable Function<Object, String> encoder;

    Entry(long sequence, String type, @Nullable Object value, @Nullable String payload,
        @Nullable Function<Object, String> encoder) {
      this.sequence = sequence;
      this.type = type;
      this.value = value;
      this.payload = payload;
      this.encoder = encoder;
    }

    public long sequence() {
      return sequence;
    }

    /** The appended object, or null when it was appended as JSON. */
    public @Nullable Object value() {
      return value;
    }

    /** The event as the store contract shows it; its JSON is written now if it was not yet. */
    public StoredEvent stored() {
      String json = payload;
      if (json == null) {
        json = Objects.requireNonNull(encoder).apply(Objects.requireNonNull(value));
        payload = json; // two racing readers write the same text
      }
      return new StoredEvent(sequence, type, json);
    }
  }

  private static final class Stream {
    final ReentrantLock lock = new ReentrantLock();
    final ArrayList<Entry> entries = new ArrayList<>();
    volatile long last;
  }

  /** One stream's part of an object append. */
  public record ObjectAppend(String stream, long expectedLastSequence, List<?> values) {}

  private final ConcurrentSkipListMap<String, Stream> streams = new ConcurrentSkipListMap<>();
  private final ReentrantLock keyLock = new ReentrantLock();
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Map<String, Long> cursors = new ConcurrentHashMap<>();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();
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
      PolicyCodec policies = new PolicyCodec(wiring.ruleCompiler() != null ? wiring.ruleCompiler()
          : io.fangroups.rules.RuleCompiler.of(), wiring.policies(), true);
      repository = new GroupRepository(this, new WireFormat(policies), true);
    }
    return repository;
  }

  // ---------------------------------------------------------------- the engine's object path

  /** Appends objects; {@code types} names them and {@code encoder} writes their JSON when first read. */
  public AppendResult appendObjects(List<ObjectAppend> appends, List<UniqueKey> uniqueKeys,
      Function<Object, String> types, Function<Object, String> encoder) {
    List<String> names = new ArrayList<>(appends.size());
    List<Long> expected = new ArrayList<>(appends.size());
    List<List<?>> values = new ArrayList<>(appends.size());
    for (ObjectAppend a : appends) {
      names.add(a.stream());
      expected.add(a.expectedLastSequence());
      values.add(a.values());
    }
    return appendLocked(names, expected, uniqueKeys, (stream, i) -> {
      for (Object v : values.get(i)) {
        stream.entries.add(new Entry(stream.entries.size() + 1L, types.apply(v), v, null, encoder));
      }
    });
  }

  /** The entries after {@code afterSequence}, at most {@code limit}. */
  public List<Entry> entries(String stream, long afterSequence, int limit) {
    Stream s = streams.get(stream);
    if (s == null || limit <= 0) {
      return List.of();
    }
    s.lock.lock();
    try {
      int size = s.entries.size();
      int from = (int) Math.min(Math.max(afterSequence, 0), size);
      return List.copyOf(s.entries.subList(from, (int) Math.min(size, from + (long) limit)));
    } finally {
      s.lock.unlock();
    }
  }

  // ---------------------------------------------------------------- the store contract

  @Override
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> uniqueKeys) {
    Objects.requireNonNull(appends, "appends");
    Objects.requireNonNull(uniqueKeys, "keys");
    List<String> names = new ArrayList<>(appends.size());
    List<Long> expected = new ArrayList<>(appends.size());
    for (StreamAppend a : appends) {
      names.add(a.stream());
      expected.add(a.expectedLastSequence());
    }
    return appendLocked(names, expected, uniqueKeys, (stream, i) -> {
      for (NewEvent e : appends.get(i).events()) {
        stream.entries.add(new Entry(stream.entries.size() + 1L, e.type(), null, e.payload(), null));
      }
    });
  }

  private interface Writer {
    void write(Stream stream, int appendIndex);
  }

  private AppendResult appendLocked(List<String> names, List<Long> expected, List<UniqueKey> uniqueKeys, Writer writer) {
    if (new TreeSet<>(names).size() < names.size()
        || uniqueKeys.stream().map(UniqueKey::key).distinct().count() < uniqueKeys.size()) {
      throw new IllegalArgumentException("a stream or key appears twice in one append");
    }
    List<Stream> locked = new ArrayList<>(names.size());
    for (String name : names.size() == 1 ? names : new TreeSet<>(names)) { // name order: no deadlock
      Stream s = streams.computeIfAbsent(name, n -> new Stream());
      s.lock.lock();
      locked.add(s);
    }
    boolean keyed = !uniqueKeys.isEmpty();
    if (keyed) {
      keyLock.lock();
    }
    try {
      for (int i = 0; i < names.size(); i++) {
        if (streams.get(names.get(i)).entries.size() != expected.get(i)) {
          return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, names.get(i));
        }
      }
      for (UniqueKey k : uniqueKeys) {
        if (keys.containsKey(k.key())) {
          return new AppendResult.Conflict(AppendResult.Kind.KEY_EXISTS, k.key());
        }
      }
      for (int i = 0; i < names.size(); i++) {
        Stream s = streams.get(names.get(i));
        writer.write(s, i);
        s.last = s.entries.size();
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

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int limit) {
    List<Entry> entries = entries(stream, afterSequence, limit);
    List<StoredEvent> events = new ArrayList<>(entries.size());
    entries.forEach(e -> events.add(e.stored()));
    return events;
  }

  @Override
  public long lastSequence(String stream) {
    Stream s = streams.get(stream);
    return s == null ? 0 : s.last;
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
    for (Map.Entry<String, Stream> e : streams.tailMap(from, !from.equals(after)).entrySet()) {
      if (!e.getKey().startsWith(prefix) || heads.size() >= limit) {
        break;
      }
      long last = e.getValue().last;
      if (last > 0) { // a stream exists once an event is in it
        heads.add(new StreamHead(e.getKey(), last));
      }
    }
    return heads;
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
}
