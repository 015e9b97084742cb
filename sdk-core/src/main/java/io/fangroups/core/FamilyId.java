package io.fangroups.core;

import io.fangroups.core.internal.Checks;

/**
 * Identifies a family: 1 to 128 characters of letters, digits and {@code - _ . : @}.
 *
 * @param value the id as text
 */
public record FamilyId(String value) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public FamilyId {
    Checks.id(value, "family id");
  }

  /** The id {@code value}; throws {@link ErrorCode#INVALID_ARGUMENT} when malformed. */
  public static FamilyId of(String value) {
    return new FamilyId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
