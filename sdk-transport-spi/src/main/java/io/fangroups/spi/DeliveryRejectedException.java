package io.fangroups.spi;

/**
 * Thrown by an {@link EventPublisher} or a {@link MessageTransport} (or used to fail the stage it
 * returned) to say that the host will never accept this item, so retrying it is pointless: a
 * message that breaks the host's content rules, an event its schema registry refuses. The SDK's
 * relay parks the delivery at once instead of retrying it, and goes on with the group's later
 * events; a parked delivery is kept until the host retries or drops it. Any other failure is
 * retried, and parked only after the relay's configured number of attempts.
 */
public class DeliveryRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A rejection saying why. */
  public DeliveryRejectedException(String message) {
    super(message);
  }

  /** A rejection saying why, with the failure that decided it. */
  public DeliveryRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
