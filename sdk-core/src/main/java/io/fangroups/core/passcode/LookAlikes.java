package io.fangroups.core.passcode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * How the paste reader sees each character after NFKC: a code symbol, a separator, or neither.
 *
 * <p>The table ({@code look-alikes.txt} beside this class) is generated from Unicode's data by
 * {@code LookAlikeTableGenerator} in the tests: every character whose confusable skeleton
 * (UTS #39) is the skeleton of a code symbol, an alias (O, I, L) or their lower case reads as that
 * symbol ({@code б} as 6, {@code 〇} as 0, {@code Ϲ} as C); every {@code Dash} character and the
 * CJK separators {@code 、。・〜_./} read as a dash; every {@code White_Space} character as a space.
 * A test regenerates it and fails when it differs, so a Unicode update is one regeneration.
 */
final class LookAlikes {
  /** Not in the table: neither a symbol nor a separator. */
  static final char OTHER = 0;
  /** A dash-like separator, as displayed codes use between groups. */
  static final char DASH = '-';
  /** White space: separates words, so it joins groups only where a code is expected. */
  static final char SPACE = ' ';
  /** Invisible or format characters: dropped, so a code with a zero-width space in it still reads. */
  static final char INVISIBLE = '\u0001';

  static final String RESOURCE = "look-alikes.txt";

  private static final char[] BASIC = new char[0x10000];
  private static final int[] SUPPLEMENTARY_KEYS;
  private static final char[] SUPPLEMENTARY_CLASSES;

  static {
    TreeMap<Integer, Character> supplementary = new TreeMap<>();
    try (InputStream in = LookAlikes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the sdk-core jar");
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] fields = line.split(" ");
        char kind = classOf(fields[0]);
        for (int i = 1; i < fields.length; i++) {
          int codePoint = Integer.parseInt(fields[i], 16);
          if (codePoint < BASIC.length) {
            BASIC[codePoint] = kind;
          } else {
            supplementary.put(codePoint, kind);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int c = 0; c < BASIC.length; c++) {
      if (BASIC[c] == OTHER && isInvisible(c)) {
        BASIC[c] = INVISIBLE;
      }
    }
    SUPPLEMENTARY_KEYS = supplementary.keySet().stream().mapToInt(Integer::intValue).toArray();
    SUPPLEMENTARY_CLASSES = new char[SUPPLEMENTARY_KEYS.length];
    int i = 0;
    for (char kind : supplementary.values()) {
      SUPPLEMENTARY_CLASSES[i++] = kind;
    }
  }

  private LookAlikes() {}

  /** The class a table line names: a code symbol, {@code DASH} or {@code SPACE}. */
  static char classOf(String name) {
    return switch (name) {
      case "DASH" -> DASH;
      case "SPACE" -> SPACE;
      default -> {
        if (name.length() != 1 || Passcodes.ALPHABET.indexOf(name.charAt(0)) < 0) {
          throw new IllegalStateException("unknown class in " + RESOURCE + ": " + name);
        }
        yield name.charAt(0);
      }
    };
  }

  /**
   * The canonical symbol ({@code 0-9 A-Z} of {@link Passcodes#ALPHABET}) a character reads as,
   * {@link #DASH}, {@link #SPACE}, {@link #INVISIBLE}, or {@link #OTHER}.
   */
  static char classify(int codePoint) {
    if (codePoint < BASIC.length) {
      return BASIC[codePoint];
    }
    int i = Arrays.binarySearch(SUPPLEMENTARY_KEYS, codePoint);
    return i >= 0 ? SUPPLEMENTARY_CLASSES[i] : isInvisible(codePoint) ? INVISIBLE : OTHER;
  }

  /** Format and control characters (but line breaks and tabs), variation selectors, Hangul fillers. */
  static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    boolean lineBreakOrTab = cp == '\t' || cp == '\n' || cp == '\r';
    return type == Character.FORMAT || (type == Character.CONTROL && !lineBreakOrTab)
        || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164
        || cp == 0xFFA0 || (cp >= 0xE0100 && cp <= 0xE01EF);
  }
}
