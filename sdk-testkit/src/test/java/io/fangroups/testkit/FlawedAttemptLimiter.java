package io.fangroups.testkit;

import io.fangroups.spi.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link AttemptLimiter} that is correct but for one {@link Flaw}, for the kit's broken twins;
 * with {@link Flaw#NONE} it keeps the whole contract. Public for the adapter in another package.
 */
public final class FlawedAttemptLimiter implements AttemptLimiter {
  /** The ways {@link FlawedAttemptLimiter} departs from the contract. */
  public enum Flaw {
    /** None: the limiter keeps every rule. */
    NONE,
    /** Reads the counts, lets other threads in, writes them back: concurrent attempts share a count. */
    NON_ATOMIC_BEGIN,
    /** A window starts at the first attempt after the previous one ended, not at a multiple of its length. */
    SLIDING_WINDOW,
    /** Windows are clock hours whatever {@code window} says. */
    HOURLY_WINDOWS_ONLY,
    /** A new window restarts the consecutive count too. */
    FORGETS_RUN_AT_WINDOW_CHANGE,
    /** {@code succeeded} gives the attempt back to the window (the behaviour review finding B1 removed). */
    SUCCEEDED_REFUNDS_WINDOW,
    /** {@code reset} clears only the window count. */
    RESET_KEEPS_RUN,
    /** Declares {@code sharedAcrossInstances()} while every instance counts on its own. */
    CLAIMS_SHARED_BUT_IS_NOT
  }

  /** One key's counts: the current window's start in epoch millis, the window count, the run. */
  private static final class Counts {
    long windowStart = Long.MIN_VALUE;
    long inWindow;
    long consecutive;
  }

  private final Flaw flaw;
  private final Map<String, Counts> byKey = new ConcurrentHashMap<>();

  public FlawedAttemptLimiter(Flaw flaw) {
    this.flaw = flaw;
  }

  @Override
  public AttemptCounts begin(String key, Duration window, Instant now) {
    Counts counts = byKey.computeIfAbsent(key, k -> new Counts());
    if (flaw == Flaw.NON_ATOMIC_BEGIN) {
      return count(counts, window, now);
    }
    synchronized (counts) {
      return count(counts, window, now);
    }
  }

  private AttemptCounts count(Counts counts, Duration window, Instant now) {
    long millis = now.toEpochMilli();
    long length = flaw == Flaw.HOURLY_WINDOWS_ONLY ? Duration.ofHours(1).toMillis() : window.toMillis();
    boolean sliding = flaw == Flaw.SLIDING_WINDOW;
    long start = sliding ? millis : Math.floorDiv(millis, length) * length;
    boolean newWindow = sliding ? counts.windowStart == Long.MIN_VALUE || millis >= counts.windowStart + length
        : start != counts.windowStart;
    if (newWindow) {
      counts.windowStart = start;
      counts.inWindow = 0;
      if (flaw == Flaw.FORGETS_RUN_AT_WINDOW_CHANGE) {
        counts.consecutive = 0;
      }
    }
    long inWindow = counts.inWindow + 1;
    long consecutive = counts.consecutive + 1;
    if (flaw == Flaw.NON_ATOMIC_BEGIN) {
      Thread.yield();
    }
    counts.inWindow = inWindow;
    counts.consecutive = consecutive;
    return new AttemptCounts(inWindow, consecutive);
  }

  @Override
  public void succeeded(String key, Duration window, Instant now) {
    Counts counts = byKey.get(key);
    if (counts == null) {
      return;
    }
    synchronized (counts) {
      counts.consecutive = 0;
      if (flaw == Flaw.SUCCEEDED_REFUNDS_WINDOW) {
        counts.inWindow = Math.max(0, counts.inWindow - 1);
      }
    }
  }

  @Override
  public boolean sharedAcrossInstances() {
    return flaw == Flaw.CLAIMS_SHARED_BUT_IS_NOT;
  }

  @Override
  public void reset(String key) {
    if (flaw != Flaw.RESET_KEEPS_RUN) {
      byKey.remove(key);
      return;
    }
    Counts counts = byKey.get(key);
    if (counts != null) {
      synchronized (counts) {
        counts.inWindow = 0;
      }
    }
  }
}
