package io.fangroups.core.internal;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Argument checks that fail with {@link ErrorCode#INVALID_ARGUMENT} instead of an NPE. */
public final class Checks {
  private Checks() {}

  public static FanGroupsException invalid(String message) {
    return new FanGroupsException(ErrorCode.INVALID_ARGUMENT, message);
  }

  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw invalid(name + " must not be null");
    }
    return value;
  }

  /** Ids: 1..128 characters of letters, digits and {@code - _ . : @}. */
  public static String id(String value, String name) {
    notNull(value, name);
    if (value.isEmpty() || value.length() > 128) {
      throw invalid(name + " must have 1 to 128 characters, got " + value.length());
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':' || c == '@';
      if (!ok) {
        throw invalid(name + " may contain only letters, digits and - _ . : @ (bad character at index " + i + ")");
      }
    }
    return value;
  }

  /** Human text: trimmed, 1..max code points, no control characters. */
  public static String text(String value, String name, int maxCodePoints) {
    return text(value, name, maxCodePoints, ErrorCode.INVALID_ARGUMENT, false);
  }

  /**
   * Human text: trimmed, 1..max code points, no control characters except newlines when
   * {@code newlines} allows them. Empty is {@link ErrorCode#INVALID_ARGUMENT}; longer than the
   * maximum is {@code overLong}.
   */
  public static String text(String value, String name, int maxCodePoints, ErrorCode overLong, boolean newlines) {
    notNull(value, name);
    String stripped = value.strip();
    int length = stripped.codePointCount(0, stripped.length());
    if (length == 0 || length > maxCodePoints) {
      throw new FanGroupsException(length == 0 ? ErrorCode.INVALID_ARGUMENT : overLong,
          name + " must have 1 to " + maxCodePoints + " characters after trimming, got " + length);
    }
    if (stripped.codePoints().anyMatch(c -> Character.isISOControl(c) && !(newlines && c == '\n'))) {
      throw invalid(name + " must not contain control characters" + (newlines ? " other than newlines" : ""));
    }
    // codePoints() yields an unpaired surrogate as itself; it would not survive UTF-8 encoding.
    if (stripped.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
      throw invalid(name + " must not contain unpaired surrogates");
    }
    // An override or isolate can make a name display as other text (U+202E reverses what follows).
    if (stripped.codePoints().anyMatch(Checks::isBidiControl)) {
      throw invalid(name + " must not contain bidirectional embedding, override or isolate controls"
          + " (U+202A to U+202E, U+2066 to U+2069)");
    }
    if (stripped.codePoints().allMatch(Checks::isInvisible)) {
      throw invalid(name + " must have a visible character; it has only invisible or blank ones");
    }
    return stripped;
  }

  public static boolean isBidiControl(int c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
  }

  /**
   * Characters that show nothing: format characters (zero-width space and joiners, BOM, marks such
   * as LRM, soft hyphen, tags), white space, variation selectors, the combining grapheme joiner,
   * Hangul and Khmer fillers, the Braille blank, the Mongolian vowel separator.
   */
  public static boolean isInvisible(int c) {
    int type = Character.getType(c);
    return type == Character.FORMAT || type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR || Character.isWhitespace(c)
        || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || c == 0x034F
        || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x17B4 || c == 0x17B5
        || c == 0x2800 || c == 0x180E;
  }

  public static Duration positive(Duration value, String name) {
    notNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw invalid(name + " must be positive, got " + value);
    }
    return value;
  }

  public static <T> List<T> noNulls(List<T> values, String name) {
    notNull(values, name);
    if (values.stream().anyMatch(Objects::isNull)) {
      throw invalid(name + " must not contain null");
    }
    return List.copyOf(values);
  }
}
