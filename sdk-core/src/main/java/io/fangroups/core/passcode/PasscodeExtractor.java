package io.fangroups.core.passcode;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds passcodes in pasted text, however a chat app mangled it: full-width letters, lower case,
 * look-alikes from other scripts, invisible characters, other dashes and spaces.
 *
 * <p>Steps: NFKC; each character classified by {@link LookAlikes} (a table generated from
 * Unicode's confusables, {@code Dash} and {@code White_Space} data): a code symbol (Crockford
 * aliases O→0, I/L→1 included), a dash-like separator, white space, or other text; invisible and
 * format characters dropped. Then only what has a code's shape as displayed is a candidate:
 * <ul>
 *   <li>the code's symbols contiguous, with no symbol right before or after (a {@code SHORT}
 *       code's nine only after a marker or alone: nine letters together are often a word);
 *   <li>its display groups ({@code 7KQM-3XP9-VD2HC}) joined by dash-like separators, a group
 *       boundary being the only place a separator may be or be missing;
 *   <li>right after a marker such as {@code 群口令}, {@code 口令} or {@code passcode}, or as the
 *       whole paste, where spaces may join the groups too ({@code 群口令 7KQM 3XP9 VD2HC}).
 * </ul>
 * Letters joined across ordinary word spaces are never a candidate, and a window is never cut out
 * of a longer run of symbols. Candidates must pass the check symbol; marked ones come first, then
 * by position; at most {@value #MAX_CANDIDATES} are returned, so at most that many lookups are
 * spent on one paste. Never throws.
 */
public final class PasscodeExtractor {
  /** The most candidates one paste yields. */
  public static final int MAX_CANDIDATES = 3;
  /** Longer input is read only up to here. */
  public static final int MAX_INPUT_CHARS = 4096;

  /** 群口令, passcode and pass code end with these, so they are found too. */
  private static final String[] MARKERS = normalized("口令", "code", "暗号", "邀请码");
  /** What may stand between a marker and its code: separators, quotes, brackets, a colon, 是/为. */
  private static final String AFTER_MARKER = " -:\"'“”‘’「『【〖《〈([是为為";

  private PasscodeExtractor() {}

  /** Candidates of the {@link PasscodeProfile#STANDARD} profile, best first, canonical form. */
  public static List<String> extract(@Nullable String pasted) {
    return extract(pasted, PasscodeProfile.STANDARD);
  }

  /** Candidates of {@code profile}, best first, canonical form; empty for null or no code. */
  public static List<String> extract(@Nullable String pasted, PasscodeProfile profile) {
    if (pasted == null || pasted.isEmpty()) {
      return List.of();
    }
    if (profile == null) {
      throw new IllegalArgumentException("profile must not be null");
    }
    // Cut before and after NFKC: one character can expand to eighteen.
    String text = cut(normalize(cut(pasted)));
    Shape shape = new Shape(text, profile);
    Set<String> codes = new LinkedHashSet<>();
    if (isOnlyCode(text)) {
      shape.readFrom(firstSymbol(text), true, codes);
    }
    for (String marker : MARKERS) {
      for (int at = text.indexOf(marker); at >= 0 && codes.size() < MAX_CANDIDATES; at = text.indexOf(marker, at + 1)) {
        int start = at + marker.length();
        while (start < text.length() && AFTER_MARKER.indexOf(text.charAt(start)) >= 0) {
          start++;
        }
        shape.readFrom(start, true, codes);
      }
    }
    for (int i = 0; i < text.length() && codes.size() < MAX_CANDIDATES; i++) {
      if (isSymbol(text.charAt(i)) && (i == 0 || !isSymbol(text.charAt(i - 1)))) {
        shape.readFrom(i, false, codes);
      }
    }
    return List.copyOf(codes);
  }

  private static String cut(String s) {
    if (s.length() <= MAX_INPUT_CHARS) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(MAX_INPUT_CHARS - 1)) ? MAX_INPUT_CHARS - 1 : MAX_INPUT_CHARS;
    return s.substring(0, end);
  }

  static boolean isSymbol(char c) {
    return Passcodes.valueOf(c) >= 0;
  }

  private static boolean isSeparator(char c) {
    return c == LookAlikes.DASH || c == LookAlikes.SPACE;
  }

  /** Whether the text is nothing but symbols and separators: a code typed or pasted on its own. */
  private static boolean isOnlyCode(String text) {
    boolean symbol = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isSymbol(c)) {
        symbol = true;
      } else if (!isSeparator(c)) {
        return false;
      }
    }
    return symbol;
  }

  private static int firstSymbol(String text) {
    int i = 0;
    while (!isSymbol(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Reads one code's display shape from a position of the normalised text. */
  private static final class Shape {
    private final String text;
    private final int length;
    /** Bit {@code k} set: a display group ends after {@code k} symbols (4, 8, …, the length). */
    private final long groupEnds;
    private final int[] symbols;

    Shape(String text, PasscodeProfile profile) {
      this.text = text;
      this.length = profile.length();
      long ends = 1L << length;
      for (int k = 4; k < length - 1; k += 4) {
        ends |= 1L << k;
      }
      this.groupEnds = ends;
      this.symbols = new int[length];
    }

    /**
     * Adds the code that starts at {@code from} when the symbols there have the code's shape and
     * check symbol. Groups are joined by a dash-like separator, or also by spaces when
     * {@code spacesJoin}; every segment of symbols must end where a display group does.
     */
    void readFrom(int from, boolean spacesJoin, Set<String> into) {
      int count = 0;
      int segments = 0;
      int i = from;
      while (i < text.length() && isSymbol(text.charAt(i))) {
        segments++;
        while (i < text.length() && isSymbol(text.charAt(i))) {
          if (count == length) {
            return; // a longer run: never a window cut out of it
          }
          symbols[count++] = Passcodes.valueOf(text.charAt(i++));
        }
        if ((groupEnds & (1L << count)) == 0) {
          return;
        }
        if (count == length) {
          if (segments == 1 && !spacesJoin && length < PasscodeProfile.STANDARD.length()) {
            return; // nine letters together are an ordinary word (agreement, broadcast): grouped or marked only
          }
          if (Passcodes.checks(symbols, length)) {
            into.add(Passcodes.encode(symbols, length));
          }
          return;
        }
        boolean dash = false;
        int joint = i;
        while (i < text.length() && isSeparator(text.charAt(i))) {
          dash |= text.charAt(i++) == LookAlikes.DASH;
        }
        if (i == joint || !(dash || spacesJoin)) {
          return;
        }
      }
    }
  }

  private static String[] normalized(String... markers) {
    String[] out = new String[markers.length];
    for (int i = 0; i < markers.length; i++) {
      out[i] = normalize(markers[i]);
    }
    return out;
  }

  /**
   * Typed or pasted text in the form two texts are compared in, with the paste normalisation's first
   * steps and none of its code-specific ones: NFKC (full-width forms, compatibility characters),
   * invisible characters and white space dropped, lower case without locale rules. A red packet's
   * phrase is claimed when the claimer's text and the phrase are equal in this form.
   */
  public static String comparable(String text) {
    String nfkc = fastNfkc(text);
    if (nfkc == null) {
      nfkc = Normalizer.normalize(text, Normalizer.Form.NFKC);
    }
    StringBuilder out = new StringBuilder(nfkc.length());
    nfkc.codePoints().forEach(cp -> {
      if (!LookAlikes.isInvisible(cp) && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
    });
    return out.toString();
  }

  /**
   * NFKC, then each character as {@link LookAlikes} reads it: a canonical symbol, {@code '-'} for a
   * dash-like separator, {@code ' '} for white space, dropped when invisible, else unchanged.
   */
  static String normalize(String input) {
    char[] fast = new char[input.length()];
    int n = 0;
    for (int i = 0; i < input.length() && n >= 0; i++) {
      int c = fastNfkc(input.charAt(i));
      if (c < 0) {
        n = -1; // not the common paste: real NFKC below
      } else {
        char kind = LookAlikes.classify(c);
        if (kind == LookAlikes.OTHER) {
          fast[n++] = (char) c;
        } else if (kind != LookAlikes.INVISIBLE) {
          fast[n++] = kind;
        }
      }
    }
    if (n >= 0) {
      return new String(fast, 0, n);
    }
    String nfkc = Normalizer.normalize(input, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(nfkc.length());
    for (int i = 0; i < nfkc.length(); ) {
      int cp = nfkc.codePointAt(i);
      i += Character.charCount(cp);
      char kind = LookAlikes.classify(cp);
      if (kind == LookAlikes.OTHER) {
        out.appendCodePoint(cp);
      } else if (kind != LookAlikes.INVISIBLE) {
        out.append(kind);
      }
    }
    return out.toString();
  }

  /**
   * NFKC without the normalizer for the common paste: ASCII, full-width ASCII, the ideographic
   * space, CJK ideographs, kana and CJK punctuation, and zero-width characters. None of these
   * compose with a neighbour or decompose except the full-width forms and the ideographic space,
   * which map to ASCII. Null when the text has anything else; the caller then runs real NFKC.
   */
  static String fastNfkc(String input) {
    char[] out = new char[input.length()];
    for (int i = 0; i < out.length; i++) {
      int c = fastNfkc(input.charAt(i));
      if (c < 0) {
        return null;
      }
      out[i] = (char) c;
    }
    return new String(out);
  }

  /** One character's NFKC when it is one of the fast path's, else -1. */
  private static int fastNfkc(char c) {
    if (c < 0x80 || isNfkcStable(c)) {
      return c;
    } else if (c >= 0xFF01 && c <= 0xFF5E) {
      return c - 0xFEE0; // full-width ASCII
    } else if (c == 0x3000) {
      return ' '; // ideographic space
    }
    return -1;
  }


  private static boolean isNfkcStable(char c) {
    return (c >= 0x4E00 && c <= 0x9FFF) // CJK unified ideographs
        || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) // kana, without combining marks
        || c == 0x3001 || c == 0x3002 || (c >= 0x300C && c <= 0x3011) || c == 0x301C || c == 0x3030
        || c == 0x30FB || c == 0x30FC
        || (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
  }

}
