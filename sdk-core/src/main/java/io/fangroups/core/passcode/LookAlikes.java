package io.fangroups.core.passcode;

import java.util.HashMap;
import java.util.Map;

/**
 * Cyrillic and Greek letters that look like Latin ones. A few small letters imitate a different
 * Latin letter than their capitals (Greek ν looks like v, its capital Ν like N), so small letters
 * are looked up first, then the upper case of the letter.
 */
final class LookAlikes {
  private static final Map<Integer, Integer> SMALL = new HashMap<>();
  private static final Map<Integer, Integer> CAPITAL = new HashMap<>();

  static {
    map(SMALL, "νυωьѵ", "VUWBV");
    map(CAPITAL, "АВЕЗІЈКМНОРЅСТУХԌԚԜ", "ABE3IJKMHOPSCTYXGQW");
    map(CAPITAL, "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX");
  }

  private LookAlikes() {}

  private static void map(Map<Integer, Integer> into, String from, String to) {
    for (int i = 0; i < from.length(); i++) {
      into.put((int) from.charAt(i), (int) to.charAt(i));
    }
  }

  /** The Latin capital a character imitates, or its upper case. */
  static int toLatinUpper(int codePoint) {
    Integer small = SMALL.get(codePoint);
    if (small != null) {
      return small;
    }
    int upper = Character.toUpperCase(codePoint);
    return CAPITAL.getOrDefault(upper, upper);
  }
}
