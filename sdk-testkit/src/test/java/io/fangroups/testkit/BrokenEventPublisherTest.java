package io.fangroups.testkit;

import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.testkit.FlawedSenders.PartitionedById;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publisher kit catches each deliberately broken publisher on the rules it breaks. */
class BrokenEventPublisherTest {

  @Test
  void acknowledgingBeforeHandover_isCaughtByEp1() {
    KitRun.assertCaughtOn(AcknowledgesBeforeHandover.class, "EP-1", "EP-2", "EP-4", "EP-5", "EP-6");
  }

  @Test
  void reencodedJson_isCaughtByEp2() {
    KitRun.assertCaughtOn(ReencodesJson.class, "EP-2");
  }

  @Test
  void failingAResend_isCaughtByEp3() {
    KitRun.assertCaughtOn(RejectsResend.class, "EP-3");
  }

  @Test
  void deduplicatingOnSequence_isCaughtByEp4() {
    KitRun.assertCaughtOn(DeduplicatesOnSequence.class, "EP-4", "EP-6");
  }

  @Test
  void partitioningById_isCaughtByEp5() {
    KitRun.assertCaughtOn(PartitionsById.class, "EP-5", "EP-6");
  }

  @Test
  void fireAndForget_isCaughtByEp7() {
    KitRun.assertCaughtOn(FireAndForget.class, "EP-7");
  }

  /** A correct host behind each twin: it deduplicates on the event id, as consumers do. */
  private abstract static class Twin extends EventPublisherCompatibilityKit {
    final DeduplicatingSink<PublishedEvent> host = DeduplicatingSink.deduplicatingOn(PublishedEvent::eventId);

    @Override
    protected List<PublishedEvent> delivered() {
      return host.received();
    }
  }

  @BrokenTwin
  static final class AcknowledgesBeforeHandover extends Twin {
    @Override
    protected EventPublisher newPublisher() {
      return FlawedSenders.<PublishedEvent>acknowledgesBeforeHandover(host::receive)::apply;
    }
  }

  /** Pushes the JSON through ISO-8859-1, mangling the Chinese text. */
  @BrokenTwin
  static final class ReencodesJson extends Twin {
    @Override
    protected EventPublisher newPublisher() {
      return FlawedSenders.<PublishedEvent>changing(host::receive, e -> new PublishedEvent(e.eventId(), e.groupId(),
          e.sequence(), e.occurredAt(), e.type(),
          new String(e.json().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)))::apply;
    }
  }

  @BrokenTwin
  static final class RejectsResend extends Twin {
    @Override
    protected EventPublisher newPublisher() {
      return FlawedSenders.<PublishedEvent>rejectsResend(host::receive, PublishedEvent::eventId)::apply;
    }
  }

  @BrokenTwin
  static final class DeduplicatesOnSequence extends Twin {
    @Override
    protected EventPublisher newPublisher() {
      return FlawedSenders.<PublishedEvent>deduplicatesOn(host::receive, PublishedEvent::sequence)::apply;
    }
  }

  @BrokenTwin
  static final class PartitionsById extends EventPublisherCompatibilityKit {
    private final PartitionedById<PublishedEvent> bus = new PartitionedById<>(PublishedEvent::eventId);

    @Override
    protected EventPublisher newPublisher() {
      return bus::receive;
    }

    @Override
    protected List<PublishedEvent> delivered() {
      return bus.received();
    }
  }

  @BrokenTwin
  static final class FireAndForget extends Twin {
    @Override
    protected EventPublisher newPublisher() {
      return FlawedSenders.<PublishedEvent>fireAndForget(host::receive)::apply;
    }

    @Override
    protected boolean supportsUnavailableHost() {
      return true;
    }

    @Override
    protected EventPublisher newPublisherToUnavailableHost() {
      return FlawedSenders.<PublishedEvent>fireAndForget(DeduplicatingSink.unavailable(PublishedEvent::eventId)::receive)
          ::apply;
    }
  }
}
