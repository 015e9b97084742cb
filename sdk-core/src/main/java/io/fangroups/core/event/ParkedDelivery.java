package io.fangroups.core.event;

import io.fangroups.core.GroupId;
import java.time.Instant;
import java.util.Objects;

/**
 * A delivery the relay gave up on: the host rejected it ({@code DeliveryRejectedException}) or it
 * failed the configured number of attempts. The store keeps a copy of the event, so it can be
 * retried even after the group's messages were pruned; see {@link OutboxRelay#retry} and
 * {@link OutboxRelay#drop}.
 *
 * @param destination {@code publisher} or {@code transport}
 * @param groupId the group
 * @param sequence the event's sequence in the group
 * @param type the event's type, e.g. {@code MessagePosted}
 * @param eventId the event's id, {@code groupId/sequence}: the publisher's {@code eventId} and the
 *     transport's {@code idempotencyKey}
 * @param attempts failed attempts before it was parked
 * @param lastError the last failure, as its class name and message
 * @param parkedAt when it was parked (the SDK clock)
 */
public record ParkedDelivery(String destination, GroupId groupId, long sequence, String type, String eventId,
    int attempts, String lastError, Instant parkedAt) {
  /** Checks the components are not null. */
  public ParkedDelivery {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(parkedAt, "parkedAt");
  }
}
