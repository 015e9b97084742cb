package io.fangroups.testkit;

import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import java.util.List;

/** The reference publisher, a deduplicating in-memory consumer, keeps every rule. */
class InMemoryEventPublisherCompatibilityTest extends EventPublisherCompatibilityKit {
  private final DeduplicatingSink<PublishedEvent> host = DeduplicatingSink.deduplicatingOn(PublishedEvent::eventId);

  @Override
  protected EventPublisher newPublisher() {
    return host::receive;
  }

  @Override
  protected List<PublishedEvent> delivered() {
    return host.received();
  }

  @Override
  protected boolean supportsUnavailableHost() {
    return true;
  }

  @Override
  protected EventPublisher newPublisherToUnavailableHost() {
    return DeduplicatingSink.unavailable(PublishedEvent::eventId)::receive;
  }
}
