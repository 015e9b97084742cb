package io.fangroups.core.redpacket;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.internal.Checks;

/**
 * Identifies a red packet: 1 to 128 characters of letters, digits and {@code - _ . : @}.
 *
 * @param value the id as text
 */
public record RedPacketId(String value) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public RedPacketId {
    Checks.id(value, "red packet id");
  }

  /** The id {@code value}; throws {@link ErrorCode#INVALID_ARGUMENT} when malformed. */
  public static RedPacketId of(String value) {
    return new RedPacketId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
