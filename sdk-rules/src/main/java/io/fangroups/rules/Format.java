package io.fangroups.rules;

/** Canonical text for numbers: integral values without a fraction, so 7.0 prints as 7. */
final class Format {
  // Explanations name small counts (days, levels, waits) on every call: share their text.
  private static final String[] SMALL = new String[1024];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = Integer.toString(i);
    }
  }

  private Format() {}

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return integer((long) value);
    }
    return Double.toString(value);
  }

  static String integer(long value) {
    return value >= 0 && value < SMALL.length ? SMALL[(int) value] : Long.toString(value);
  }
}
