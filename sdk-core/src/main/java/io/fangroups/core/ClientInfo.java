package io.fangroups.core;

import io.fangroups.core.internal.Checks;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a passcode attempt comes from, for the per-device and per-IP attempt limits. The host fills
 * in what it knows; unknown parts are simply not limited.
 *
 * @param deviceId the host's device id, up to 128 characters
 * @param ipAddress the client's address as text, up to 64 characters
 */
public record ClientInfo(Optional<String> deviceId, Optional<String> ipAddress) {
  private static final ClientInfo UNKNOWN = new ClientInfo(Optional.empty(), Optional.empty());

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public ClientInfo {
    Checks.notNull(deviceId, "deviceId");
    Checks.notNull(ipAddress, "ipAddress");
    deviceId.ifPresent(d -> Checks.text(d, "deviceId", 128));
    ipAddress.ifPresent(ip -> Checks.text(ip, "ipAddress", 64));
  }

  /** A device and an address; either may be null when unknown. */
  public static ClientInfo of(@Nullable String deviceId, @Nullable String ipAddress) {
    return new ClientInfo(Optional.ofNullable(deviceId), Optional.ofNullable(ipAddress));
  }

  /** Nothing known about the client: only the per-user limit applies. */
  public static ClientInfo unknown() {
    return UNKNOWN;
  }
}
