package io.fangroups.core.passcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The look-alike table against Unicode's data (ICU4J): the checked-in table is what the generator
 * makes now; every confusable of a code symbol is read back as that symbol; every separator is
 * tolerated; and the wider reading admits no mistyped code.
 */
class LookAlikeTableTest {
  private static final Path TABLE = Path.of("src/main/resources/io/fangroups/core/passcode", LookAlikes.RESOURCE);

  private static LookAlikeTableGenerator generator;

  @BeforeAll
  static void generator() {
    generator = new LookAlikeTableGenerator();
  }

  @Test
  void checkedInTable_isWhatTheUnicodeDataGenerates() throws IOException {
    String generated = generator.generate();
    if (Boolean.getBoolean("lookalikes.write")) {
      Files.writeString(TABLE, generated, StandardCharsets.UTF_8);
    }
    try (InputStream in = LookAlikes.class.getResourceAsStream(LookAlikes.RESOURCE)) {
      assertThat(in).as("look-alikes.txt on the class path").isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .as("look-alikes.txt differs from the Unicode data; regenerate with -Dlookalikes.write=true")
          .isEqualTo(generated);
    }
  }

  /** Every character whose confusable skeleton is a symbol's, put in a code in place of that symbol. */
  @Test
  void everyConfusableOfEverySymbol_isReadAsThatSymbol() {
    Map<Integer, Character> confusables = generator.confusablesOfSymbols();
    Random random = new Random(13);
    List<String> missed = new ArrayList<>();
    int position = 0;
    for (Map.Entry<Integer, Character> e : confusables.entrySet()) {
      position = (position + 5) % PasscodeProfile.STANDARD.bodyLength();
      String code = codeWith(e.getValue(), position, random);
      String display = Passcodes.display(code);
      int at = position + position / 4; // the display inserts a hyphen after every four symbols
      String pasted = "群口令 " + display.substring(0, at) + new String(Character.toChars(e.getKey())) + display.substring(at + 1);
      if (!PasscodeExtractor.extract(pasted).contains(code)) {
        missed.add(String.format("U+%04X for %s", e.getKey(), e.getValue()));
      }
    }
    double recovered = 1 - (double) missed.size() / confusables.size();
    System.out.printf("look-alikes: %d of %d confusables of code symbols read back (%.2f%%); missed: %s%n",
        confusables.size() - missed.size(), confusables.size(), 100 * recovered, missed);
    assertThat(confusables).hasSizeGreaterThan(1500);
    assertThat(recovered).as("missed: %s", missed).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void everySeparator_joinsTheDisplayGroups() {
    String code = "7KQM3XP9VD2HC";
    LookAlikeTableGenerator.separators().forEach((cp, kind) -> {
      String sep = new String(Character.toChars(cp));
      String grouped = Passcodes.display(code).replace("-", sep);
      assertThat(PasscodeExtractor.extract("复制这条消息，打开App申请加入「小鹿」 群口令 " + grouped + " 打开"))
          .as("U+%04X after a marker", cp).containsExactly(code);
      assertThat(PasscodeExtractor.extract(grouped)).as("U+%04X alone", cp).containsExactly(code);
      if (kind == LookAlikes.DASH) {
        assertThat(PasscodeExtractor.extract("see " + grouped + " there")).as("U+%04X in a sentence", cp)
            .containsExactly(code);
      }
    });
  }

  @Test
  void everySingleSubstitutionAndAdjacentTransposition_isStillRefused() {
    Random random = new Random(7);
    for (int n = 0; n < 300; n++) {
      String code = Passcodes.generate(PasscodeProfile.STANDARD, Blocklist.none(), random);
      for (int i = 0; i < code.length(); i++) {
        for (char other : Passcodes.ALPHABET.toCharArray()) {
          if (other != code.charAt(i)) {
            assertRefused(code.substring(0, i) + other + code.substring(i + 1));
          }
        }
        if (i + 1 < code.length() && code.charAt(i) != code.charAt(i + 1)) {
          assertRefused(code.substring(0, i) + code.charAt(i + 1) + code.charAt(i) + code.substring(i + 2));
        }
      }
    }
  }

  private static void assertRefused(String mistyped) {
    StringBuilder grouped = new StringBuilder(mistyped).insert(8, '-').insert(4, '-');
    assertThat(PasscodeExtractor.extract("群口令 " + grouped)).as(mistyped).isEmpty();
    assertThat(PasscodeExtractor.extract(mistyped)).as(mistyped).isEmpty();
  }

  /** A valid code with {@code symbol} at body position {@code position}. */
  private static String codeWith(char symbol, int position, Random random) {
    int[] symbols = new int[PasscodeProfile.STANDARD.length()];
    for (int i = 0; i < PasscodeProfile.STANDARD.bodyLength(); i++) {
      symbols[i] = random.nextInt(32);
    }
    symbols[position] = Passcodes.ALPHABET.indexOf(symbol);
    symbols[PasscodeProfile.STANDARD.bodyLength()] = Gf32Check.checkSymbol(symbols, PasscodeProfile.STANDARD.bodyLength());
    return Passcodes.encode(symbols, symbols.length);
  }
}
