package io.fangroups.testkit.elsewhere;

import io.fangroups.core.InMemoryAttemptLimiter;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.AttemptLimiterCompatibilityKit;

/**
 * An adapter outside the kits' package, as every host's adapter is: the kit's package-private
 * test and lifecycle methods must still run from here.
 */
class AdapterInAnotherPackageTest extends AttemptLimiterCompatibilityKit {
  @Override
  protected AttemptLimiter newLimiter() {
    return InMemoryAttemptLimiter.create();
  }
}
