package io.fangroups.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fangroups.spi.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;

/**
 * The default {@link AttemptLimiter}: counters in this JVM on Caffeine, forgotten after 30 days
 * without an attempt. Several SDK instances in one JVM share it through their store; a cluster
 * needs a shared implementation.
 */
public final class InMemoryAttemptLimiter implements AttemptLimiter {
  private static final Duration IDLE_RETENTION = Duration.ofDays(30);

  /** One key's counters; guarded by its own monitor. */
  private static final class Counter {
    long windowIndex = Long.MIN_VALUE;
    long inWindow;
    long consecutive;
  }

  private final ConcurrentMap<String, Counter> counters;

  private InMemoryAttemptLimiter() {
    Cache<String, Counter> cache = Caffeine.newBuilder().expireAfterAccess(IDLE_RETENTION).build();
    this.counters = cache.asMap();
  }

  /** A new, empty limiter. */
  public static InMemoryAttemptLimiter create() {
    return new InMemoryAttemptLimiter();
  }

  @Override
  public AttemptCounts begin(String key, Duration window, Instant now) {
    Counter c = counters.computeIfAbsent(key, k -> new Counter());
    synchronized (c) {
      rollWindow(c, window, now);
      c.inWindow++;
      c.consecutive++;
      return new AttemptCounts(c.inWindow, c.consecutive);
    }
  }

  @Override
  public void succeeded(String key, Duration window, Instant now) {
    Counter c = counters.get(key);
    if (c == null) {
      return;
    }
    synchronized (c) {
      c.consecutive = 0;
    }
  }

  @Override
  public void reset(String key) {
    counters.remove(key);
  }

  private static void rollWindow(Counter c, Duration window, Instant now) {
    long index = Math.floorDiv(now.toEpochMilli(), window.toMillis());
    if (index != c.windowIndex) {
      c.windowIndex = index;
      c.inWindow = 0;
    }
  }
}
