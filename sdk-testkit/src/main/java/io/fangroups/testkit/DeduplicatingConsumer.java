package io.fangroups.testkit;

import io.fangroups.spi.EventPublisher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EventPublisher} that behaves as a consumer deduplicating on event ids would: it keeps
 * each id once, per group in the order first received, and counts deliveries that arrived ahead of
 * their group's next sequence. For tests of a store shared by several SDK instances, where every
 * instance's relay publishes to this one consumer: after the relays caught up, each group's
 * {@link #sequences} must be 1 to its last sequence and {@link #outOfOrder} zero.
 */
public final class DeduplicatingConsumer implements EventPublisher {
  // Guarded by this: every method is synchronized.
  private final Map<String, List<PublishedEvent>> byGroup = new HashMap<>();
  private final Set<String> seen = new HashSet<>();
  private int outOfOrder;

  /** An empty consumer. */
  public DeduplicatingConsumer() {}

  @Override
  public synchronized CompletionStage<Void> publish(PublishedEvent event) {
    List<PublishedEvent> log = byGroup.computeIfAbsent(event.groupId(), g -> new ArrayList<>());
    if (seen.add(event.eventId())) {
      if (event.sequence() != log.size() + 1) {
        outOfOrder++;
      }
      log.add(event);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The sequences of the group's events kept, in the order received. */
  public synchronized List<Long> sequences(String groupId) {
    return byGroup.getOrDefault(groupId, List.of()).stream().map(PublishedEvent::sequence).toList();
  }

  /** The group's events kept, in the order received. */
  public synchronized List<PublishedEvent> events(String groupId) {
    return List.copyOf(byGroup.getOrDefault(groupId, List.of()));
  }

  /** The ids of the group's events kept, in the order received. */
  public synchronized List<String> ids(String groupId) {
    return byGroup.getOrDefault(groupId, List.of()).stream().map(PublishedEvent::eventId).toList();
  }

  /** Deliveries of a new id that skipped ahead of their group's next sequence. */
  public synchronized int outOfOrder() {
    return outOfOrder;
  }

  /**
   * Waits until the group has at least {@code events} events kept, or {@code timeoutSeconds} passed;
   * returns whether it has them.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean await(String groupId, long events, long timeoutSeconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (sequences(groupId).size() < events) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }
}
