package io.fangroups.core.passcode;

import java.util.List;
import java.util.Locale;

/**
 * Substrings no generated code may contain (offensive words, unlucky numbers). Entries are
 * compared in canonical form, so {@code "SO"} also blocks {@code "S0"}. A generated code that
 * matches is drawn again, which costs a little entropy; keep the list short.
 *
 * @param entries canonical substrings, 2 to 12 symbols each
 */
public record Blocklist(List<String> entries) {
  /** Validates and canonicalises the entries; {@link IllegalArgumentException} for one no code can contain. */
  public Blocklist {
    if (entries == null) {
      throw new IllegalArgumentException("entries must not be null");
    }
    entries = entries.stream().map(Blocklist::canonicalEntry).toList();
  }

  /** A blocklist of these words. */
  public static Blocklist of(List<String> words) {
    return new Blocklist(List.copyOf(words));
  }

  /** No blocked words. */
  public static Blocklist none() {
    return new Blocklist(List.of());
  }

  /** Whether a canonical code contains an entry. */
  public boolean matches(String canonicalCode) {
    for (String entry : entries) {
      if (canonicalCode.contains(entry)) {
        return true;
      }
    }
    return false;
  }

  private static String canonicalEntry(String word) {
    if (word == null || word.length() < 2 || word.length() > 12) {
      throw new IllegalArgumentException("blocklist entries need 2 to 12 symbols, got " + word);
    }
    StringBuilder out = new StringBuilder();
    for (char c : word.toUpperCase(Locale.ROOT).toCharArray()) {
      int v = Passcodes.valueOf(c);
      if (v < 0) {
        throw new IllegalArgumentException("blocklist entry '" + word + "' has a character no code can contain: " + c);
      }
      out.append(Passcodes.ALPHABET.charAt(v));
    }
    return out.toString();
  }
}
