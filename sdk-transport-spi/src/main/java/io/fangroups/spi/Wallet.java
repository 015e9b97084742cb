package io.fangroups.spi;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The host's payment system, as group red packets use it: two-phase transfers in the
 * pending/post/void model of ledgers. Sending a packet <em>holds</em> its amount from the sender's
 * account; each claim is <em>paid</em> from the hold to the claimer; what nobody claimed is
 * <em>released</em> back to the sender when the packet expires or its group is disbanded. Every
 * call carries a transfer id the SDK derives from the packet (and the claim), so a retry after a
 * timeout, a crash or a redelivery names the same transfer:
 * {@code rp/<packet>/hold}, {@code rp/<packet>/claim/<n>} (n from 1), {@code rp/<packet>/release}.
 *
 * <p>Contract (checked by {@code WalletCompatibilityKit}, rule numbers W-n):
 * <ol>
 *   <li><b>Hold</b> moves {@code amount} from the account's available balance into a hold named by
 *       its transfer id, atomically. When the account cannot cover it (or the host refuses it for
 *       any business reason: a frozen account, a limit) fail with {@link WalletDeclinedException}
 *       and move nothing. An available balance never goes negative.
 *   <li><b>Idempotent by transfer id.</b> A call repeating a transfer that already took effect, with
 *       the same fields, completes normally and moves nothing more. A declined hold records nothing:
 *       repeating it is a new attempt. A transfer id reused with different fields (another amount,
 *       account, currency or hold) fails with {@link IllegalArgumentException} and moves nothing.
 *       Holds, payments and releases share one space of ids: the kind of transfer is one of its
 *       fields. A repeat is recognised before anything else is checked, so it completes even when
 *       the hold no longer has what the transfer moved. Any call that failed records nothing (a
 *       declined hold, a payment or release refused under W-3 or W-4): repeating it is a new attempt.
 *   <li><b>Pay</b> moves {@code amount} from the hold to the payee's account, atomically. The hold's
 *       remaining amount never goes negative: a payment larger than what remains fails with
 *       {@link IllegalStateException} and moves nothing. A payment of a hold that does not exist
 *       fails (with {@link IllegalStateException}) and moves nothing; the SDK retries it. A payment
 *       or release in another currency than its hold's fails with {@link IllegalArgumentException}
 *       and moves nothing.
 *   <li><b>Release</b> moves {@code amount} from the hold back to the account it was held from,
 *       atomically, with the same rule as a payment for what remains. Releasing a part leaves the
 *       rest of the hold payable: the SDK releases the unclaimed remainder while a claim's payment
 *       may still be retried, in any order.
 *   <li><b>Release before hold.</b> A release naming a hold that does not exist yet records the
 *       release and moves nothing; a hold with that id arriving later is declined
 *       ({@link WalletDeclinedException}). The SDK releases a hold whose packet it could not record,
 *       and the hold call may still be in flight. A payment naming such a hold fails as for a hold
 *       that does not exist (W-3). A hold and a release of it racing end either way, never both:
 *       held and then released, or recorded as released and then declined.
 *   <li><b>Conservation.</b> Money is never made or lost: for every hold, paid + released never
 *       exceeds held, and the sum of all balances and holds changes only through the host's own
 *       deposits and withdrawals.
 *   <li><b>Concurrency.</b> Thread-safe. Concurrent calls with distinct transfer ids on one hold
 *       never overdraw it; concurrent calls with one transfer id take effect once. Where several
 *       processes share the wallet, the same holds across them.
 *   <li><b>Completion.</b> Complete the stage only when the transfer is durable (or was already);
 *       fail it to have the SDK retry. Every failure goes through the returned stage: "fail with"
 *       in these rules means the stage completes exceptionally with that exception; the methods
 *       do not throw for a transfer they refuse. The SDK waits for a hold (a send fails with
 *       {@code STORE_UNAVAILABLE} on a timeout and releases it); payments and releases are driven by
 *       the outbox relay in order per group, retried with backoff and parked after the relay's
 *       attempts (at once on {@link DeliveryRejectedException}), like any delivery.
 * </ol>
 */
public interface Wallet {

  /** Holds money for a packet from the sender's account (W-1, W-2, W-5). */
  CompletionStage<@Nullable Void> hold(Hold hold);

  /** Pays a claim from a hold (W-2, W-3). */
  CompletionStage<@Nullable Void> pay(Payment payment);

  /** Releases (part of) a hold back to the account it was held from (W-2, W-4, W-5). */
  CompletionStage<@Nullable Void> release(Release release);

  /**
   * Money held from an account.
   *
   * @param transferId the hold's id; payments and releases name it as their hold
   * @param account the account paying (the sender's user id)
   * @param amount in minor units (fen for CNY), positive
   * @param currency ISO 4217 code
   * @param memo what the money is for, for the host's statement (the packet and group); not part of identity
   */
  record Hold(String transferId, String account, long amount, String currency, String memo) {
    /** Checks the components. */
    public Hold {
      requireTransfer(transferId, amount, currency);
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(memo, "memo");
    }
  }

  /**
   * A claim paid from a hold.
   *
   * @param transferId the payment's id
   * @param holdId the hold paid from
   * @param account the account paid (the claimer's user id)
   * @param amount in minor units, positive
   * @param currency the hold's currency
   */
  record Payment(String transferId, String holdId, String account, long amount, String currency) {
    /** Checks the components. */
    public Payment {
      requireTransfer(transferId, amount, currency);
      Objects.requireNonNull(holdId, "holdId");
      Objects.requireNonNull(account, "account");
    }
  }

  /**
   * Part or all of a hold returned to the account it was held from.
   *
   * @param transferId the release's id
   * @param holdId the hold released from
   * @param amount in minor units, positive
   * @param currency the hold's currency
   */
  record Release(String transferId, String holdId, long amount, String currency) {
    /** Checks the components. */
    public Release {
      requireTransfer(transferId, amount, currency);
      Objects.requireNonNull(holdId, "holdId");
    }
  }

  private static void requireTransfer(String transferId, long amount, String currency) {
    Objects.requireNonNull(transferId, "transferId");
    Objects.requireNonNull(currency, "currency");
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive, got " + amount);
    }
  }
}
