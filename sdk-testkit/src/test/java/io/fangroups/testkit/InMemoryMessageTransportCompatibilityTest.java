package io.fangroups.testkit;

import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import java.util.List;

/** The reference transport, a deduplicating in-memory IM, keeps every rule. */
class InMemoryMessageTransportCompatibilityTest extends MessageTransportCompatibilityKit {
  private final DeduplicatingSink<OutgoingMessage> im =
      DeduplicatingSink.deduplicatingOn(OutgoingMessage::idempotencyKey);

  @Override
  protected MessageTransport newTransport() {
    return im::receive;
  }

  @Override
  protected List<OutgoingMessage> delivered() {
    return im.received();
  }

  @Override
  protected boolean supportsUnavailableHost() {
    return true;
  }

  @Override
  protected MessageTransport newTransportToUnavailableHost() {
    return DeduplicatingSink.unavailable(OutgoingMessage::idempotencyKey)::receive;
  }
}
