package io.fangroups.core.event.internal;

import io.fangroups.core.GroupId;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.internal.Transfers;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.Wallet;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * What the wallet destination makes of a group's events: a claim's payment, a refund's release.
 * The hold is not here: a send waits for it before the packet is recorded.
 */
final class WalletCalls {
  private WalletCalls() {}

  /** The wallet call an event asks for; other events are skipped without being read. */
  static Optional<Call> of(WireFormat format, GroupId group, StoredEvent stored) {
    if (!stored.type().equals("RedPacketClaimed") && !stored.type().equals("RedPacketRefunded")) {
      return Optional.empty();
    }
    GroupEvent event = format.decode(group, stored);
    if (event.change() instanceof GroupChange.RedPacketClaimed c) {
      return Optional.of(wallet -> wallet.pay(new Wallet.Payment(Transfers.claim(c.packet(), c.number()),
          Transfers.hold(c.packet()), c.user().value(), c.amount(), c.currency())));
    }
    GroupChange.RedPacketRefunded r = (GroupChange.RedPacketRefunded) event.change();
    return Optional.of(wallet -> wallet.release(new Wallet.Release(Transfers.release(r.packet()), Transfers.hold(r.packet()),
        r.amount(), r.currency())));
  }

  /** One call to the wallet. */
  @FunctionalInterface
  interface Call {
    CompletionStage<?> on(Wallet wallet);
  }
}
