package io.fangroups.core.internal;

import io.fangroups.core.InMemoryGroupStore;
import io.fangroups.core.internal.format.PolicyCodec;
import io.fangroups.core.internal.format.StoreCodec;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.GroupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory {@link GroupStore}: every stream, key, cursor and lease in this JVM's heap. Several
 * {@link FanGroups} instances built on one store behave as one service: the cap, the one-pending-
 * request rule and idempotency hold across them, and they share listeners.
 *
 * <p>Nothing survives a restart and streams grow without bound; it suits tests, demos and
 * single-node hosts. Obtain one with {@link #create()} and pass it to
 * {@link FanGroups.Builder#store(GroupStore)}.
 */
public final class MemoryGroupStore implements InMemoryGroupStore {
  private final TreeMap<String, List<StoredEvent>> streams = new TreeMap<>();
  private final Map<String, String> keys = new HashMap<>();
  private final Map<String, Long> cursors = new HashMap<>();
  private final Map<String, Lease> leases = new HashMap<>();
  /** What the instances on this store share beyond the data: caches, listeners, idempotency. */
  private GroupRepository repository;

  private record Lease(String holder, Instant until) {}

  /** A new, empty store. */
  public MemoryGroupStore() {}

  /**
   * The one repository every instance on this store uses: it is the store's only writer, so its
   * caches never need catching up, and policies that are not data are kept as references.
   */
  public synchronized GroupRepository repository() {
    if (repository == null) {
      repository = new GroupRepository(this, new StoreCodec(new PolicyCodec(RuleCompiler.of(), Map.of(), true)), true);
    }
    return repository;
  }

  @Override
  public synchronized AppendResult append(List<StreamAppend> appends, List<UniqueKey> uniqueKeys) {
    Objects.requireNonNull(appends, "appends");
    Objects.requireNonNull(uniqueKeys, "keys");
    for (StreamAppend a : appends) {
      if (lastSequence(a.stream()) != a.expectedLastSequence()) {
        return new AppendResult.Conflict(AppendResult.Kind.STREAM_MOVED, a.stream());
      }
    }
    for (UniqueKey k : uniqueKeys) {
      if (keys.containsKey(k.key())) {
        return new AppendResult.Conflict(AppendResult.Kind.KEY_EXISTS, k.key());
      }
    }
    if (appends.stream().map(StreamAppend::stream).distinct().count() < appends.size()
        || uniqueKeys.stream().map(UniqueKey::key).distinct().count() < uniqueKeys.size()) {
      throw new IllegalArgumentException("a stream or key appears twice in one append");
    }
    for (StreamAppend a : appends) {
      if (a.events().isEmpty()) {
        continue;
      }
      List<StoredEvent> stream = streams.computeIfAbsent(a.stream(), s -> new ArrayList<>());
      for (NewEvent e : a.events()) {
        stream.add(new StoredEvent(stream.size() + 1L, e.type(), e.payload()));
      }
    }
    uniqueKeys.forEach(k -> keys.put(k.key(), k.value()));
    return AppendResult.appended();
  }

  @Override
  public synchronized List<StoredEvent> read(String stream, long afterSequence, int limit) {
    List<StoredEvent> events = streams.getOrDefault(stream, List.of());
    int from = (int) Math.min(Math.max(afterSequence, 0), events.size());
    return List.copyOf(events.subList(from, (int) Math.min(events.size(), from + (long) Math.max(limit, 0))));
  }

  @Override
  public synchronized long lastSequence(String stream) {
    return streams.getOrDefault(stream, List.of()).size();
  }

  @Override
  public synchronized Optional<String> find(String key) {
    return Optional.ofNullable(keys.get(key));
  }

  @Override
  public synchronized List<String> streams(String prefix, String after, int limit) {
    List<String> names = new ArrayList<>();
    String from = after == null || after.compareTo(prefix) < 0 ? prefix : after;
    for (String name : streams.tailMap(from, !from.equals(after)).keySet()) {
      if (!name.startsWith(prefix) || names.size() >= limit) {
        break;
      }
      names.add(name);
    }
    return names;
  }

  @Override
  public synchronized long cursor(String name) {
    return cursors.getOrDefault(name, 0L);
  }

  @Override
  public synchronized void advanceCursor(String name, long position) {
    cursors.merge(name, position, Math::max);
  }

  @Override
  public synchronized boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    Lease current = leases.get(name);
    if (current != null && !current.holder().equals(holder) && now.isBefore(current.until())) {
      return false;
    }
    leases.put(name, new Lease(holder, now.plus(ttl)));
    return true;
  }

  @Override
  public synchronized void releaseLease(String name, String holder) {
    Lease current = leases.get(name);
    if (current != null && current.holder().equals(holder)) {
      leases.remove(name);
    }
  }
}
