package io.fangroups.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's decision on one group: read the state, emit changes, return a result. It runs under
 * the group's lock; the store applies the emitted changes only if it returns normally, so a
 * transition that throws leaves the group untouched.
 */
@FunctionalInterface
interface Transition<R> {
  R decide(GroupState state, Changes out);

  /** The changes a transition emits, applied in order after it returns. */
  final class Changes {
    record Emitted(Attribution attribution, GroupChange change) {}

    private final List<Emitted> emitted = new ArrayList<>();

    void emit(Attribution attribution, GroupChange change) {
      emitted.add(new Emitted(attribution, change));
    }

    int size() {
      return emitted.size();
    }

    List<Emitted> drain() {
      List<Emitted> copy = List.copyOf(emitted);
      emitted.clear();
      return copy;
    }
  }
}
