package io.fangroups.core.passcode;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The server keys codes are hashed with: HMAC-SHA256(key, canonical code). New codes use the
 * current key; older keys stay to check codes made with them, so keys rotate without invalidating
 * live codes. Drop an old key once every code made with it has expired.
 */
public final class PasscodeKeys {
  private final Map<String, byte[]> keys;
  private final String current;

  private PasscodeKeys(Map<String, byte[]> keys, String current) {
    this.keys = keys;
    this.current = current;
  }

  /**
   * Keys by id, with the current one named.
   *
   * @throws IllegalArgumentException for fewer than 32 bytes in a key, a bad id, or an unknown current id
   */
  public static PasscodeKeys of(Map<String, byte[]> keys, String current) {
    Objects.requireNonNull(keys, "keys");
    Map<String, byte[]> copy = new LinkedHashMap<>();
    keys.forEach((id, secret) -> {
      if (id == null || !id.matches("[A-Za-z0-9_-]{1,32}")) {
        throw new IllegalArgumentException("key ids are 1 to 32 letters, digits, _ or -; got " + id);
      }
      if (secret == null || secret.length < 32) {
        throw new IllegalArgumentException("key " + id + " needs at least 32 bytes");
      }
      copy.put(id, secret.clone());
    });
    if (!copy.containsKey(current)) {
      throw new IllegalArgumentException("the current key " + current + " is not among the keys " + copy.keySet());
    }
    return new PasscodeKeys(Map.copyOf(copy), current);
  }

  /** One random 32-byte key with id {@code generated}: codes die with the process. */
  public static PasscodeKeys random() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return of(Map.of("generated", secret), "generated");
  }

  /** The id of the key new codes use. */
  public String currentId() {
    return current;
  }

  /** All key ids. */
  public Set<String> ids() {
    return keys.keySet();
  }

  /**
   * A copy of key {@code id}'s secret, or null for an unknown id: the SDK's HMAC of codes and the
   * sealing of stored results are keyed with it. The host gave it; it is not a secret from the host.
   */
  public byte @Nullable [] secret(String id) {
    byte[] secret = keys.get(id);
    return secret == null ? null : secret.clone();
  }
}
