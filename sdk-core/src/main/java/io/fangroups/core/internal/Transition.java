package io.fangroups.core.internal;

import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange;
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

    private final List<Emitted> emitted = new ArrayList<>();
    private final List<Also> also = new ArrayList<>();
    private final List<io.fangroups.spi.GroupStore.UniqueKey> keys = new ArrayList<>();

    public void emit(Attribution attribution, GroupChange change) {
      emitted.add(new Emitted(attribution, change));
    }

    /** Appends to another stream in the same atomic step as these changes (a passcode's use, a quota). */
    public void also(StoreAccess.Append append, Runnable onCommit) {
      also.add(new Also(append, onCommit));
    }

    /** Claims a key in the same atomic step as these changes. */
    public void claim(io.fangroups.spi.GroupStore.UniqueKey key) {
      keys.add(key);
    }

    public List<Also> companions() {
      return List.copyOf(also);
    }

    public List<io.fangroups.spi.GroupStore.UniqueKey> keys() {
      return List.copyOf(keys);
    }

    public int size() {
      return emitted.size();
    }

    public List<Emitted> emitted() {
      return List.copyOf(emitted);
    }
  }
}
