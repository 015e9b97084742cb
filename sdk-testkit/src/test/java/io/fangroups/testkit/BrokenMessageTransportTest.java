package io.fangroups.testkit;

import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import io.fangroups.testkit.FlawedSenders.Host;
import io.fangroups.testkit.FlawedSenders.PartitionedById;
import io.fangroups.testkit.FlawedSenders.Sender;
import java.util.HashMap;
import java.util.List;
import java.util.function.UnaryOperator;
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

  /**
   * A broken MessageTransport in front of a correct IM that deduplicates on the idempotency key,
   * unless the twin brings its own host.
   */
  private abstract static class Twin extends MessageTransportCompatibilityKit {
    private final Host<OutgoingMessage> im;
    private final UnaryOperator<Sender<OutgoingMessage>> flaw;

    Twin(UnaryOperator<Sender<OutgoingMessage>> flaw) {
      this(DeduplicatingSink.deduplicatingOn(OutgoingMessage::idempotencyKey), flaw);
    }

    Twin(Host<OutgoingMessage> im, UnaryOperator<Sender<OutgoingMessage>> flaw) {
      this.im = im;
      this.flaw = flaw;
    }

    @Override
    protected MessageTransport newTransport() {
      return flaw.apply(im::receive)::apply;
    }

    @Override
    protected List<OutgoingMessage> delivered() {
      return im.received();
    }
  }

  /** Acknowledges at once and hands the message over on the next call. */
  @BrokenTwin
  static final class AcknowledgesBeforeHandover extends Twin {
    AcknowledgesBeforeHandover() {
      super(FlawedSenders::acknowledgesBeforeHandover);
    }
  }

  /** Leaves out a field it has no column for. */
  @BrokenTwin
  static final class DropsCoupon extends Twin {
    DropsCoupon() {
      super(im -> FlawedSenders.changing(im, DropsCoupon::withoutCoupon));
    }

    private static OutgoingMessage withoutCoupon(OutgoingMessage m) {
      Map<String, String> fields = new HashMap<>(m.fields());
      fields.remove("coupon");
      return new OutgoingMessage(m.idempotencyKey(), m.groupId(), m.sequence(), m.senderId(), m.kind(), fields);
    }
  }

  /** Fails the stage when it has sent the key before, as a unique constraint would. */
  @BrokenTwin
  static final class RejectsResend extends Twin {
    RejectsResend() {
      super(im -> FlawedSenders.rejectsResend(im, OutgoingMessage::idempotencyKey));
    }
  }

  /** Suppresses a message whose kind and fields it has sent before, as a spam filter would. */
  @BrokenTwin
  static final class DeduplicatesOnContent extends Twin {
    DeduplicatesOnContent() {
      super(im -> FlawedSenders.deduplicatesOn(im, m -> List.of(m.kind(), m.fields())));
    }
  }

  /** An IM queue sharded by idempotency key instead of group, read one shard after another. */
  @BrokenTwin
  static final class PartitionsByKey extends Twin {
    PartitionsByKey() {
      super(new PartitionedById<>(OutgoingMessage::idempotencyKey), UnaryOperator.identity());
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
    protected MessageTransport newTransportToUnavailableHost() {
      Host<OutgoingMessage> down = DeduplicatingSink.unavailable(OutgoingMessage::idempotencyKey);
      return FlawedSenders.<OutgoingMessage>fireAndForget(down::receive)::apply;
    }
  }
}
