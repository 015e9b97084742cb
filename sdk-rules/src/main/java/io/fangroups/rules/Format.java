package io.fangroups.rules;

/** Canonical text for numbers: integral values without a fraction, so 7.0 prints as 7. */
final class Format {
  private Format() {}

  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }
}
