package io.fangroups.core.internal;

import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange;
import io.fangroups.spi.GroupStore.UniqueKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A command's decision on one group: read the state, emit changes, return a result. It runs under
 * the group's lock; the store applies the emitted changes only if it returns normally, so a
 * transition that throws leaves the group untouched.
 */
@FunctionalInterface
public interface Transition<R> {
  public R decide(GroupState state, Changes out);

  /** The changes a transition emits, applied in order after it returns. */
  public final class Changes {
    public record Emitted(Attribution attribution, GroupChange change) {}

    /** A companion stream written in the same atomic step, and what to do locally once it is. */
    public record Also(StoreAccess.Append append, Runnable onCommit) {}

    // Most commands emit one or two changes and nothing else: the lists are made when first needed.
    private List<Emitted> emitted = List.of();
    private List<Also> also = List.of();
    private List<UniqueKey> keys = List.of();

    public void emit(Attribution attribution, GroupChange change) {
      emitted = added(emitted, new Emitted(attribution, change));
    }

    /** Appends to another stream in the same atomic step as these changes (a passcode's use, a quota). */
    public void also(StoreAccess.Append append, Runnable onCommit) {
      also = added(also, new Also(append, onCommit));
    }

    /** Claims a key in the same atomic step as these changes. */
    public void claim(UniqueKey key) {
      keys = added(keys, key);
    }

    private static <T> List<T> added(List<T> list, T item) {
      List<T> to = list.isEmpty() ? new ArrayList<>(2) : list;
      to.add(item);
      return to;
    }

    /** The companion appends, in the order added; the caller must not change the list. */
    public List<Also> companions() {
      return also;
    }

    /** The keys claimed; the caller must not change the list. */
    public List<UniqueKey> keys() {
      return keys;
    }

    public int size() {
      return emitted.size();
    }

    /** The changes, in the order emitted; the caller must not change the list. */
    public List<Emitted> emitted() {
      return emitted;
    }
  }
}
