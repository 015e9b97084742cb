package io.fangroups.rules;

import java.util.List;

/** Unmodifiable lists from short buffers, on the explain path. */
final class Lists {
  private Lists() {}

  /**
   * An unmodifiable copy of a buffer without nulls. Explanations hold one or two reasons, steps and
   * paths most of the time; {@code List.of} keeps those without the two array copies
   * {@code List.copyOf} makes of an {@code ArrayList}, and {@code List.copyOf} keeps them as they are.
   */
  static <T> List<T> copyOf(List<T> buffer) {
    return switch (buffer.size()) {
      case 0 -> List.of();
      case 1 -> List.of(buffer.get(0));
      case 2 -> List.of(buffer.get(0), buffer.get(1));
      default -> List.copyOf(buffer);
    };
  }
}
