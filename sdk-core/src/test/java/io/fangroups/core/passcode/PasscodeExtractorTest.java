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
  void extract_neverCutsAWindowOutOfALongerRun() {
    String other = Passcodes.generate(PasscodeProfile.STANDARD, Blocklist.none(), new Random(1));
    String text = "ref " + "X".repeat(5) + other + "Y 群口令 " + Passcodes.display(CODE);
    assertThat(PasscodeExtractor.extract(text)).containsExactly(CODE);
    assertThat(PasscodeExtractor.extract("ref X" + CODE + " and " + CODE + "9")).isEmpty();
  }

  @Test
  void extract_readsLookAlikesFromUnicodesConfusables() {
    // 〇 (Chinese zero), |, Cyrillic б Ѵ Ү Ӏ Ӡ, Greek Ϲ Ϻ Ϳ Ϝ, Latin Ɩ Ʒ Ƨ
    String lookAlikes = "〇|бѴҮӀӠϹϺͿϜƖƷƧ";
    String symbols = "016VY13CMJF132";
    for (int i = 0; i < lookAlikes.length(); i++) {
      String code = codeOf(symbols.charAt(i) + CODE.substring(1, 12));
      String pasted = "群口令 " + lookAlikes.charAt(i) + Passcodes.display(code).substring(1);
      assertThat(PasscodeExtractor.extract(pasted)).as(pasted).containsExactly(code);
    }
  }

  @Test
  void extract_toleratesTheSeparatorsChatAndCjkTextUse() {
    for (String sep : List.of("〜", "\u3030", "\u30A0", ".", "/", "_", "、", "。", "・", "\u058A", "\u05BE", "⸺", "⸻", "～")) {
      String grouped = Passcodes.display(CODE).replace("-", sep);
      assertThat(PasscodeExtractor.extract("群口令 " + grouped)).as(sep).containsExactly(CODE);
      assertThat(PasscodeExtractor.extract("快来 " + grouped + " 打开")).as(sep).containsExactly(CODE);
    }
  }

  @Test
  void extract_letterJoinedAcrossWordSpaces_isNoCandidate() {
    String display = Passcodes.display(CODE);
    assertThat(PasscodeExtractor.extract("join " + display.replace("-", " ") + " now")).isEmpty();
    assertThat(PasscodeExtractor.extract("7KQ M3XP9V D2HC")).isEmpty(); // not the display groups
    assertThat(PasscodeExtractor.extract("passcode 7KQ M3XP9V D2HC")).isEmpty();
    // The same groups count where a code is expected: after a marker, or as the whole paste.
    assertThat(PasscodeExtractor.extract("passcode " + display.replace("-", " "))).containsExactly(CODE);
    assertThat(PasscodeExtractor.extract(" " + display.replace("-", "  ") + "\n")).containsExactly(CODE);
    // A group boundary is where a separator may be missing, and nowhere else.
    assertThat(PasscodeExtractor.extract("快来 7KQM3XP9-VD2HC 打开")).containsExactly(CODE);
    assertThat(PasscodeExtractor.extract("快来 7KQ-M3XP9-VD2HC 打开")).isEmpty();
  }

  @Test
  void extract_breakingNewsSentence_isNoCandidate() {
    // 0.x read "THECENTRA1BAN" out of this, joining letters across the spaces.
    assertThat(PasscodeExtractor.extract("Breaking news: the central bank raised rates by a quarter point today")).isEmpty();
  }

  /** The code whose first 12 symbols are {@code body} (aliases allowed), with its check symbol. */
  private static String codeOf(String body) {
    int[] symbols = new int[13];
    for (int i = 0; i < 12; i++) {
      symbols[i] = Passcodes.valueOf(body.charAt(i));
    }
    symbols[12] = Gf32Check.checkSymbol(symbols, 12);
    return Passcodes.encode(symbols, 13);
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
