package io.fangroups.core.passcode;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds passcodes in pasted text, however a chat app mangled it: full-width letters, lower case,
 * Cyrillic or Greek look-alikes, invisible characters, missing or odd separators.
 *
 * <p>Steps: NFKC; drop format and invisible characters; upper-case without locale rules (as
 * {@code Locale.ROOT}); map Cyrillic and Greek look-alikes to Latin; read Crockford symbols with the aliases O→0, I/L→1; let hyphens, dashes,
 * spaces, {@code ー} and {@code ・} join symbols into runs; slide a window of the code length over
 * each run and keep the windows whose check symbol is right. Windows that start and end on a run or
 * separator boundary come first, then those right after a marker such as {@code 群口令} or
 * {@code passcode}; at most {@value #MAX_CANDIDATES} are returned, so at most that many lookups are
 * spent on one paste. Never throws.
 */
public final class PasscodeExtractor {
  /** The most candidates one paste yields. */
  public static final int MAX_CANDIDATES = 3;
  /** Longer input is read only up to here. */
  public static final int MAX_INPUT_CHARS = 4096;

  private static final String[] MARKERS = {"群口令", "口令", "PASSCODE", "PASS CODE", "CODE", "暗号", "邀请码"};

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
    List<Window> windows = new ArrayList<>();
    int length = profile.length();
    int i = 0;
    while (i < text.length()) {
      if (Passcodes.valueOf(text.charAt(i)) < 0) {
        i++;
        continue;
      }
      Run run = Run.readFrom(text, i);
      for (int start = 0; start + length <= run.size(); start++) {
        if (Passcodes.checks(run.symbols, start, length)) {
          windows.add(new Window(run.code(start, length), run.alignment(start, length),
              followsMarker(text, run.positions[start]), run.positions[start]));
        }
      }
      i = run.end;
    }
    windows.sort(Comparator.comparingInt(Window::alignment).reversed()
        .thenComparing(Window::marked, Comparator.reverseOrder())
        .thenComparingInt(Window::position));
    Set<String> codes = new LinkedHashSet<>();
    for (Window w : windows) {
      codes.add(w.code());
      if (codes.size() == MAX_CANDIDATES) {
        break;
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

  private record Window(String code, int alignment, boolean marked, int position) {}

  /** Symbols joined by separators, with where each came from and whether a separator precedes it. */
  private static final class Run {
    final int[] symbols;
    final int[] positions;
    final boolean[] separatorBefore;
    final int count;
    final int end;

    private Run(int[] symbols, int[] positions, boolean[] separatorBefore, int count, int end) {
      this.symbols = symbols;
      this.positions = positions;
      this.separatorBefore = separatorBefore;
      this.count = count;
      this.end = end;
    }

    static Run readFrom(String text, int from) {
      // First find where the run ends and how many symbols it has, so arrays fit the run: many short
      // runs in a long paste then cost linear time, not quadratic.
      int count = 0;
      int end = from;
      while (end < text.length()) {
        char c = text.charAt(end);
        if (Passcodes.valueOf(c) >= 0) {
          count++;
        } else if (!isSeparator(c)) {
          break;
        }
        end++;
      }
      int[] symbols = new int[count];
      int[] positions = new int[count];
      boolean[] separatorBefore = new boolean[count + 1];
      int n = 0;
      boolean pendingSeparator = false;
      for (int i = from; i < end; i++) {
        char c = text.charAt(i);
        int v = Passcodes.valueOf(c);
        if (v >= 0) {
          separatorBefore[n] = pendingSeparator;
          symbols[n] = v;
          positions[n] = i;
          n++;
          pendingSeparator = false;
        } else {
          pendingSeparator = true;
        }
      }
      separatorBefore[count] = true; // the run's end is a boundary
      return new Run(symbols, positions, separatorBefore, count, end);
    }

    int size() {
      return count;
    }

    /** 2 when the window starts and ends on boundaries, 1 when on one side, 0 inside a longer run. */
    int alignment(int start, int length) {
      boolean atStart = start == 0 || separatorBefore[start];
      boolean atEnd = separatorBefore[start + length];
      return (atStart ? 1 : 0) + (atEnd ? 1 : 0);
    }

    String code(int start, int length) {
      int[] window = java.util.Arrays.copyOfRange(symbols, start, start + length);
      return Passcodes.encode(window, length);
    }
  }

  private static boolean followsMarker(String text, int position) {
    int i = position;
    while (i > 0 && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == ':' || text.charAt(i - 1) == '「')) {
      i--;
    }
    for (String marker : MARKERS) {
      if (text.startsWith(marker, i - marker.length()) && i - marker.length() >= 0) {
        return true;
      }
    }
    return false;
  }

  static boolean isSeparator(char c) {
    return c == '-' || c == ' ' || c == '\u2010' || c == '\u2011' || c == '\u2012' || c == '\u2013'
        || c == '\u2014' || c == '\u2015' || c == '\u2212' || c == '\u30FC' || c == '\u30FB' || c == '\u00B7'
        || c == '\t' || c == '\n' || c == '\r';
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
      if (!isInvisible(cp) && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)) {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
    });
    return out.toString();
  }

  /** NFKC, invisible characters dropped, upper case, look-alikes mapped to Latin. */
  static String normalize(String input) {
    String nfkc = fastNfkc(input);
    if (nfkc == null) {
      nfkc = Normalizer.normalize(input, Normalizer.Form.NFKC);
    }
    StringBuilder out = new StringBuilder(nfkc.length());
    nfkc.codePoints().forEach(cp -> {
      if (isInvisible(cp)) {
        return;
      }
      // Character.toUpperCase is locale-independent, the same as Locale.ROOT for one code point.
      out.appendCodePoint(LookAlikes.toLatinUpper(cp));
    });
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
      char c = input.charAt(i);
      if (c < 0x80 || isNfkcStable(c)) {
        out[i] = c;
      } else if (c >= 0xFF01 && c <= 0xFF5E) {
        out[i] = (char) (c - 0xFEE0); // full-width ASCII
      } else if (c == 0x3000) {
        out[i] = ' '; // ideographic space
      } else {
        return null;
      }
    }
    return new String(out);
  }

  private static boolean isNfkcStable(char c) {
    return (c >= 0x4E00 && c <= 0x9FFF) // CJK unified ideographs
        || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA) // kana, without combining marks
        || c == 0x3001 || c == 0x3002 || (c >= 0x300C && c <= 0x3011) || c == 0x30FB || c == 0x30FC
        || (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
  }

  private static boolean isInvisible(int cp) {
    int type = Character.getType(cp);
    boolean lineBreakOrTab = cp == '\t' || cp == '\n' || cp == '\r';
    return type == Character.FORMAT || (type == Character.CONTROL && !lineBreakOrTab)
        || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164
        || cp == 0xFFA0 || (cp >= 0xE0100 && cp <= 0xE01EF);
  }
}
