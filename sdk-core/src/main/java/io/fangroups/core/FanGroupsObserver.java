package io.fangroups.core;

/**
 * Hears what the SDK does, for metrics and tracing (the optional {@code sdk-micrometer} module
 * implements it). Set with {@link FanGroups.Builder#observer}; every method has a no-op default.
 *
 * <p>Called on the thread that ran the command, after it finished; keep it fast and never block. An
 * exception thrown here is logged and swallowed: an observer can never fail a command.
 */
public interface FanGroupsObserver {
  /** Outcome of a command that was not refused. */
  String OK = "ok";
  /** Outcome of a command that failed with something other than a {@link FanGroupsException}. */
  String FAILED = "failed";

  /**
   * A public command finished.
   *
   * @param command the command's name, e.g. {@code apply}, {@code redeemPasscode}, {@code claimRedPacket}
   * @param outcome {@link #OK}, the {@link ErrorCode} name it was refused with, or {@link #FAILED}
   * @param nanos how long it took, retries of a keyed command that replay a stored result included
   */
  default void commandCompleted(String command, String outcome, long nanos) {}

  /**
   * A passcode attempt was refused by the attempt limiter before any lookup.
   *
   * @param reason {@code limit} (too many attempts in the window), {@code locked} (too many
   *     consecutive failures) or {@code limiter_failed} (the limiter threw; refused to stay safe)
   */
  default void passcodeAttemptRefused(String reason) {}

  /** A passcode candidate was looked up; {@code found} whether a code with that digest exists. */
  default void passcodeLookedUp(boolean found) {}
}
