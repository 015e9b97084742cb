package io.fangroups.core.compat;

import io.fangroups.core.InMemoryAttemptLimiter;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.AttemptLimiterCompatibilityKit;

/** sdk-core's default limiter keeps the {@link AttemptLimiter} contract. */
class InMemoryAttemptLimiterCompatibilityTest extends AttemptLimiterCompatibilityKit {
  @Override
  protected AttemptLimiter newLimiter() {
    return InMemoryAttemptLimiter.create();
  }
}
