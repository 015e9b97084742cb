package io.fangroups.core.passcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PasscodesTest {

  @Test
  void alphabet_isCrockfordBase32() {
    assertThat(Passcodes.ALPHABET).hasSize(32).doesNotContain("I", "L", "O", "U");
    for (int i = 0; i < 32; i++) {
      assertThat(Passcodes.valueOf(Passcodes.ALPHABET.charAt(i))).isEqualTo(i);
    }
    assertThat(Passcodes.valueOf('o')).isZero();
    assertThat(Passcodes.valueOf('O')).isZero();
    assertThat(Passcodes.valueOf('i')).isEqualTo(1);
    assertThat(Passcodes.valueOf('L')).isEqualTo(1);
    assertThat(Passcodes.valueOf('U')).isEqualTo(-1);
    assertThat(Passcodes.valueOf('k')).isEqualTo(19);
  }

  @Test
  void times2_followsTheReductionPolynomial() {
    assertThat(Gf32Check.times2(1)).isEqualTo(2);
    assertThat(Gf32Check.times2(15)).isEqualTo(30);
    // 16·2 = x^5 ≡ x^2 + 1 = 0b00101
    assertThat(Gf32Check.times2(16)).isEqualTo(5);
    // 31·2 = 0b111110 xor 0b100101 = 0b011011
    assertThat(Gf32Check.times2(31)).isEqualTo(27);
  }

  /**
   * Vectors worked by hand: fold(interim, s) = 2·interim xor s, check = 2·fold.
   * <pre>
   * 000000000001: interim stays 0 through eleven zeros, then 0 xor 1 = 1; check 2·1 = 2 → "2"
   * 000000000010: ... 1, then 2·1 xor 0 = 2; check 2·2 = 4 → "4"
   * 7KQM3XP9VD2H: 7→7, K(19): 14^19=29, Q(23): 31^23=8, M(20): 16^20=4, 3: 8^3=11, X(29): 22^29=11,
   *               P(22): 22^22=0, 9: 0^9=9, V(27): 18^27=9, D(13): 18^13=31, 2: 27^2=25, H(17): 23^17=6;
   *               check 2·6 = 12 → "C"   (2·29 = 58 → 58 xor 37 = 31 etc. use the reduction)
   * </pre>
   */
  @Test
  void checkSymbol_knownAnswers() {
    assertThat(Passcodes.isValid("0000000000012")).isTrue();
    assertThat(Passcodes.isValid("0000000000104")).isTrue();
    assertThat(Passcodes.isValid("7KQM3XP9VD2HC")).isTrue();
    assertThat(Passcodes.isValid("ZZZZZZZZZZZZR")).isTrue();
    assertThat(Passcodes.isValid("ABCDEFGHZ")).isTrue(); // SHORT profile
    assertThat(Passcodes.isValid("7KQM3XP9VD2HD")).isFalse();
    assertThat(Passcodes.isValid("0000000000000")).isTrue(); // all zeros folds to 0, check 0
  }

  @Test
  void display_groupsByFourWithCheckInLastGroup() {
    assertThat(Passcodes.display("7KQM3XP9VD2HC")).isEqualTo("7KQM-3XP9-VD2HC");
    assertThat(Passcodes.display("ABCDEFGHZ")).isEqualTo("ABCD-EFGHZ");
    assertThatThrownBy(() -> Passcodes.display("7KQM3XP9VD2HD")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonical_readsTypedFormsWithAliases() {
    assertThat(Passcodes.canonical("7kqm-3xp9-vd2hc")).contains("7KQM3XP9VD2HC");
    assertThat(Passcodes.canonical("7KQM 3XP9 VD2HC")).contains("7KQM3XP9VD2HC");
    assertThat(Passcodes.canonical("OOOO-OOOO-OOO12")).contains("0000000000012");
    assertThat(Passcodes.canonical("0000-0000-000l2")).contains("0000000000012");
    assertThat(Passcodes.canonical("7KQM-3XP9-VD2HD")).isEmpty();
    assertThat(Passcodes.canonical("7KQM-3XP9-VD2H!")).isEmpty();
    assertThat(Passcodes.canonical(null)).isEmpty();
  }

  @Test
  void generate_producesValidCodesOfTheProfile() {
    Random random = new Random(42);
    for (int i = 0; i < 1000; i++) {
      String standard = Passcodes.generate(PasscodeProfile.STANDARD, Passcodes.defaultBlocklist(), random);
      String shortCode = Passcodes.generate(PasscodeProfile.SHORT, Passcodes.defaultBlocklist(), random);
      assertThat(standard).hasSize(13).matches(Passcodes::isValid);
      assertThat(shortCode).hasSize(9).matches(Passcodes::isValid);
    }
    assertThat(PasscodeProfile.STANDARD.entropyBits()).isEqualTo(60);
  }

  @Test
  void generate_neverContainsABlockedWord() {
    Blocklist blocklist = Blocklist.of(List.of("AB", "S0"));
    Random random = new Random(7);
    for (int i = 0; i < 5000; i++) {
      String code = Passcodes.generate(PasscodeProfile.STANDARD, blocklist, random);
      assertThat(code).doesNotContain("AB").doesNotContain("S0");
    }
    assertThat(Blocklist.of(List.of("so")).entries()).containsExactly("S0");
    assertThatThrownBy(() -> Blocklist.of(List.of("FUCK"))).isInstanceOf(IllegalArgumentException.class);
  }

  /** Every single substitution and every adjacent transposition of generated codes is caught. */
  @Test
  void check_catchesEverySubstitutionAndAdjacentTransposition() {
    Random random = new Random(2026);
    int variantsChecked = 0;
    for (int n = 0; n < 2000; n++) {
      PasscodeProfile profile = n % 2 == 0 ? PasscodeProfile.STANDARD : PasscodeProfile.SHORT;
      String code = Passcodes.generate(profile, Blocklist.none(), random);
      char[] chars = code.toCharArray();
      for (int i = 0; i < chars.length; i++) {
        for (char replacement : Passcodes.ALPHABET.toCharArray()) {
          if (replacement == chars[i]) {
            continue;
          }
          char[] changed = chars.clone();
          changed[i] = replacement;
          assertThat(Passcodes.isValid(new String(changed))).as("%s with %s at %d", code, replacement, i).isFalse();
          variantsChecked++;
        }
        if (i + 1 < chars.length && chars[i] != chars[i + 1]) {
          char[] swapped = chars.clone();
          swapped[i] = chars[i + 1];
          swapped[i + 1] = chars[i];
          assertThat(Passcodes.isValid(new String(swapped))).as("%s swapped at %d", code, i).isFalse();
          variantsChecked++;
        }
      }
    }
    assertThat(variantsChecked).isGreaterThan(2000 * 9 * 31);
  }

  /** The quasigroup property itself, over all 32^3 triples: (c*x)*y = (c*y)*x only when x = y. */
  @Test
  void quasigroup_isTotallyAntiSymmetric() {
    for (int c = 0; c < 32; c++) {
      for (int x = 0; x < 32; x++) {
        for (int y = 0; y < 32; y++) {
          if (x != y) {
            assertThat(Gf32Check.op(Gf32Check.op(c, x), y)).isNotEqualTo(Gf32Check.op(Gf32Check.op(c, y), x));
            assertThat(Gf32Check.op(c, x)).isNotEqualTo(Gf32Check.op(c, y));
            assertThat(Gf32Check.op(x, c)).isNotEqualTo(Gf32Check.op(y, c));
          }
        }
      }
    }
  }
}
