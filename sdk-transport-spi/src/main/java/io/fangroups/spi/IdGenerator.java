package io.fangroups.spi;

import java.util.UUID;

/**
 * Makes ids for groups, requests and families.
 *
 * <p>Contract: thread-safe; never returns the same id twice for the same kind, across every SDK
 * instance sharing a store and across restarts (ids of different kinds may coincide); ids are 1 to
 * 128 characters of ASCII letters, digits and {@code - _ . : @}. The SDK treats a repeated id
 * as a bug and fails the command with {@link IllegalStateException}.
 */
@FunctionalInterface
public interface IdGenerator {

  /**
   * A new id.
   *
   * @param kind a short prefix naming what the id is for: {@code "g"} group, {@code "r"} request,
   *     {@code "f"} family, {@code "p"} passcode, {@code "m"} message; implementations may ignore it
   */
  String newId(String kind);

  /** Random UUIDs (122 random bits from {@code SecureRandom}) with the kind as prefix, e.g. {@code g_3f2a…}. */
  static IdGenerator randomUuids() {
    return kind -> kind + "_" + UUID.randomUUID().toString().replace("-", "");
  }
}
