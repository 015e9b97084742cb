package io.fangroups.core.passcode;

import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The passcode format: Crockford Base32 symbols ({@code 0-9 A-Z} without I, L, O, U), a body of
 * random symbols and one check symbol ({@link Gf32Check}). Codes have three forms:
 * <ul>
 *   <li>canonical: the symbols only, upper case, e.g. {@code 7KQM3XP9VD2HC} — what is hashed and stored;
 *   <li>display: grouped by four with hyphens, the last group taking the check symbol,
 *       e.g. {@code 7KQM-3XP9-VD2HC};
 *   <li>typed: anything a person may enter; {@link #canonical(String)} reads it case-insensitively,
 *       with the aliases O→0 and I, L→1, ignoring hyphens and spaces.
 * </ul>
 */
public final class Passcodes {
  /** The 32 Crockford symbols in value order. */
  public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private static final int[] VALUES = new int[128];
  private static final SecureRandom SECURE = new SecureRandom();

  static {
    java.util.Arrays.fill(VALUES, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      VALUES[ALPHABET.charAt(i)] = i;
      VALUES[Character.toLowerCase(ALPHABET.charAt(i))] = i;
    }
    for (char c : new char[] {'O', 'o'}) {
      VALUES[c] = 0;
    }
    for (char c : new char[] {'I', 'i', 'L', 'l'}) {
      VALUES[c] = 1;
    }
  }

  private Passcodes() {}

  /** The symbol value of an ASCII character (aliases included), or -1. */
  static int valueOf(char c) {
    return c < 128 ? VALUES[c] : -1;
  }

  /** A new canonical code from {@link SecureRandom}, avoiding the blocklist. */
  public static String generate(PasscodeProfile profile, Blocklist blocklist) {
    return generate(profile, blocklist, SECURE);
  }

  /** A new canonical code from {@code random}; tests pass a seeded generator. */
  public static String generate(PasscodeProfile profile, Blocklist blocklist, RandomGenerator random) {
    int[] symbols = new int[profile.length()];
    while (true) {
      for (int i = 0; i < profile.bodyLength(); i++) {
        symbols[i] = random.nextInt(32);
      }
      symbols[profile.bodyLength()] = Gf32Check.checkSymbol(symbols, profile.bodyLength());
      String code = encode(symbols, symbols.length);
      if (!blocklist.matches(code)) {
        return code;
      }
    }
  }

  /** Whether {@code canonical} is a well-formed code of some profile with a correct check symbol. */
  public static boolean isValid(String canonical) {
    if (canonical == null || profileOf(canonical.length()).isEmpty()) {
      return false;
    }
    int[] symbols = new int[canonical.length()];
    for (int i = 0; i < symbols.length; i++) {
      char c = canonical.charAt(i);
      if (c >= 128 || ALPHABET.indexOf(c) < 0) {
        return false;
      }
      symbols[i] = VALUES[c];
    }
    return checks(symbols, symbols.length);
  }

  /** Whether the last of {@code length} symbols is the check symbol of the others. */
  static boolean checks(int[] symbols, int length) {
    return checks(symbols, 0, length);
  }

  /** Whether the window {@code [start, start + length)} ends with the check symbol of the rest. */
  static boolean checks(int[] symbols, int start, int length) {
    int interim = 0;
    for (int i = start; i < start + length - 1; i++) {
      interim = Gf32Check.op(interim, symbols[i]);
    }
    return Gf32Check.times2(interim) == symbols[start + length - 1];
  }

  /** The profile with this many symbols, if any. */
  public static Optional<PasscodeProfile> profileOf(int length) {
    for (PasscodeProfile p : PasscodeProfile.values()) {
      if (p.length() == length) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The grouped display form of a canonical code: {@code 7KQM-3XP9-VD2HC}. */
  public static String display(String canonical) {
    if (!isValid(canonical)) {
      throw new IllegalArgumentException("not a valid canonical passcode");
    }
    StringBuilder out = new StringBuilder(canonical.length() + 3);
    int groups = (canonical.length() - 1) / 4;
    for (int g = 0; g < groups; g++) {
      if (g > 0) {
        out.append('-');
      }
      int end = g == groups - 1 ? canonical.length() : (g + 1) * 4;
      out.append(canonical, g * 4, end);
    }
    return out.toString();
  }

  /**
   * The canonical form of a code a person typed: case-insensitive, O→0, I/L→1, hyphens and spaces
   * ignored. Empty when anything else is in it or the check symbol is wrong. For free text with
   * other words around the code use {@link PasscodeExtractor}.
   */
  public static Optional<String> canonical(String typed) {
    if (typed == null || typed.length() > 64) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder(13);
    for (int i = 0; i < typed.length(); i++) {
      char c = typed.charAt(i);
      if (c == '-' || c == ' ') {
        continue;
      }
      int v = valueOf(c);
      if (v < 0) {
        return Optional.empty();
      }
      out.append(ALPHABET.charAt(v));
    }
    String code = out.toString().toUpperCase(Locale.ROOT);
    return isValid(code) ? Optional.of(code) : Optional.empty();
  }

  static String encode(int[] symbols, int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET.charAt(symbols[i]);
    }
    return new String(chars);
  }

  /** The default blocklist: substrings no generated code may contain. */
  public static Blocklist defaultBlocklist() {
    return Blocklist.of(List.of("SEX", "ASS", "KKK", "NMSL", "TMD", "CNM", "SB", "WTF", "666", "444"));
  }
}
