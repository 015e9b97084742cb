package io.fangroups.spi;

import java.util.Objects;

/** The name checks of {@link GroupStore}'s records. */
final class StoreNames {
  private StoreNames() {}

  static void check(String name, String what) {
    Objects.requireNonNull(name, what);
    if (name.isEmpty() || name.length() > GroupStore.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          what + " must be 1 to " + GroupStore.MAX_NAME_LENGTH + " characters, got " + name.length());
    }
  }
}
