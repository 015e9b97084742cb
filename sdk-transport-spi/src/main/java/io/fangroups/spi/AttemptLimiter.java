package io.fangroups.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts passcode attempts per identity (a user, a device, an IP address) so guessing is bounded.
 * The SDK calls {@link #begin} once per code it looks up, before the lookup, and refuses the
 * attempt when a count is over its limit; it calls {@link #succeeded} when a code admitted the user.
 *
 * <p>Contract:
 * <ol>
 *   <li>{@code begin} is atomic per key: N concurrent calls for one key return N distinct
 *       {@code inWindow} values, so a limit cannot be overshot by racing.
 *   <li>Windows are fixed: the window containing {@code now} starts at a multiple of
 *       {@code window} (in epoch milliseconds); a new window starts the window count at zero.
 *   <li>{@code consecutive} counts attempts since the last {@code succeeded} for the key and
 *       survives window changes; nothing but {@code succeeded} (or the host, out of band) lowers it.
 *   <li>{@code succeeded} sets consecutive to 0 and leaves the window count unchanged: every lookup
 *       stays counted, so a live code an attacker holds cannot buy more guesses. {@code succeeded}
 *       and {@code reset} on an unknown key do nothing.
 *   <li>Implementations may forget keys idle for longer than they document (at least one window).
 *   <li>Thread-safe; a cluster shares one implementation (e.g. on Redis) so limits hold across
 *       instances. Failures are thrown as unchecked exceptions; the SDK then refuses the attempt.
 * </ol>
 */
public interface AttemptLimiter {

  /** Counts one attempt for {@code key} and returns the counts including it. */
  AttemptCounts begin(String key, Duration window, Instant now);

  /** An attempt for {@code key} admitted the user: the run of consecutive failures ends. */
  void succeeded(String key, Duration window, Instant now);

  /**
   * Capability: whether the counts are shared by every SDK instance of the platform (a Redis or
   * database implementation) rather than held by one process. The SDK warns at start-up when it is
   * not, since each instance then grants its own limits. Default false.
   */
  default boolean sharedAcrossInstances() {
    return false;
  }

  /** Forgets every count for {@code key}: the host lifts a lock after checking the user. */
  void reset(String key);

  /**
   * Attempt counts for one key.
   *
   * @param inWindow attempts in the current window, this one included
   * @param consecutive attempts since the last success, this one included
   */
  record AttemptCounts(long inWindow, long consecutive) {}
}
