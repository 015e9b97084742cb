package io.fangroups.testkit;

import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.testkit.FlawedSenders.Host;
import io.fangroups.testkit.FlawedSenders.PartitionedById;
import io.fangroups.testkit.FlawedSenders.Sender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.UnaryOperator;
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

  /**
   * A broken EventPublisher in front of a correct host that deduplicates on the event id, as
   * consumers do, unless the twin brings its own host.
   */
  private abstract static class Twin extends EventPublisherCompatibilityKit {
    private final Host<PublishedEvent> host;
    private final UnaryOperator<Sender<PublishedEvent>> flaw;

    Twin(UnaryOperator<Sender<PublishedEvent>> flaw) {
      this(DeduplicatingSink.deduplicatingOn(PublishedEvent::eventId), flaw);
    }

    Twin(Host<PublishedEvent> host, UnaryOperator<Sender<PublishedEvent>> flaw) {
      this.host = host;
      this.flaw = flaw;
    }

    @Override
    protected EventPublisher newPublisher() {
      return flaw.apply(host::receive)::apply;
    }

    @Override
    protected List<PublishedEvent> delivered() {
      return host.received();
    }
  }

  /** Acknowledges at once and hands the event over on the next call, as a lingering producer. */
  @BrokenTwin
  static final class AcknowledgesBeforeHandover extends Twin {
    AcknowledgesBeforeHandover() {
      super(FlawedSenders::acknowledgesBeforeHandover);
    }
  }

  /** Pushes the JSON through ISO-8859-1, mangling the Chinese text. */
  @BrokenTwin
  static final class ReencodesJson extends Twin {
    ReencodesJson() {
      super(host -> FlawedSenders.changing(host, ReencodesJson::latin1));
    }

    private static PublishedEvent latin1(PublishedEvent e) {
      String json = new String(e.json().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
      return new PublishedEvent(e.eventId(), e.groupId(), e.sequence(), e.occurredAt(), e.type(), json);
    }
  }

  /** Fails the stage when it has published the id before, as a unique constraint would. */
  @BrokenTwin
  static final class RejectsResend extends Twin {
    RejectsResend() {
      super(host -> FlawedSenders.rejectsResend(host, PublishedEvent::eventId));
    }
  }

  /** Drops an event whose sequence number it has published before, in any group. */
  @BrokenTwin
  static final class DeduplicatesOnSequence extends Twin {
    DeduplicatesOnSequence() {
      super(host -> FlawedSenders.deduplicatesOn(host, PublishedEvent::sequence));
    }
  }

  /** A bus keyed by event id instead of group: a consumer reads the partitions one after another. */
  @BrokenTwin
  static final class PartitionsById extends Twin {
    PartitionsById() {
      super(new PartitionedById<>(PublishedEvent::eventId), UnaryOperator.identity());
    }
  }

  /** Completes the stage whatever the host said. */
  @BrokenTwin
  static final class FireAndForget extends Twin {
    FireAndForget() {
      super(FlawedSenders::fireAndForget);
    }

    @Override
    protected boolean supportsUnavailableHost() {
      return true;
    }

    @Override
    protected EventPublisher newPublisherToUnavailableHost() {
      Host<PublishedEvent> down = DeduplicatingSink.unavailable(PublishedEvent::eventId);
      return FlawedSenders.<PublishedEvent>fireAndForget(down::receive)::apply;
    }
  }
}
