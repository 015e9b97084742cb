package io.fangroups.testkit;

import io.fangroups.spi.GroupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    /** Checks, lets other threads in, then writes, in {@code append}, {@code advanceCursor} and {@code tryLease}. */
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
    ANYONE_RELEASES
  }

  private record Lease(String holder, Instant until) {}

  private static final int NAME_COLUMN = 100;
  private static final Comparator<String> IGNORING_CASE =
      String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

  private final Flaw flaw;
  private final Map<String, List<StoredEvent>> streams = new ConcurrentSkipListMap<>();
  private final Map<String, String> keys = new ConcurrentHashMap<>();
  private final Map<String, Long> cursors = new ConcurrentHashMap<>();
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();

  FlawedGroupStore(Flaw flaw) {
    this.flaw = flaw;
  }

  @Override
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> uniqueKeys) {
    return locked(() -> {
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
    List<StoredEvent> stream = streams.computeIfAbsent(name(a.stream()), s -> new CopyOnWriteArrayList<>());
    for (int i = 0; i < a.events().size(); i++) {
      NewEvent e = a.events().get(i);
      long sequence = flaw == Flaw.SEQUENCES_PER_APPEND ? i + 1L : stream.size() + 1L;
      String payload = flaw == Flaw.PAYLOADS_IN_UTF8MB3
          ? e.payload().codePoints().map(c -> Character.isBmpCodePoint(c) ? c : '?')
              .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
          : e.payload();
      stream.add(new StoredEvent(sequence, e.type(), payload));
    }
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int limit) {
    Comparator<StoredEvent> order = flaw == Flaw.READ_SORTED_AS_TEXT
        ? Comparator.comparing(e -> Long.toString(e.sequence()))
        : Comparator.comparingLong(StoredEvent::sequence);
    return streams.getOrDefault(name(stream), List.of()).stream()
        .filter(e -> e.sequence() > afterSequence)
        .sorted(order)
        .limit(flaw == Flaw.READ_IGNORES_LIMIT ? Long.MAX_VALUE : limit)
        .toList();
  }

  @Override
  public long lastSequence(String stream) {
    return streams.getOrDefault(name(stream), List.of()).size();
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
      for (int i = 0; i < 3; i++) {
        Thread.yield();
      }
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
        appends.forEach(a -> reads.keySet().removeIf(k -> k.startsWith(a.stream() + "\n")));
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
  }
}
