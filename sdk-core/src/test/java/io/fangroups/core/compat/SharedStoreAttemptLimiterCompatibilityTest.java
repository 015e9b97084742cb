package io.fangroups.core.compat;

import io.fangroups.core.InMemoryAttemptLimiter;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.AttemptLimiterCompatibilityKit;
import java.time.Duration;
import java.time.Instant;

/**
 * Clients of one store, as SDK instances sharing a Redis would hold: the limiter declares
 * {@code sharedAcrossInstances()}, so the kit runs AL-10 too.
 */
class SharedStoreAttemptLimiterCompatibilityTest extends AttemptLimiterCompatibilityKit {
  private final AttemptLimiter store = InMemoryAttemptLimiter.create();

  @Override
  protected AttemptLimiter newLimiter() {
    return new StoreClient(store);
  }

  /** One SDK instance's client of the shared store. */
  private record StoreClient(AttemptLimiter store) implements AttemptLimiter {
    @Override
    public AttemptCounts begin(String key, Duration window, Instant now) {
      return store.begin(key, window, now);
    }

    @Override
    public void succeeded(String key, Duration window, Instant now) {
      store.succeeded(key, window, now);
    }

    @Override
    public void reset(String key) {
      store.reset(key);
    }

    @Override
    public boolean sharedAcrossInstances() {
      return true;
    }
  }
}
