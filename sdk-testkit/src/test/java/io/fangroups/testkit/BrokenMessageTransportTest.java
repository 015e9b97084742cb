package io.fangroups.testkit;

import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import io.fangroups.testkit.FlawedSenders.PartitionedById;
import io.fangroups.testkit.FlawedSenders.Sender;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transport kit catches each deliberately broken transport on the rules it breaks. */
class BrokenMessageTransportTest {

  @Test
  void acknowledgingBeforeTheImAccepted_isCaughtByMt1() {
    KitRun.assertCaughtOn(AcknowledgesBeforeHandover.class, "MT-1", "MT-2", "MT-4", "MT-5", "MT-6");
  }

  @Test
  void droppingAField_isCaughtByMt2() {
    KitRun.assertCaughtOn(DropsCoupon.class, "MT-2");
  }

  @Test
  void failingAResend_isCaughtByMt3() {
    KitRun.assertCaughtOn(RejectsResend.class, "MT-3");
  }

  @Test
  void deduplicatingOnContent_isCaughtByMt4() {
    KitRun.assertCaughtOn(DeduplicatesOnContent.class, "MT-4", "MT-6");
  }

  @Test
  void partitioningByKey_isCaughtByMt5() {
    KitRun.assertCaughtOn(PartitionsByKey.class, "MT-5", "MT-6");
  }

  @Test
  void fireAndForget_isCaughtByMt7() {
    KitRun.assertCaughtOn(FireAndForget.class, "MT-7");
  }

  /** A twin in front of a correct IM that deduplicates on the idempotency key. */
  private abstract static class Twin extends MessageTransportCompatibilityKit {
    private final DeduplicatingSink<OutgoingMessage> im =
        DeduplicatingSink.deduplicatingOn(OutgoingMessage::idempotencyKey);

    /** The broken transport, in front of {@code im}. */
    abstract Sender<OutgoingMessage> broken(Sender<OutgoingMessage> im);

    @Override
    protected MessageTransport newTransport() {
      return broken(im::receive)::apply;
    }

    @Override
    protected List<OutgoingMessage> delivered() {
      return im.received();
    }
  }

  @BrokenTwin
  static final class AcknowledgesBeforeHandover extends Twin {
    @Override
    Sender<OutgoingMessage> broken(Sender<OutgoingMessage> im) {
      return FlawedSenders.acknowledgesBeforeHandover(im);
    }
  }

  /** Leaves out a field it has no column for. */
  @BrokenTwin
  static final class DropsCoupon extends Twin {
    @Override
    Sender<OutgoingMessage> broken(Sender<OutgoingMessage> im) {
      return FlawedSenders.changing(im, m -> {
        Map<String, String> fields = new HashMap<>(m.fields());
        fields.remove("coupon");
        return new OutgoingMessage(m.idempotencyKey(), m.groupId(), m.sequence(), m.senderId(), m.kind(), fields);
      });
    }
  }

  @BrokenTwin
  static final class RejectsResend extends Twin {
    @Override
    Sender<OutgoingMessage> broken(Sender<OutgoingMessage> im) {
      return FlawedSenders.rejectsResend(im, OutgoingMessage::idempotencyKey);
    }
  }

  /** Suppresses a message whose kind and fields it has sent before, as a spam filter would. */
  @BrokenTwin
  static final class DeduplicatesOnContent extends Twin {
    @Override
    Sender<OutgoingMessage> broken(Sender<OutgoingMessage> im) {
      return FlawedSenders.deduplicatesOn(im, m -> List.of(m.kind(), m.fields()));
    }
  }

  @BrokenTwin
  static final class PartitionsByKey extends MessageTransportCompatibilityKit {
    private final PartitionedById<OutgoingMessage> im = new PartitionedById<>(OutgoingMessage::idempotencyKey);

    @Override
    protected MessageTransport newTransport() {
      return im::receive;
    }

    @Override
    protected List<OutgoingMessage> delivered() {
      return im.received();
    }
  }

  @BrokenTwin
  static final class FireAndForget extends Twin {
    @Override
    Sender<OutgoingMessage> broken(Sender<OutgoingMessage> im) {
      return FlawedSenders.fireAndForget(im);
    }

    @Override
    protected boolean supportsUnavailableHost() {
      return true;
    }

    @Override
    protected MessageTransport newTransportToUnavailableHost() {
      return broken(DeduplicatingSink.unavailable(OutgoingMessage::idempotencyKey)::receive)::apply;
    }
  }
}
