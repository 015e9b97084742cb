package io.fangroups.core;

import io.fangroups.core.internal.Checks;

/**
 * Identifies a group: 1 to 128 characters of letters, digits and {@code - _ . : @}.
 *
 * @param value the id as text
 */
public record GroupId(String value) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public GroupId {
    Checks.id(value, "group id");
  }

  /** The id {@code value}; throws {@link ErrorCode#INVALID_ARGUMENT} when malformed. */
  public static GroupId of(String value) {
    return new GroupId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
