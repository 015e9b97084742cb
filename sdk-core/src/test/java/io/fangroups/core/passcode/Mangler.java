package io.fangroups.core.passcode;

import java.util.Random;

/** Mangles text the way chat apps and people do, each change chosen at random. */
final class Mangler {
  private static final String[] INVISIBLE = {"\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD"};
  private static final String[] SEPARATORS = {"-", " ", "—", "–", "ー", "・", "", "－", "\u3000"};
  private static final String LATIN = "ABEKMHOPCTX";
  private static final String CYRILLIC = "АВЕКМНОРСТХ";
  private static final String GREEK = "ΑΒΕΚΜΗΟΡCΤΧ"; // no Greek C: it stays Latin
  // Small letters imitate small letters: Greek η looks like n, not like the H its capital imitates.
  private static final String LATIN_SMALL = "aceijopsx";
  private static final String CYRILLIC_SMALL = "асеіјорѕх";
  private static final String GREEK_SMALL = "αceιjορsx";

  private Mangler() {}

  static String mangle(String text, Random random) {
    StringBuilder out = new StringBuilder();
    boolean fullWidth = random.nextBoolean();
    boolean lower = random.nextBoolean();
    String separator = SEPARATORS[random.nextInt(SEPARATORS.length)];
    for (char original : text.toCharArray()) {
      char c = lower ? Character.toLowerCase(original) : original;
      String piece;
      if (c == '-') {
        piece = separator;
      } else if (LATIN.indexOf(c) >= 0 && random.nextInt(3) == 0) {
        int i = LATIN.indexOf(c);
        piece = String.valueOf(random.nextBoolean() ? CYRILLIC.charAt(i) : GREEK.charAt(i));
      } else if (LATIN_SMALL.indexOf(c) >= 0 && random.nextInt(3) == 0) {
        int i = LATIN_SMALL.indexOf(c);
        piece = String.valueOf(random.nextBoolean() ? CYRILLIC_SMALL.charAt(i) : GREEK_SMALL.charAt(i));
      } else if (c == '0' && random.nextBoolean()) {
        piece = lower ? "o" : "O";
      } else if (c == '1' && random.nextBoolean()) {
        piece = random.nextBoolean() ? (lower ? "i" : "I") : "l";
      } else {
        piece = String.valueOf(c);
      }
      if (fullWidth && piece.length() == 1 && piece.charAt(0) > ' ' && piece.charAt(0) < 127) {
        piece = String.valueOf((char) (piece.charAt(0) - '!' + '\uFF01'));
      }
      out.append(piece);
      if (random.nextInt(5) == 0) {
        out.append(INVISIBLE[random.nextInt(INVISIBLE.length)]);
      }
    }
    return out.toString();
  }
}
