package io.fangroups.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Hands committed group events to the host's event bus (Kafka, a webhook, a table …). The SDK's
 * outbox relay reads events from the store, where they were written in the same atomic step as the
 * change that caused them, and publishes them.
 *
 * <p>Contract:
 * <ol>
 *   <li>At least once: an event whose stage did not complete normally (failed, threw, or did not
 *       complete within the relay's timeout) is published again later, possibly after a restart.
 *       Consumers deduplicate on {@link PublishedEvent#eventId()}.
 *   <li>In order per group: the relay publishes a group's events one at a time in sequence order
 *       and never starts sequence n+1 before n completed. Different groups are independent. The one
 *       exception is a parked event (rule 5): the group goes on without it, and it arrives late if
 *       the host retries it.
 *   <li>Complete the stage only when the event is durably handed over; never when it was not.
 *       Publishing an event again must complete normally (not fail as a duplicate); any
 *       deduplication is on the event id only. {@code publish} returns without waiting for the bus.
 *   <li>Thread-safe: different groups may be published from different threads at once.
 *   <li>Rejection: throw, or fail the stage with, a {@link DeliveryRejectedException} (it may be
 *       wrapped in a {@code CompletionException} or {@code ExecutionException}) for an event the
 *       bus will never accept; the relay parks it at once (a copy is kept in the store until the host
 *       retries or drops it through the SDK's {@code OutboxRelay}) and publishes the group's later
 *       events. Any other failure or a timeout is retried with backoff, and the event is parked after
 *       the relay's {@code maxAttempts} failed attempts (10 unless configured).
 * </ol>
 */
@FunctionalInterface
public interface EventPublisher {

  /**
   * Publishes one event; complete the stage when it is handed over, fail it to have it retried, or
   * fail it with {@link DeliveryRejectedException} to have it parked (rule 5).
   */
  CompletionStage<@Nullable Void> publish(PublishedEvent event);

  /**
   * One group event as the host sees it.
   *
   * @param eventId stable id, {@code groupId/sequence}, for deduplication
   * @param groupId the group
   * @param sequence gapless per group, from 1
   * @param occurredAt when it was committed (the SDK clock)
   * @param type the change, e.g. {@code MemberJoined}
   * @param json the whole event as a JSON object: header, attribution and change fields
   */
  record PublishedEvent(String eventId, String groupId, long sequence, Instant occurredAt, String type, String json) {
    /** Checks the components are not null. */
    public PublishedEvent {
      Objects.requireNonNull(eventId, "eventId");
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(occurredAt, "occurredAt");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(json, "json");
    }
  }
}
