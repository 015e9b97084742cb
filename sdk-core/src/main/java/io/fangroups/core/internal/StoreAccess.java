package io.fangroups.core.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.UniqueKey;
import io.fangroups.spi.GroupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The SDK's calls to its {@link GroupStore}, in objects: the engine appends and reads group events
 * and {@link StoreRecord}s, and this class writes and reads their JSON with the {@link WireFormat}
 * (or, on the in-memory store, hands the objects over and lets the store write the JSON when it is
 * read). Store failures become {@code STORE_UNAVAILABLE}, a keyed command's appends mark its
 * idempotency record in the same step, and whole streams are read in batches.
 */
public final class StoreAccess {
  public static final int READ_BATCH = 500;
  /** Conflicts in a row after which a command gives up; each one means another process progressed. */
  private static final int MAX_CONFLICTS = 200;

  /**
   * One stream's part of an append: group events or store records, expecting the stream at a
   * sequence; a group's stream goes on the change feed, a keyed command's record has a retention.
   */
  public record Append(String stream, long expectedLastSequence, List<?> events, @Nullable Instant retainUntil,
      boolean changeFeed) {
    public Append {
      events = List.copyOf(events);
    }

    public Append(String stream, long expectedLastSequence, List<?> events) {
      this(stream, expectedLastSequence, events, null, stream.startsWith(GroupRepository.GROUPS));
    }
  }

  public final GroupStore store;
  public final WireFormat codec;
  /** The in-memory store, which takes objects; null for any other store. */
  private final @Nullable MemoryGroupStore memory;
  /** True when one repository is the store's only writer (an in-memory store): caches need no catch-up. */
  public final boolean exclusive;

  public StoreAccess(GroupStore store, WireFormat codec, boolean exclusive) {
    this.store = store;
    this.codec = codec;
    this.exclusive = exclusive;
    this.memory = store instanceof MemoryGroupStore m ? m : null;

  }

  /** Counts one more conflict on {@code what}; {@code STORE_UNAVAILABLE} after too many in a row. */
  public static int giveUpAfter(int conflicts, Object what) {
    if (conflicts + 1 >= MAX_CONFLICTS) {
      throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, MAX_CONFLICTS
          + " conflicting writes in a row on " + what + "; the store is too contended, nothing was changed");
    }
    return conflicts + 1;
  }

  /** Groups (and families, passcodes) whose state a process on a shared store keeps cached. */
  public static final int CACHED_GROUPS = 10_000;
  public static final int CACHED_KEYS = 100_000;

  /**
   * A map for cached state: over a shared store bounded (what is evicted is read again; an evicted
   * group's lock only costs a conflict more), over the in-memory store complete, as its only copy.
   */
  public <K, V> ConcurrentMap<K, V> cache(int maximumSize) {
    return exclusive ? new ConcurrentHashMap<>()
        : Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).<K, V>build().asMap();
  }

  /**
   * Hands {@code each} the name of every stream starting with {@code prefix}, in name order, a page
   * of {@link #READ_BATCH} per store call, until it returns false.
   */
  public void forEachStream(String prefix, java.util.function.Predicate<String> each) {
    String after = null;
    while (true) {
      String from = after;
      List<String> page = call(() -> store.streams(prefix, from, READ_BATCH));
      for (String name : page) {
        if (!each.test(name)) {
          return;
        }
      }
      if (page.size() < READ_BATCH) {
        return;
      }
      after = page.get(page.size() - 1);
    }
  }

  /** The records of a stream beside the groups' own (such as an idempotency record), in order. */
  public List<StoreRecord> records(String stream) {
    List<StoreRecord> records = new ArrayList<>();
    readRecords(stream, 0, records::add);
    return records;
  }

  /** Appends one record expecting the stream at {@code expected}; false when it moved. */
  public boolean appendRecord(String stream, long expected, StoreRecord record) {
    return appendRecord(stream, expected, record, null);
  }

  /** As {@link #appendRecord(String, long, StoreRecord)}, setting the stream's retention when not null. */
  public boolean appendRecord(String stream, long expected, StoreRecord record, @Nullable Instant retainUntil) {
    List<Append> append = List.of(new Append(stream, expected, List.of(record), retainUntil, false));
    return call(() -> appendChanges(append, List.of(), false)).isAppended();
  }

  /** A command's append (its changes are marked in its idempotency record). */
  public AppendResult append(List<Append> appends, List<UniqueKey> keys) {
    return call(() -> appendChanges(appends, keys, true));
  }

  /** Writes the appends to the store: as objects to the in-memory store, as JSON to any other. */
  private AppendResult write(List<Append> appends, List<UniqueKey> keys) {
    if (memory != null) {
      return memory.appendObjects(appends, keys);
    }
    List<StreamAppend> encoded = new ArrayList<>(appends.size());
    for (Append a : appends) {
      List<NewEvent> events = new ArrayList<>(a.events().size());
      a.events().forEach(e -> events.add(codec.encodeAny(e)));
      encoded.add(new StreamAppend(a.stream(), a.expectedLastSequence(), events, a.retainUntil(), a.changeFeed()));
    }
    return store.append(encoded, keys);
  }

  /**
   * Appends; when {@code byCommand} and a keyed command runs on this thread, its record is marked
   * {@code CommandLanded} in the same append, so a retry can tell whether a change of it was written.
   */
  public AppendResult appendChanges(List<Append> appends, List<UniqueKey> keys, boolean byCommand) {
    KeyedAttempt attempt = byCommand ? keyedAttempt.get() : null;
    if (attempt == null) {
      return write(appends, keys);
    }
    if (attempt.uncertain) {
      resync(attempt);
    }
    List<Append> marked = new ArrayList<>(appends);
    marked.add(new Append(attempt.stream, attempt.next, List.of(new StoreRecord.CommandLanded(attempt.token)),
        attempt.retainUntil, false));
    AppendResult result;
    try {
      result = write(marked, keys);
    } catch (RuntimeException e) {
      attempt.uncertain = true; // its mark may have landed: find where the record ends before the next one
      throw e;
    }
    if (result.isAppended()) {
      attempt.next++;
      attempt.landed = true;
    } else if (result instanceof AppendResult.Conflict c && c.name().equals(attempt.stream)) {
      throw takenOver();
    }
    return result;
  }

  /** A keyed command running on this thread, on a shared store: where its record continues. */
  public static final class KeyedAttempt {
    public final String stream;
    public final String token;
    /** The retention every append to the record sets. */
    public final Instant retainUntil;
    public long next;
    public boolean landed;
    /** A store call failed: {@link #next} may be behind the record's end. */
    public boolean uncertain;

    public KeyedAttempt(String stream, String token, long next, Instant retainUntil) {
      this.stream = stream;
      this.token = token;
      this.next = next;
      this.retainUntil = retainUntil;
    }
  }

  private final ThreadLocal<KeyedAttempt> keyedAttempt = new ThreadLocal<>();

  /**
   * Continues the attempt's record where it now ends, after a store failure left that unknown; a
   * commanding process that went on (a bulk command's next item) must not mistake its own mark for
   * another process taking over. Throws {@code STORE_UNAVAILABLE} if another attempt did take over.
   */
  public void resync(KeyedAttempt attempt) {
    List<StoreRecord> records = records(attempt.stream);
    StoreIdempotency.Attempt now = StoreIdempotency.Attempt.of(records);
    boolean ours = now.started() != null && now.started().token().equals(attempt.token)
        && (now.record() instanceof StoreRecord.CommandStarted || now.record() instanceof StoreRecord.CommandLanded);
    if (!ours) {
      throw takenOver();
    }
    attempt.next = records.size(); // gapless: the count is the last sequence
    attempt.uncertain = false;
  }

  private static FanGroupsException takenOver() {
    return new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "another process took this idempotency key over "
        + "(this attempt ran longer than the keyed attempt timeout); nothing more was changed");
  }

  /** Runs a keyed command's body with its attempt on this thread (an outer attempt is kept). */
  public <R> R asKeyedAttempt(KeyedAttempt attempt, Supplier<R> body) {
    if (keyedAttempt.get() != null) {
      return body.get();
    }
    keyedAttempt.set(attempt);
    try {
      return body.get();
    } finally {
      keyedAttempt.remove();
    }
  }

  public Optional<String> find(String key) {
    return call(() -> store.find(key));
  }

  /** Reads a record stream's records after {@code position}; returns the last sequence read. */
  public long readRecords(String stream, long position, Consumer<StoreRecord> each) {
    return readAfter(stream, position, (sequence, value) -> each.accept((StoreRecord) value), codec::decodeRecord);
  }

  /**
   * Reads a group's events after {@code position} for its fold: each a {@link GroupEvent}, or a
   * {@link WireFormat.Post} where a post's sender and time could be read without decoding it.
   */
  public long readForFold(GroupId group, long position, Consumer<Object> each) {
    return readAfter(GroupRepository.stream(group), position, (sequence, value) -> each.accept(value), stored -> {
      WireFormat.Post post = codec.post(stored);
      return post != null ? post : codec.decode(group, stored);
    });
  }

  /** Up to {@code limit} of the group's events after {@code afterSequence}. */
  public List<GroupEvent> events(GroupId group, long afterSequence, int limit) {
    List<GroupEvent> events = new ArrayList<>();
    read(GroupRepository.stream(group), afterSequence, limit, (sequence, value) -> events.add((GroupEvent) value),
        stored -> codec.decode(group, stored));
    return events;
  }

  /** What retention needs of an event: where it is, what it is, and when it happened. */
  public record EventHead(long sequence, String type, Instant occurredAt) {}

  /** Up to {@code limit} of the group's events after {@code afterSequence}, read only as far as their heads. */
  public List<EventHead> heads(GroupId group, long afterSequence, int limit) {
    List<EventHead> heads = new ArrayList<>();
    read(GroupRepository.stream(group), afterSequence, limit, (sequence, value) -> {
      if (value instanceof GroupEvent e) {
        heads.add(new EventHead(sequence, codec.typeOf(e), e.occurredAt()));
      } else {
        StoredEvent stored = (StoredEvent) value;
        heads.add(new EventHead(sequence, stored.type(), codec.occurredAt(group, stored)));
      }
    }, stored -> stored);
    return heads;
  }

  /** Up to {@code limit} stored events of a stream after {@code afterSequence}, as the store has them (JSON). */
  public List<StoredEvent> stored(String stream, long afterSequence, int limit) {
    return call(() -> store.read(stream, afterSequence, limit));
  }

  /** Reads a stream in batches after {@code position}, decoding what the store does not hold as objects. */
  private long readAfter(String stream, long position, BiConsumer<Long, Object> each, Function<StoredEvent, Object> decode) {
    long last = position;
    int read;
    do {
      long[] end = {last};
      read = read(stream, last, READ_BATCH, (sequence, value) -> {
        each.accept(sequence, value);
        end[0] = sequence;
      }, decode);
      last = end[0];
    } while (read == READ_BATCH);
    return last;
  }

  private int read(String stream, long after, int limit, BiConsumer<Long, Object> each, Function<StoredEvent, Object> decode) {
    if (memory != null) {
      List<MemoryGroupStore.Entry> entries = memory.entries(stream, after, limit);
      for (MemoryGroupStore.Entry e : entries) {
        each.accept(e.sequence(), e.value() instanceof StoredEvent json ? decode.apply(json) : e.value());
      }
      return entries.size();
    }
    List<StoredEvent> events = call(() -> store.read(stream, after, limit));
    for (StoredEvent e : events) {
      each.accept(e.sequence(), decode.apply(e));
    }
    return events.size();
  }

  public static <T> T call(Supplier<T> storeCall) {
    try {
      return storeCall.get();
    } catch (FanGroupsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
  }

  /** As {@link #call}, for a store call that returns nothing. */
  public static void run(Runnable storeCall) {
    call(() -> {
      storeCall.run();
      return null;
    });
  }

  public static FanGroupsException unavailable(RuntimeException e) {
    return new FanGroupsException(ErrorCode.STORE_UNAVAILABLE,
        "the group store failed; the outcome is unknown, retry with the same idempotency key", e);
  }
}
