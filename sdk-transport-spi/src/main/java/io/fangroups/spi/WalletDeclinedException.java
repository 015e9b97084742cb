package io.fangroups.spi;

/**
 * Thrown by {@link Wallet#hold} (or used to fail its stage) when the host's payment system refuses
 * to hold the money: the balance does not cover it, the account is frozen, a limit is reached, or
 * the hold was released before it arrived. Nothing was held. The SDK refuses the red packet with
 * {@code WALLET_DECLINED} and this exception's message.
 */
public class WalletDeclinedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A decline saying why, in words the sender may be shown. */
  public WalletDeclinedException(String message) {
    super(message);
  }
}
