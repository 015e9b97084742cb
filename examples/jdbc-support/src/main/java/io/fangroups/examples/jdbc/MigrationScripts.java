package io.fangroups.examples.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The versioned SQL scripts a store ships in its jar: reading one, and the checksum recorded when it is applied. */
public final class MigrationScripts {
  private MigrationScripts() {}

  /** The script at the absolute resource path {@code path}, read through {@code anchor}'s class loader, as UTF-8. */
  public static String read(Class<?> anchor, String path) {
    try (InputStream in = anchor.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("migration script missing from the jar: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read migration script " + path, e);
    }
  }

  /** The script's SHA-256 in lower-case hex: what a database records, so an edited script is noticed. */
  public static String sha256(String script) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
