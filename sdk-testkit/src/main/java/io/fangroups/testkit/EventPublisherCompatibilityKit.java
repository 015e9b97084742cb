package io.fangroups.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link EventPublisher}, rules {@code EP-1} to {@code EP-7} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test, return the implementation under test and show what
 * the host side received:
 *
 * <pre>{@code
 * class KafkaEventPublisherCompatibilityTest extends EventPublisherCompatibilityKit {
 *   @Override
 *   protected EventPublisher newPublisher() {
 *     return new KafkaEventPublisher(producer, "fangroups-events");
 *   }
 *
 *   @Override
 *   protected List<PublishedEvent> delivered() {
 *     return topicReader.readToEnd("fangroups-events"); // decoded back into PublishedEvent
 *   }
 * }
 * }</pre>
 *
 * <p>The kit publishes events of groups no other test uses and ignores other groups' events in
 * {@link #delivered()}, so a shared bus needs no cleaning. EP-7 is skipped unless the adapter can
 * make a publisher to an unavailable host ({@link #supportsUnavailableHost()}).
 */
public abstract class EventPublisherCompatibilityKit {
  private static final Instant COMMITTED = Instant.parse("2026-03-01T10:00:00Z");

  private DeliveryChecks<PublishedEvent> checks;

  /** Creates the kit. */
  protected EventPublisherCompatibilityKit() {}

  /** The implementation under test; called once before each test. */
  protected abstract EventPublisher newPublisher();

  /**
   * Every event the host side has received so far, in the order received. Duplicates may be listed
   * (at-least-once) or not (a host that deduplicates on {@code eventId}); the kit deduplicates on
   * {@code eventId} itself. Read it from where the host's consumers read: the topic, the webhook
   * receiver, the table.
   */
  protected abstract List<PublishedEvent> delivered();

  /** Whether the adapter can make a publisher whose host cannot take events (EP-7). */
  protected boolean supportsUnavailableHost() {
    return false;
  }

  /** A publisher whose host cannot take events: the broker is down, the webhook answers 503. */
  protected EventPublisher newPublisherToUnavailableHost() {
    throw new UnsupportedOperationException("override with supportsUnavailableHost()");
  }

  /** How long the kit waits for a stage before calling it hung; a guard, never a performance check. */
  protected Duration hangGuard() {
    return Duration.ofSeconds(30);
  }

  @BeforeEach
  final void createPublisher() {
    EventPublisher publisher = Objects.requireNonNull(newPublisher(), "newPublisher() returned null");
    checks = new DeliveryChecks<>(new Events(), "publish", publisher::publish, this::delivered, hangGuard());
  }

  /** EP-1: once {@code publish}'s stage completed normally, the host has the event. */
  @Test
  @DisplayName("EP-1 the stage completes only when the event is handed over")
  void ep1_completesOnlyWhenHandedOver() {
    checks.completesOnlyWhenHandedOver();
  }

  /** EP-2: the host receives every field of the event as published. */
  @Test
  @DisplayName("EP-2 the event arrives unchanged")
  void ep2_eventArrivesUnchanged() {
    checks.arrivesUnchanged();
  }

  /** EP-3: publishing an event again succeeds, and every copy has the same {@code eventId} and content. */
  @Test
  @DisplayName("EP-3 publishing again is safe: copies share the eventId")
  void ep3_publishingAgainIsSafe() {
    checks.retryIsSafe();
  }

  /** EP-4: deduplication is on {@code eventId} only: events equal in all else are all delivered. */
  @Test
  @DisplayName("EP-4 distinct events are never merged")
  void ep4_distinctEventsAreNeverMerged() {
    checks.distinctItemsAreNeverMerged();
  }

  /** EP-5: a group's events published one at a time reach the host in sequence order. */
  @Test
  @DisplayName("EP-5 in order per group")
  void ep5_inOrderPerGroup() {
    checks.keepsOrderPerGroup();
  }

  /** EP-6: groups published from several threads at once lose nothing and keep their order. */
  @Test
  @DisplayName("EP-6 thread-safe across groups")
  void ep6_threadSafeAcrossGroups() {
    checks.threadSafeAcrossGroups();
  }

  /** EP-7: when the host cannot take the event, {@code publish} never completes its stage normally. */
  @Test
  @DisplayName("EP-7 an unavailable host is never acknowledged")
  void ep7_unavailableHostIsNeverAcknowledged() {
    assumeTrue(supportsUnavailableHost(), "the adapter cannot make an unavailable host");
    EventPublisher publisher = Objects.requireNonNull(newPublisherToUnavailableHost(), "publisher");
    checks.unavailableHostIsNeverAcknowledged(publisher::publish);
  }

  /** Events as the relay makes them: {@code groupId/sequence} ids, JSON with non-ASCII text. */
  private static final class Events implements DeliveryChecks.Items<PublishedEvent> {
    @Override
    public PublishedEvent make(String groupId, long sequence) {
      String json = "{\"type\":\"MemberJoined\",\"sequence\":" + sequence + ",\"user\":\"粉丝-" + sequence
          + "\",\"note\":\"line\\nbreak \\\"quoted\\\"\"}";
      return new PublishedEvent(groupId + "/" + sequence, groupId, sequence, COMMITTED.plusSeconds(sequence),
          "MemberJoined", json);
    }

    @Override
    public String id(PublishedEvent event) {
      return event.eventId();
    }

    @Override
    public String groupId(PublishedEvent event) {
      return event.groupId();
    }

    @Override
    public long sequence(PublishedEvent event) {
      return event.sequence();
    }
  }
}
