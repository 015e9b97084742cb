package io.fangroups.core.redpacket.internal;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.StoreAccess;
import io.fangroups.core.internal.Transfers;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.internal.format.StoreRecord.HoldStarted;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.UniqueKey;
import io.fangroups.spi.Wallet;
import io.fangroups.spi.WalletDeclinedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A send's hold in the wallet, from asking for it to the packet being recorded or the hold released.
 * The send writes an intent ({@link HoldStarted}, stream {@code rp-hold/<packet>}) before it asks the
 * wallet, and deletes it once the packet is recorded or the hold released. An intent older than the
 * wallet timeout plus {@link #ORPHAN_GRACE} belongs to a send that died: the sweep claims the
 * packet's key as voided (so the send, were it still running, cannot record the packet) and
 * releases the whole hold.
 */
final class Holds {
  private static final Logger log = LoggerFactory.getLogger(Holds.class);
  /** Streams of sends between asking the wallet and recording the packet. */
  static final String INTENTS = "rp-hold/";
  /** How old a send's intent must be, beyond the wallet timeout, before the sweep treats its send as dead. */
  static final Duration ORPHAN_GRACE = Duration.ofMinutes(2);

  private final StoreAccess access;
  private final Wallet wallet;
  private final Duration walletTimeout;

  Holds(StoreAccess access, Wallet wallet, Duration walletTimeout) {
    this.access = access;
    this.wallet = wallet;
    this.walletTimeout = walletTimeout;
  }

  /**
   * Writes the send's intent, then asks the wallet to hold the amount; returns the intent's stream.
   * A decline or a failure leaves nothing held (a failed hold is released) and throws.
   */
  String hold(HoldStarted started) {
    RedPacketId id = started.packet();
    String intent = INTENTS + id.value();
    if (!access.appendRecord(intent, 0, started)) {
      throw new IllegalStateException("id generator returned a used red packet id " + id);
    }
    Wallet.Hold hold = new Wallet.Hold(Transfers.hold(id), started.sender().value(), started.amount(), started.currency(),
        "red packet " + id + " in group " + started.group());
    try {
      wallet.hold(hold).toCompletableFuture().get(walletTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (WalletDeclinedException e) {
      declined(intent, e);
    } catch (ExecutionException | CompletionException e) {
      if (e.getCause() instanceof WalletDeclinedException declined) {
        declined(intent, declined);
      }
      failedHold(started, intent, e.getCause() != null ? e.getCause() : e);
    } catch (TimeoutException | RuntimeException e) {
      failedHold(started, intent, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failedHold(started, intent, e);
    }
    return intent;
  }

  private void declined(String intent, WalletDeclinedException e) {
    deleteIntent(intent);
    throw new FanGroupsException(ErrorCode.WALLET_DECLINED, "the wallet declined to hold the money: " + e.getMessage());
  }

  /** The hold may or may not have taken effect: release it (a release before the hold voids it) and fail. */
  private void failedHold(HoldStarted started, String intent, Throwable cause) {
    RedPacketId id = started.packet();
    releaseWhole(id, started.amount(), started.currency(), intent);
    throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "the wallet did not confirm the hold of red packet " + id
        + " within " + walletTimeout + "; nothing was sent, and any hold is released. Send again", cause);
  }

  /**
   * Releases the whole hold of a packet that was not recorded, and deletes the send's intent once
   * done; a release that fails leaves the intent for the sweep.
   */
  void releaseWhole(RedPacketId id, long amount, String currency, String intent) {
    try {
      wallet.release(new Wallet.Release(Transfers.release(id), Transfers.hold(id), amount, currency))
          .toCompletableFuture().get(walletTimeout.toMillis(), TimeUnit.MILLISECONDS);
      deleteIntent(intent);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("fangroups: releasing the hold of unsent red packet {} failed; the red-packet sweep retries it", id, e);
    }
  }

  void deleteIntent(String intent) {
    try {
      StoreAccess.run(() -> access.store.deleteStream(intent, 1));
    } catch (RuntimeException e) {
      log.debug("fangroups: deleting {} failed; the sweep deletes it", intent, e);
    }
  }

  /** Settles every intent older than the wallet timeout plus {@link #ORPHAN_GRACE}: its send died. */
  void releaseOrphans(Instant now) {
    access.forEachStream(INTENTS, intent -> {
      for (StoreRecord r : access.records(intent)) {
        if (r instanceof HoldStarted started && !now.isBefore(started.at().plus(walletTimeout).plus(ORPHAN_GRACE))) {
          settleOrphan(intent, started);
        }
      }
      return true;
    });
  }

  /** A send that died: its packet recorded (nothing to do) or voided now (release the whole hold). */
  private void settleOrphan(String intent, HoldStarted started) {
    String key = GroupRepository.RED_PACKET_KEY + started.packet().value();
    AppendResult voided = StoreAccess.call(() -> access.store.append(List.of(),
        List.of(new UniqueKey(key, GroupRepository.VOIDED))));
    boolean recorded = !voided.isAppended()
        && StoreAccess.call(() -> access.store.find(key)).filter(v -> !v.equals(GroupRepository.VOIDED)).isPresent();
    if (recorded) {
      deleteIntent(intent);
      return;
    }
    log.info("fangroups: releasing the hold of red packet {}, whose send did not finish", started.packet());
    releaseWhole(started.packet(), started.amount(), started.currency(), intent);
  }
}
