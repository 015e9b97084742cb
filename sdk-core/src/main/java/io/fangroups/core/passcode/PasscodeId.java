package io.fangroups.core.passcode;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.internal.Checks;

/**
 * Identifies a passcode record (not the code itself, which is never stored in the clear).
 *
 * @param value the id as text
 */
public record PasscodeId(String value) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public PasscodeId {
    Checks.id(value, "passcode id");
  }

  /** The id {@code value}; throws {@link ErrorCode#INVALID_ARGUMENT} when malformed. */
  public static PasscodeId of(String value) {
    return new PasscodeId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
