package io.fangroups.core.content;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.internal.Checks;

/**
 * Identifies a group message: 1 to 128 characters of letters, digits and {@code - _ . : @}.
 *
 * @param value the id as text
 */
public record MessageId(String value) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public MessageId {
    Checks.id(value, "message id");
  }

  /** The id {@code value}; throws {@link ErrorCode#INVALID_ARGUMENT} when malformed. */
  public static MessageId of(String value) {
    return new MessageId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
