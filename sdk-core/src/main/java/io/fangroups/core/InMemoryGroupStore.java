package io.fangroups.core;

import io.fangroups.core.internal.MemoryGroupStore;
import io.fangroups.spi.GroupStore;

/**
 * The in-memory {@link GroupStore}: every stream, key, cursor and lease in this JVM's heap. Several
 * {@link FanGroups} instances built on one store behave as one service: the cap, the one-pending-
 * request rule and idempotency hold across them, and they share listeners.
 *
 * <p>Nothing survives a restart and streams grow without bound; it suits tests, demos and
 * single-node hosts. Obtain one with {@link #create()} and pass it to
 * {@link FanGroups.Builder#store(GroupStore)}.
 */
public interface InMemoryGroupStore extends GroupStore {

  /** A new, empty store. */
  static InMemoryGroupStore create() {
    return new MemoryGroupStore();
  }
}
