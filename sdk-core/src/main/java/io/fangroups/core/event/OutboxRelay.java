package io.fangroups.core.event;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import java.time.Duration;
import java.util.Optional;

/**
 * Moves committed events from the store's log (the outbox) to the host's {@code EventPublisher}
 * and, for messages and membership notices, to its {@code MessageTransport}. Per group it delivers
 * in sequence order, one at a time, and advances a cursor kept in the store only after a delivery
 * completed; a failed, thrown or timed-out delivery is retried with exponential backoff, so nothing
 * is lost and a restarted relay resumes where the last one stopped (at least once: consumers
 * deduplicate on the event id). Several relays on one store share the work: a group is drained by
 * one relay at a time.
 *
 * <p>{@link FanGroups.Builder#build()} starts it on background threads when a publisher or a
 * transport is configured (unless {@link FanGroups.Builder#startRelay(boolean)} says not to).
 */
public interface OutboxRelay extends AutoCloseable {

  /** Starts the background threads; starting twice is harmless. */
  void start();

  /** Stops the background threads, waiting briefly for deliveries under way; undelivered events stay in the outbox. */
  @Override
  void close();

  /**
   * One pass over every group on the calling thread, ignoring backoff: delivers what it can and
   * returns how many deliveries completed. For tests, tools and hosts that schedule the relay.
   */
  int drainOnce();

  /** How far behind the relay is. */
  Status status();

  /**
   * The relay's backlog.
   *
   * @param eventsBehind committed events not yet published
   * @param messagesBehind events whose message or notice is not yet delivered (or skipped)
   * @param failedAttempts deliveries that failed, threw or timed out since this relay was built
   * @param oldestPending when the oldest undelivered event was committed, if any
   */
  record Status(long eventsBehind, long messagesBehind, long failedAttempts, Optional<java.time.Instant> oldestPending) {
    /** Whether everything committed has been handed over. */
    public boolean caughtUp() {
      return eventsBehind == 0 && messagesBehind == 0;
    }
  }

  /**
   * Relay tuning.
   *
   * @param threads background threads that look for pending events, 1 to 16; deliveries themselves
   *     run asynchronously, at most one per group and destination at a time
   * @param deliveryTimeout how long one delivery may take before it counts as failed
   * @param initialBackoff the first retry delay of a group after a failure; it doubles per failure
   * @param maxBackoff the longest retry delay
   * @param pollInterval how often idle threads look for new events
   */
  record Options(int threads, Duration deliveryTimeout, Duration initialBackoff, Duration maxBackoff,
      Duration pollInterval) {
    /** 2 threads, 5 s timeout, backoff 100 ms doubling to 30 s, polling every 50 ms. */
    public static final Options DEFAULT = new Options(2, Duration.ofSeconds(5), Duration.ofMillis(100),
        Duration.ofSeconds(30), Duration.ofMillis(50));

    /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
    public Options {
      if (threads < 1 || threads > 16) {
        throw new IllegalArgumentException("threads must be 1 to 16, got " + threads);
      }
      for (Duration d : new Duration[] {deliveryTimeout, initialBackoff, maxBackoff, pollInterval}) {
        if (d == null || d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("relay durations must be positive");
        }
      }
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
      }
    }
  }
}
