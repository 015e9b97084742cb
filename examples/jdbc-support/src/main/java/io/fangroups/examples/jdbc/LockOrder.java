package io.fangroups.examples.jdbc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The one order in which a store's transactions lock rows of one kind, so that two of them never wait
 * for each other in a cycle: by name, as {@link String#compareTo} sorts.
 */
public final class LockOrder {
  private LockOrder() {}

  /**
   * {@code items} sorted by {@code name}; an item named twice is refused with
   * {@link IllegalArgumentException} (one append names a stream or key once), {@code what} naming the kind.
   */
  public static <T> List<T> sortedDistinct(List<T> items, Function<T, String> name, String what) {
    List<T> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparing(name));
    for (int i = 1; i < sorted.size(); i++) {
      if (name.apply(sorted.get(i)).equals(name.apply(sorted.get(i - 1)))) {
        throw new IllegalArgumentException(
            "a " + what + " appears twice in one append: " + name.apply(sorted.get(i)));
      }
    }
    return sorted;
  }
}
