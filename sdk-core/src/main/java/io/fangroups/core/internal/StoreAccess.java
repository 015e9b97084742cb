package io.fangroups.core.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.internal.format.StoreCodec;
import io.fangroups.core.internal.format.StoreRecords;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.UniqueKey;
import io.fangroups.spi.GroupStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The SDK's calls to its {@link GroupStore}: store failures become {@code STORE_UNAVAILABLE}, a
 * keyed command's appends mark its idempotency record in the same step, whole streams are read in
 * batches, and plain records (not group events) go through the codec.
 */
public final class StoreAccess {
  public static final int READ_BATCH = 500;
  /** Conflicts in a row after which a command gives up; each one means another process progressed. */
  private static final int MAX_CONFLICTS = 200;

  public final GroupStore store;
  public final StoreCodec codec;
  /** True when one repository is the store's only writer (an in-memory store): caches need no catch-up. */
  public final boolean exclusive;

  public StoreAccess(GroupStore store, StoreCodec codec, boolean exclusive) {
    this.store = store;
    this.codec = codec;
    this.exclusive = exclusive;
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

  /** The records of a stream beside the groups' own (such as an idempotency record), in order. */
  public List<Record> records(String stream) {
    List<Record> records = new ArrayList<>();
    readAll(stream, e -> records.add(codec.decodeRecord(e)));
    return records;
  }

  /** Appends one record expecting the stream at {@code expected}; false when it moved. */
  public boolean appendRecord(String stream, long expected, Record record) {
    List<StreamAppend> append = List.of(new StreamAppend(stream, expected, List.of(codec.encodeRecord(record))));
    return call(() -> appendChanges(append, List.of(), false)).isAppended();
  }

  /** A command's append (its changes are marked in its idempotency record). */
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> keys) {
    return call(() -> appendChanges(appends, keys, true));
  }

  /**
   * Appends; when {@code byCommand} and a keyed command runs on this thread, its record is marked
   * {@code CommandLanded} in the same append, so a retry can tell whether a change of it was written.
   */
  public AppendResult appendChanges(List<StreamAppend> appends, List<UniqueKey> keys, boolean byCommand) {
    KeyedAttempt attempt = byCommand ? keyedAttempt.get() : null;
    if (attempt == null) {
      return store.append(appends, keys);
    }
    if (attempt.uncertain) {
      resync(attempt);
    }
    List<StreamAppend> marked = new ArrayList<>(appends);
    marked.add(new StreamAppend(attempt.stream, attempt.next,
        List.of(codec.encodeRecord(new StoreRecords.CommandLanded(attempt.token)))));
    AppendResult result;
    try {
      result = store.append(marked, keys);
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
    public long next;
    public boolean landed;
    /** A store call failed: {@link #next} may be behind the record's end. */
    public boolean uncertain;

    public KeyedAttempt(String stream, String token, long next) {
      this.stream = stream;
      this.token = token;
      this.next = next;
    }
  }

  private final ThreadLocal<KeyedAttempt> keyedAttempt = new ThreadLocal<>();

  /**
   * Continues the attempt's record where it now ends, after a store failure left that unknown; a
   * commanding process that went on (a bulk command's next item) must not mistake its own mark for
   * another process taking over. Throws {@code STORE_UNAVAILABLE} if another attempt did take over.
   */
  public void resync(KeyedAttempt attempt) {
    List<Record> records = records(attempt.stream);
    StoreIdempotency.Attempt now = StoreIdempotency.Attempt.of(records);
    boolean ours = now.started() != null && now.started().token().equals(attempt.token)
        && (now.record() instanceof StoreRecords.CommandStarted || now.record() instanceof StoreRecords.CommandLanded);
    if (!ours) {
      throw takenOver();
    }
    attempt.next = records.size(); // gapless: the count is the last sequence
    attempt.uncertain = false;
  }

  private static FanGroupsException takenOver() {
    return new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "another process took this idempotency key over "
        + "(this attempt ran longer than " + StoreIdempotency.ABANDONED_AFTER + "); nothing more was changed");
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

  /** Reads a whole stream, handing each event to {@code each}; returns its last sequence. */
  public long readAll(String stream, java.util.function.Consumer<StoredEvent> each) {
    return readAfter(stream, 0, each);
  }

  /**
   * Reads a stream's events after {@code position} in batches, handing each to {@code each};
   * returns the last sequence read ({@code position} when there was none).
   */
  public long readAfter(String stream, long position, java.util.function.Consumer<StoredEvent> each) {
    long last = position;
    List<StoredEvent> events;
    do {
      long after = last;
      events = call(() -> store.read(stream, after, READ_BATCH));
      for (StoredEvent e : events) {
        each.accept(e);
        last = e.sequence();
      }
    } while (events.size() == READ_BATCH);
    return last;
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

  public static FanGroupsException unavailable(RuntimeException e) {
    return new FanGroupsException(ErrorCode.STORE_UNAVAILABLE,
        "the group store failed; the outcome is unknown, retry with the same idempotency key", e);
  }
}
