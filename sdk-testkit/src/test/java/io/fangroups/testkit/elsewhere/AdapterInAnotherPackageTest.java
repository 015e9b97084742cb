package io.fangroups.testkit.elsewhere;

import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.AttemptLimiterCompatibilityKit;
import io.fangroups.testkit.FlawedAttemptLimiter;

/**
 * An adapter outside the kits' package, as every host's adapter is: the kit's package-private
 * test and lifecycle methods must still run from here. Its limiter has no flaw, so every rule passes.
 */
class AdapterInAnotherPackageTest extends AttemptLimiterCompatibilityKit {
  @Override
  protected AttemptLimiter newLimiter() {
    return new FlawedAttemptLimiter(FlawedAttemptLimiter.Flaw.NONE);
  }
}
