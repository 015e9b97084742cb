package io.fangroups.testkit;

import io.fangroups.core.InMemoryAttemptLimiter;
import io.fangroups.spi.AttemptLimiter;

/** sdk-core's default limiter keeps the {@link AttemptLimiter} contract. */
class InMemoryAttemptLimiterCompatibilityTest extends AttemptLimiterCompatibilityKit {
  @Override
  protected AttemptLimiter newLimiter() {
    return InMemoryAttemptLimiter.create();
  }
}
