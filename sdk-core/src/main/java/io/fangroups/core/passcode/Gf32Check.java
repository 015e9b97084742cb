package io.fangroups.core.passcode;

/**
 * A Damm-style check symbol over GF(32). The quasigroup is {@code x * y = 2·x + y} in GF(2^5) with
 * the reduction polynomial x^5 + x^2 + 1; addition is XOR. It is totally anti-symmetric:
 * {@code (c*x)*y = (c*y)*x} gives {@code 2x + y = 2y + x}, so {@code x = y} (2 ≠ 1), hence every
 * adjacent transposition changes the result; and each row and column is a permutation, so every
 * single substitution does. The check symbol {@code k} makes the whole fold zero:
 * {@code fold * k = 0} gives {@code k = 2·fold}.
 */
final class Gf32Check {
  private static final int REDUCTION = 0b100101; // x^5 + x^2 + 1, irreducible over GF(2)

  private Gf32Check() {}

  /** Multiplication by 2 (that is, by x) in GF(32). */
  static int times2(int v) {
    int shifted = v << 1;
    return (shifted & 0b100000) != 0 ? shifted ^ REDUCTION : shifted;
  }

  /** The quasigroup operation. */
  static int op(int interim, int symbol) {
    return times2(interim) ^ symbol;
  }

  /** Folds the symbols from interim 0. */
  static int fold(int[] symbols, int length) {
    int interim = 0;
    for (int i = 0; i < length; i++) {
      interim = op(interim, symbols[i]);
    }
    return interim;
  }

  /** The check symbol for the first {@code length} symbols. */
  static int checkSymbol(int[] symbols, int length) {
    return times2(fold(symbols, length));
  }
}
