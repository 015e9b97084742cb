package io.fangroups.core.compat;

import io.fangroups.core.InMemoryAttemptLimiter;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.AttemptLimiterCompatibilityKit;

/**
 * Clients of one store, as SDK instances sharing a Redis would hold: the limiter declares
 * {@code sharedAcrossInstances()}, so the kit runs AL-10 too.
 */
class SharedStoreAttemptLimiterCompatibilityTest extends AttemptLimiterCompatibilityKit {
  private final AttemptLimiter store = InMemoryAttemptLimiter.create();

  @Override
  protected AttemptLimiter newLimiter() {
    return new SharedLimiterClient(store);
  }
}
