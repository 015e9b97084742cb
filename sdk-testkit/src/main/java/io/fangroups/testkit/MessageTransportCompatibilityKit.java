package io.fangroups.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link MessageTransport}, rules {@code MT-1} to {@code MT-7} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test, return the implementation under test and show what
 * the IM accepted:
 *
 * <pre>{@code
 * class TencentImTransportCompatibilityTest extends MessageTransportCompatibilityKit {
 *   @Override
 *   protected MessageTransport newTransport() {
 *     return new TencentImTransport(imSandbox.client());
 *   }
 *
 *   @Override
 *   protected List<OutgoingMessage> delivered() {
 *     return imSandbox.acceptedMessages(); // mapped back into OutgoingMessage
 *   }
 * }
 * }</pre>
 *
 * <p>The kit delivers to groups no other test uses and ignores other groups' messages in
 * {@link #delivered()}. MT-7 is skipped unless the adapter can make a transport to an unavailable
 * IM ({@link #supportsUnavailableHost()}).
 */
public abstract class MessageTransportCompatibilityKit {
  private DeliveryChecks<OutgoingMessage> checks;

  /** Creates the kit. */
  protected MessageTransportCompatibilityKit() {}

  /** The implementation under test; called once before each test. */
  protected abstract MessageTransport newTransport();

  /**
   * Every message the IM has accepted so far, in the order accepted. Duplicates may be listed or
   * not (an IM that deduplicates on {@code idempotencyKey}); the kit deduplicates on
   * {@code idempotencyKey} itself.
   */
  protected abstract List<OutgoingMessage> delivered();

  /** Whether the adapter can make a transport whose IM cannot take messages (MT-7). */
  protected boolean supportsUnavailableHost() {
    return false;
  }

  /** A transport whose IM cannot take messages: unreachable, or answering errors. */
  protected MessageTransport newTransportToUnavailableHost() {
    throw new UnsupportedOperationException("override with supportsUnavailableHost()");
  }

  /** How long the kit waits for a stage before calling it hung; a guard, never a performance check. */
  protected Duration hangGuard() {
    return Duration.ofSeconds(30);
  }

  @BeforeEach
  final void createTransport() {
    MessageTransport transport = Objects.requireNonNull(newTransport(), "newTransport() returned null");
    checks = new DeliveryChecks<>(new Messages(), "deliver", transport::deliver, this::delivered, hangGuard());
  }

  /** MT-1: once {@code deliver}'s stage completed normally, the IM has the message. */
  @Test
  @DisplayName("MT-1 the stage completes only when the IM accepted the message")
  void mt1_completesOnlyWhenAccepted() {
    checks.completesOnlyWhenHandedOver();
  }

  /** MT-2: the IM receives every field of the message as sent. */
  @Test
  @DisplayName("MT-2 the message arrives unchanged")
  void mt2_messageArrivesUnchanged() {
    checks.arrivesUnchanged();
  }

  /** MT-3: delivering a message again succeeds, and every copy has the same idempotency key and content. */
  @Test
  @DisplayName("MT-3 delivering again is safe: copies share the idempotencyKey")
  void mt3_deliveringAgainIsSafe() {
    checks.retryIsSafe();
  }

  /** MT-4: deduplication is on {@code idempotencyKey} only: messages equal in all else are all delivered. */
  @Test
  @DisplayName("MT-4 distinct messages are never merged")
  void mt4_distinctMessagesAreNeverMerged() {
    checks.distinctItemsAreNeverMerged();
  }

  /** MT-5: a group's messages delivered one at a time reach the IM in sequence order. */
  @Test
  @DisplayName("MT-5 in order per group")
  void mt5_inOrderPerGroup() {
    checks.keepsOrderPerGroup();
  }

  /** MT-6: groups delivered from several threads at once lose nothing and keep their order. */
  @Test
  @DisplayName("MT-6 thread-safe across groups")
  void mt6_threadSafeAcrossGroups() {
    checks.threadSafeAcrossGroups();
  }

  /** MT-7: when the IM cannot take the message, {@code deliver} never completes its stage normally. */
  @Test
  @DisplayName("MT-7 an unavailable IM is never acknowledged")
  void mt7_unavailableHostIsNeverAcknowledged() {
    assumeTrue(supportsUnavailableHost(), "the adapter cannot make an unavailable IM");
    MessageTransport transport = Objects.requireNonNull(newTransportToUnavailableHost(), "transport");
    checks.unavailableHostIsNeverAcknowledged(transport::deliver);
  }

  /** Messages as the relay makes them: keys {@code groupId/sequence}, fields with non-ASCII text. */
  private static final class Messages implements DeliveryChecks.Items<OutgoingMessage> {
    @Override
    public OutgoingMessage make(String groupId, long sequence) {
      return new OutgoingMessage(groupId + "/" + sequence, groupId, sequence, "owner", "product_link",
          Map.of("title", "唇膏 #" + sequence + " \"限量\"",
              "url", "https://shop.example/item/" + sequence + "?a=1&b=2",
              "priceCents", "3900",
              "coupon", "FANS10"));
    }

    @Override
    public String id(OutgoingMessage message) {
      return message.idempotencyKey();
    }

    @Override
    public String groupId(OutgoingMessage message) {
      return message.groupId();
    }

    @Override
    public long sequence(OutgoingMessage message) {
      return message.sequence();
    }
  }
}
