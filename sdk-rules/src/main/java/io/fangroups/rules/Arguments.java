package io.fangroups.rules;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Null checks at the public boundary: a null where none is meant is {@code INVALID_ARGUMENT}
 * naming the argument, never a NullPointerException from deeper down.
 */
final class Arguments {
  private Arguments() {}

  static <T> T notNull(@Nullable T value, String name) {
    if (value == null) {
      throw new RuleException(RuleException.Code.INVALID_ARGUMENT, null, name + " must not be null");
    }
    return value;
  }

  /** An unmodifiable copy (an unmodifiable list is kept as is), refusing a null collection or element. */
  static <T> List<T> listOf(@Nullable Collection<? extends @Nullable T> values, String name) {
    notNull(values, name);
    try {
      return List.copyOf(values);
    } catch (NullPointerException e) { // List.copyOf's answer to a null element; the list itself is not null
      throw nullElement(name);
    }
  }

  /** An unmodifiable copy as a set, refusing a null collection or element. */
  static <T> Set<T> setOf(@Nullable Collection<? extends @Nullable T> values, String name) {
    notNull(values, name);
    try {
      return Set.copyOf(values);
    } catch (NullPointerException e) { // Set.copyOf's answer to a null element; the collection itself is not null
      throw nullElement(name);
    }
  }

  /** An unmodifiable copy of varargs, refusing a null array or element. */
  @SafeVarargs
  static <T> List<T> listOf(String name, @Nullable T @Nullable ... values) {
    notNull(values, name);
    for (T value : values) {
      if (value == null) {
        throw nullElement(name);
      }
    }
    return List.of(values);
  }

  private static RuleException nullElement(String name) {
    return new RuleException(RuleException.Code.INVALID_ARGUMENT, null, "an element of " + name + " must not be null");
  }
}
