package io.fangroups.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 of canonical codes under the server keys; one {@link Mac} per thread and key. */
final class PasscodeHasher {
  private static final HexFormat HEX = HexFormat.of();

  private final PasscodeKeys keys;
  private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

  PasscodeHasher(PasscodeKeys keys) {
    this.keys = keys;
  }

  PasscodeKeys keys() {
    return keys;
  }

  /** The lookup key of a code under one server key: {@code keyId:hex(hmac)}. */
  String digest(String keyId, String canonicalCode) {
    Mac mac = macs.get().computeIfAbsent(keyId, this::newMac);
    byte[] hmac = mac.doFinal(canonicalCode.getBytes(StandardCharsets.US_ASCII));
    return keyId + ":" + HEX.formatHex(hmac);
  }

  private Mac newMac(String keyId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keys.secret(keyId), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by the Java platform", e);
    }
  }
}
