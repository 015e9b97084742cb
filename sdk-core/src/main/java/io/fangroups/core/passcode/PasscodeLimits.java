package io.fangroups.core.passcode;

import io.fangroups.core.ErrorCode;
import java.time.Duration;

/**
 * How many passcode attempts an identity gets: per fixed window, per user, device and IP address,
 * and a lock after a run of consecutive failed attempts per user. Every code looked up counts as
 * one attempt (a paste with three candidates costs three), and so does a paste with none; nothing
 * gives an attempt back. Only an admission ends a failure run; making new codes never resets a
 * count. See the README for the guessing bound these defaults give.
 *
 * @param window the window length
 * @param perUser attempts per user per window
 * @param perDevice attempts per device per window
 * @param perIp attempts per IP address per window
 * @param lockAfter consecutive failed attempts after which a user is refused until the host calls
 *     {@code resetPasscodeAttempts}
 */
public record PasscodeLimits(Duration window, int perUser, int perDevice, int perIp, int lockAfter) {

  /** 10 per user, 20 per device, 60 per address per hour; lock after 100 consecutive failures. */
  public static final PasscodeLimits DEFAULT = new PasscodeLimits(Duration.ofHours(1), 10, 20, 60, 100);

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public PasscodeLimits {
    if (window == null || window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("window must be 1 minute to 1 day, got " + window);
    }
    if (perUser < 1 || perDevice < 1 || perIp < 1 || lockAfter < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
