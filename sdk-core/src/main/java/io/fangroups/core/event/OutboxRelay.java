package io.fangroups.core.event;

import io.fangroups.core.FanGroups;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Moves committed events from the store's log (the outbox) to the host's {@code EventPublisher}
 * and, for messages and membership notices, to its {@code MessageTransport}. Per group and
 * destination it reads events in batches ({@link Options#readBatch()}), delivers them one at a time
 * in sequence order, and advances a cursor kept in the store once a batch was delivered (or up to
 * just before a failed event); a failed, thrown or timed-out delivery is retried with exponential
 * backoff, so nothing is lost and a restarted relay resumes where the last one stopped (at least
 * once: consumers deduplicate on the event id). Several relays on one store share the work: a group
 * is delivered to a destination by one relay at a time.
 *
 * <p>The relay finds work through the store's change feed (groups with events appended since they
 * were last caught up), so a poll when nothing happened costs one store call however many groups
 * exist.
 *
 * <p><b>Dead letters.</b> A delivery the host refuses with {@code DeliveryRejectedException}, or
 * that failed {@link Options#maxAttempts()} times, is parked: a copy of the event is kept in the
 * store and the group's later events go on. {@link #parked}, {@link #retry} and {@link #drop} deal
 * with parked deliveries.
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
   * One pass over every group with new events, on the calling thread, ignoring backoff: delivers
   * what it can and returns how many deliveries completed (parked ones and skipped events are not
   * counted). For tests, tools and hosts that schedule the relay.
   */
  int drainOnce();

  /** How far behind the relay is. */
  Status status();

  /** The first {@code limit} (1 to 1,000) parked deliveries of this relay's destinations; see {@link #parked(ParkedDelivery, int)}. */
  default List<ParkedDelivery> parked(int limit) {
    return parked(null, limit);
  }

  /**
   * Up to {@code limit} (1 to 1,000) parked deliveries of this relay's destinations after
   * {@code after} (null: from the first), ordered by destination, group and sequence. Pass the last
   * one of a page to get the next.
   */
  List<ParkedDelivery> parked(@Nullable ParkedDelivery after, int limit);

  /**
   * Delivers a parked delivery now, on the calling thread, waiting at most the delivery timeout. When
   * the host accepts it, it is no longer parked and this returns true; this call is then the only one
   * that delivered it, even when several retry it at once. Returns false, and it stays parked, when
   * the host failed, threw or timed out; false too when it was no longer parked (retried or dropped
   * elsewhere). {@link IllegalArgumentException} when this relay has no such destination.
   */
  boolean retry(ParkedDelivery delivery);

  /** Deletes a parked delivery without delivering it, logging a warning that names the event; harmless when already gone. */
  void drop(ParkedDelivery delivery);

  /**
   * The relay's backlog.
   *
   * @param eventsBehind committed events not yet published
   * @param messagesBehind events whose message or notice is not yet delivered (or skipped)
   * @param failedAttempts deliveries that failed, threw or timed out since this relay was built
   * @param oldestPending when the oldest undelivered event was committed, if any
   * @param parked deliveries of this relay's destinations that are parked (not counted as behind)
   * @param walletBehind events the wallet has not caught up with (among them red-packet claims not yet
   *     paid and refunds not yet released); 0 before the first red packet on the store
   */
  record Status(long eventsBehind, long messagesBehind, long failedAttempts, Optional<Instant> oldestPending,
      long parked, long walletBehind) {
    /** Whether everything committed has been handed over (paid, released) or parked. */
    public boolean caughtUp() {
      return eventsBehind == 0 && messagesBehind == 0 && walletBehind == 0;
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
   * @param readBatch events read per store query, 1 to 10,000; the cursor moves once per batch
   * @param maxAttempts failed attempts of one delivery (by one relay) after which it is parked, 1 to 1,000
   */
  record Options(int threads, Duration deliveryTimeout, Duration initialBackoff, Duration maxBackoff,
      Duration pollInterval, int readBatch, int maxAttempts) {
    /** Events read per store query unless set. */
    public static final int DEFAULT_READ_BATCH = 500;
    /** Attempts before parking unless set. */
    public static final int DEFAULT_MAX_ATTEMPTS = 10;
    /** 2 threads, 5 s timeout, backoff 100 ms doubling to 30 s, polling every 50 ms, batches of 500, 10 attempts. */
    public static final Options DEFAULT = new Options(2, Duration.ofSeconds(5), Duration.ofMillis(100),
        Duration.ofSeconds(30), Duration.ofMillis(50));

    /** Validates the components: {@link IllegalArgumentException} naming the setting for a null or bad value. */
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
      if (readBatch < 1 || readBatch > 10_000) {
        throw new IllegalArgumentException("readBatch must be 1 to 10000, got " + readBatch);
      }
      if (maxAttempts < 1 || maxAttempts > 1_000) {
        throw new IllegalArgumentException("maxAttempts must be 1 to 1000, got " + maxAttempts);
      }
    }

    /** The given tuning with batches of {@value #DEFAULT_READ_BATCH} and {@value #DEFAULT_MAX_ATTEMPTS} attempts. */
    public Options(int threads, Duration deliveryTimeout, Duration initialBackoff, Duration maxBackoff,
        Duration pollInterval) {
      this(threads, deliveryTimeout, initialBackoff, maxBackoff, pollInterval, DEFAULT_READ_BATCH, DEFAULT_MAX_ATTEMPTS);
    }

    /** These options reading {@code events} per store query. */
    public Options withReadBatch(int events) {
      return new Options(threads, deliveryTimeout, initialBackoff, maxBackoff, pollInterval, events, maxAttempts);
    }

    /** These options parking a delivery after {@code attempts} failed attempts. */
    public Options withMaxAttempts(int attempts) {
      return new Options(threads, deliveryTimeout, initialBackoff, maxBackoff, pollInterval, readBatch, attempts);
    }
  }
}
