package io.fangroups.spi;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Delivers group messages through the host's IM: text, announcements, video and product cards
 * posted by members, and system notices ("X joined") the SDK writes for membership changes. The
 * host's IM addresses the group's conversation; it keeps that conversation's members in step with
 * the SDK's events.
 *
 * <p>Contract:
 * <ol>
 *   <li>At least once, deduplicated by the host on {@link OutgoingMessage#idempotencyKey()}: a
 *       message whose stage did not complete normally, or not within the relay's timeout, is sent
 *       again, possibly after a restart.
 *   <li>Complete the stage only when the IM accepted the message, never when it did not; sending a
 *       message again must complete normally. {@code deliver} returns without waiting for the IM.
 *   <li>In order per group, one at a time; a parked message (rule 5) is left behind and arrives late
 *       if the host retries it.
 *   <li>Thread-safe across groups.
 *   <li>Rejection: throw, or fail the stage with, a {@link DeliveryRejectedException} (it may be
 *       wrapped in a {@code CompletionException} or {@code ExecutionException}) for a message the IM
 *       will never accept (its content rules refuse it); the relay parks it at once (a copy is kept
 *       in the store, even if the group's messages are pruned, until the host retries or drops it
 *       through the SDK's {@code OutboxRelay}) and delivers the group's later messages. Any other
 *       failure or a timeout is retried with backoff, and the message is parked after the relay's
 *       {@code maxAttempts} failed attempts (10 unless configured).
 * </ol>
 */
@FunctionalInterface
public interface MessageTransport {

  /**
   * Delivers one message; complete the stage when the IM accepted it, fail it to have it retried, or
   * fail it with {@link DeliveryRejectedException} to have it parked (rule 5).
   */
  CompletionStage<@Nullable Void> deliver(OutgoingMessage message);

  /**
   * A message for one group's conversation.
   *
   * @param idempotencyKey stable per message: {@code groupId/sequence} of the event that carries it
   * @param groupId the group
   * @param sequence the carrying event's sequence number
   * @param senderId the member who posted it, or {@code "system"} for notices
   * @param kind {@code text}, {@code announcement}, {@code video_card}, {@code product_link} or {@code notice}
   * @param fields the kind's fields (body, title, url …) as text
   */
  record OutgoingMessage(String idempotencyKey, String groupId, long sequence, String senderId, String kind,
      Map<String, String> fields) {
    /** Checks the components are not null. */
    public OutgoingMessage {
      Objects.requireNonNull(idempotencyKey, "idempotencyKey");
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(senderId, "senderId");
      Objects.requireNonNull(kind, "kind");
      fields = Map.copyOf(fields);
    }
  }
}
