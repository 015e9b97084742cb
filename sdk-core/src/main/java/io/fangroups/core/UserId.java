package io.fangroups.core;

import io.fangroups.core.internal.Checks;

/**
 * Identifies a user: 1 to 128 characters of letters, digits and {@code - _ . : @}.
 *
 * @param value the id as text
 */
public record UserId(String value) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public UserId {
    Checks.id(value, "user id");
  }

  /** The id {@code value}; throws {@link ErrorCode#INVALID_ARGUMENT} when malformed. */
  public static UserId of(String value) {
    return new UserId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
