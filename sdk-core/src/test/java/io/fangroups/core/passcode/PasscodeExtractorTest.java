package io.fangroups.core.passcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PasscodeExtractorTest {
  private static final String CODE = "7KQM3XP9VD2HC";

  @Test
  void extract_findsCodeInTheShareText() {
    String zh = "复制这条消息，打开App申请加入「小鹿的粉丝2群」 群口令 7KQM-3XP9-VD2HC";
    assertThat(PasscodeExtractor.extract(zh)).first().isEqualTo(CODE);
    String en = "Copy this message and open the app to join \"Xiaolu fans 2\" with passcode 7KQM-3XP9-VD2HC";
    assertThat(PasscodeExtractor.extract(en)).first().isEqualTo(CODE);
  }

  @Test
  void extract_survivesChatAppMangling() {
    List<String> mangled = List.of(
        "群口令 ７ＫＱＭ－３ＸＰ９－ＶＤ２ＨＣ",              // full-width
        "群口令 7kqm-3xp9-vd2hc",                          // lower case
        "群口令 7KQМ-3XР9-VD2НС",                          // Cyrillic М, Р, Н, С
        "群口令 7ΚQΜ-3XΡ9-VD2ΗC",                          // Greek Κ, Μ, Ρ, Η
        "群口令 7KQM3XP9VD2HC",                            // no separators
        "群口令 7KQM 3XP9 VD2HC",                          // spaces
        "群口令 7KQM—3XP9—VD2HC",                          // em dashes
        "群口令 7KQMー3XP9・VD2HC",                         // katakana long mark and middle dot
        "群口令 7K\u200BQM-3XP9-\u2060VD2HC\uFEFF",        // invisible characters
        "群口令7KQM-3XP9-VD2HC复制打开",                     // glued to Chinese
        "passcode:\n7KQM-3XP9-VD2HC");
    for (String text : mangled) {
      assertThat(PasscodeExtractor.extract(text)).as(text).contains(CODE);
    }
  }

  @Test
  void extract_readsCrockfordAliases() {
    assertThat(PasscodeExtractor.extract("code OOOO-OOOO-OOOl2")).contains("0000000000012");
  }

  @Test
  void extract_nothingOrNull_yieldsNoCandidate() {
    assertThat(PasscodeExtractor.extract(null)).isEmpty();
    assertThat(PasscodeExtractor.extract("")).isEmpty();
    assertThat(PasscodeExtractor.extract("小鹿的粉丝群欢迎你")).isEmpty();
    assertThat(PasscodeExtractor.extract("群口令 7KQM-3XP9-VD2HD")).doesNotContain("7KQM3XP9VD2HD");
  }

  @Test
  void extract_shortProfile_onlyWhenAsked() {
    assertThat(PasscodeExtractor.extract("code ABCD-EFGHZ", PasscodeProfile.SHORT)).contains("ABCDEFGHZ");
    assertThat(PasscodeExtractor.extract("code ABCD-EFGHZ")).isEmpty();
  }

  @Test
  void extract_prefersTheAlignedCodeOverWindowsInsideLongerRuns() {
    String other = Passcodes.generate(PasscodeProfile.STANDARD, Blocklist.none(), new Random(1));
    String text = "ref " + "X".repeat(5) + other + "Y 群口令 " + Passcodes.display(CODE);
    assertThat(PasscodeExtractor.extract(text)).first().isEqualTo(CODE);
  }

  // ---- properties ----

  private static Gen<String> codes() {
    return longs().all().map(seed -> Passcodes.generate(PasscodeProfile.STANDARD, Blocklist.none(), new Random(seed)));
  }

  @Test
  void property_generatedCodesExtractFromEveryTemplateAndLocale() {
    qt().withExamples(2000).forAll(codes(), integers().between(0, ShareTexts.DEFAULT_TEMPLATES.size() - 1))
        .checkAssert((code, t) -> {
          String text = ShareTexts.render(ShareTexts.DEFAULT_TEMPLATES.get(t), "小鹿的粉丝2群", Passcodes.display(code));
          assertThat(PasscodeExtractor.extract(text)).first().isEqualTo(code);
        });
  }

  @Test
  void property_extractionSurvivesRandomMangling() {
    qt().withExamples(5000).forAll(codes(), longs().all()).checkAssert((code, seed) -> {
      String mangled = Mangler.mangle("群口令 " + Passcodes.display(code) + " 打开App", new Random(seed));
      assertThat(PasscodeExtractor.extract(mangled)).as(mangled).contains(code);
    });
  }

  @Test
  void property_randomUnicodeNeverThrowsAndYieldsAtMostThree() {
    qt().withExamples(100_000).forAll(strings().allPossible().ofLengthBetween(0, 80)).checkAssert(text -> {
      List<String> candidates = PasscodeExtractor.extract(text);
      assertThat(candidates).hasSizeLessThanOrEqualTo(PasscodeExtractor.MAX_CANDIDATES);
      assertThat(candidates).allMatch(Passcodes::isValid);
    });
  }

  /** The fast path is real NFKC on the characters it accepts: checked against the JDK's normalizer. */
  @Test
  void property_fastNfkcAgreesWithTheNormalizer() {
    String alphabet = "aZ09-: 「」、。ー・小鹿的粉丝群口令あいカキ\u3000\u200B\uFEFFＡＺａｚ０９－：！～"
        + "\u00E9\u0301\u3099\uFF76\u2011\u00A0ΑΩаяﬁ①";
    qt().withExamples(20_000).forAll(integers().between(0, 40), longs().all()).checkAssert((length, seed) -> {
      Random random = new Random(seed);
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < length; i++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String fast = PasscodeExtractor.fastNfkc(text.toString());
      if (fast != null) {
        assertThat(fast).isEqualTo(java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC));
      }
    });
  }

  @Test
  void property_codeSymbolSoupNeverYieldsMoreThanThree() {
    qt().withExamples(20_000).forAll(strings().betweenCodePoints('-', 'Z').ofLengthBetween(0, 200)).checkAssert(text ->
        assertThat(PasscodeExtractor.extract(text)).hasSizeLessThanOrEqualTo(PasscodeExtractor.MAX_CANDIDATES));
  }
}
