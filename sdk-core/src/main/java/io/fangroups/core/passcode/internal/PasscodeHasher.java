package io.fangroups.core.passcode.internal;

import io.fangroups.core.passcode.PasscodeKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 of canonical codes under the server keys, one {@link Mac} per thread and key; seals for idempotency records. */
public final class PasscodeHasher {
  private static final HexFormat HEX = HexFormat.of();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final PasscodeKeys keys;
  private final ThreadLocal<Map<String, Mac>> macs = ThreadLocal.withInitial(HashMap::new);

  public PasscodeHasher(PasscodeKeys keys) {
    this.keys = keys;
  }

  public PasscodeKeys keys() {
    return keys;
  }

  /** The lookup key of a code under one server key: {@code keyId:hex(hmac)}. */
  public String digest(String keyId, String canonicalCode) {
    Mac mac = macs.get().computeIfAbsent(keyId, this::newMac);
    byte[] hmac = mac.doFinal(canonicalCode.getBytes(StandardCharsets.US_ASCII));
    return keyId + ":" + HEX.formatHex(hmac);
  }

  /**
   * A clear code sealed for an idempotency record: AES-256-GCM under a key derived from the current
   * server key, {@code keyId:base64(iv ‖ ciphertext)}, so the store never holds a usable code.
   */
  public String seal(String code) {
    String keyId = keys.currentId();
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealKey(keyId), new GCMParameterSpec(128, iv));
      byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + sealed.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(sealed, 0, out, iv.length, sealed.length);
      return keyId + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM is required by the Java platform", e);
    }
  }

  /** The code {@link #seal} sealed; {@link IllegalStateException} if it was not sealed under one of the keys. */
  public String open(String sealed) {
    int colon = sealed.lastIndexOf(':');
    String keyId = sealed.substring(0, Math.max(colon, 0));
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(colon + 1));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, sealKey(keyId), new GCMParameterSpec(128, in, 0, 12));
      return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("a sealed passcode in an idempotency record cannot be opened with key '"
          + keyId + "'", e);
    }
  }

  private SecretKeySpec sealKey(String keyId) {
    byte[] derived = macs.get().computeIfAbsent(keyId, this::newMac)
        .doFinal("fangroups idempotency seal".getBytes(StandardCharsets.US_ASCII));
    return new SecretKeySpec(derived, "AES");
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
