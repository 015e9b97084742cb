package io.fangroups.core.compat;

import io.fangroups.spi.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;

/**
 * One SDK instance's client of a limiter every instance shares, as SDK instances sharing a Redis
 * would hold: it delegates, and declares {@code sharedAcrossInstances()}.
 */
public record SharedLimiterClient(AttemptLimiter store) implements AttemptLimiter {
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
