package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.passcode.PasscodeExtractor;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Ordinary English and Chinese sentences (news, chat, livestream and shop talk, work talk, with
 * numbers, dates, order numbers, URLs; written for this test, in {@code passcode/corpus/}) pasted
 * where a passcode is read: almost none costs a lookup, and none joins a group with live codes.
 */
class PasscodeCorpusTest extends Fixture {
  private static List<String> corpus(String language) throws IOException {
    try (InputStream in = PasscodeCorpusTest.class.getResourceAsStream("passcode/corpus/" + language + ".txt")) {
      assertThat(in).as(language + " corpus").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  @Test
  void ordinarySentences_rarelyCostALookup() throws IOException {
    List<String> all = new ArrayList<>();
    for (String language : List.of("en", "zh")) {
      List<String> sentences = corpus(language);
      assertThat(sentences).hasSizeGreaterThanOrEqualTo(1000);
      List<String> looked = sentences.stream().filter(s -> !PasscodeExtractor.extract(s).isEmpty()).toList();
      List<String> lookedForOneGroup = sentences.stream()
          .filter(s -> !PasscodeExtractor.extract(s, PasscodeProfile.SHORT).isEmpty()).toList();
      System.out.printf("corpus %s: %d sentences, %d with a candidate (%.2f%%), %d with a SHORT candidate (%.2f%%): %s %s%n",
          language, sentences.size(), looked.size(), 100.0 * looked.size() / sentences.size(),
          lookedForOneGroup.size(), 100.0 * lookedForOneGroup.size() / sentences.size(), looked, lookedForOneGroup);
      assertThat((double) looked.size() / sentences.size()).as("%s: %s", language, looked).isLessThanOrEqualTo(0.01);
      all.addAll(sentences);
    }
    assertThat(all).hasSizeGreaterThanOrEqualTo(2000);
  }

  @Test
  void ordinarySentences_neverJoin_andOnlyCandidatesCostALookup() throws IOException {
    List<GroupInfo> targets = new ArrayList<>();
    for (JoinMode mode : List.of(JoinMode.OPEN, JoinMode.PASSCODE_ONLY, JoinMode.APPROVAL)) {
      GroupInfo g = group("corpus-" + mode, 500, mode);
      targets.add(g);
      for (int i = 0; i < 10; i++) {
        PasscodeProfile profile = i % 2 == 0 ? PasscodeProfile.STANDARD : PasscodeProfile.SHORT;
        groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).profile(profile).build());
      }
    }
    Map<ErrorCode, Integer> anywhere = new EnumMap<>(ErrorCode.class);
    Map<ErrorCode, Integer> forOneGroup = new EnumMap<>(ErrorCode.class);
    int expectedLookups = 0;
    int n = 0;
    for (String language : List.of("en", "zh")) {
      for (String sentence : corpus(language)) {
        n++;
        ClientInfo client = ClientInfo.of("device-" + n, "ip-" + n);
        GroupInfo target = targets.get(n % targets.size());
        if (!PasscodeExtractor.extract(sentence).isEmpty()) {
          expectedLookups++;
        }
        UserId fan = user("fan-" + n);
        anywhere.merge(outcome(() -> groups.redeemPasscode(as(fan), sentence, client)), 1, Integer::sum);
        forOneGroup.merge(outcome(() -> groups.redeemPasscode(as(fan), target.id(), sentence, client)), 1, Integer::sum);
      }
    }
    assertThat(anywhere.keySet()).isSubsetOf(ErrorCode.PASSCODE_MALFORMED, ErrorCode.PASSCODE_NOT_FOUND);
    assertThat(anywhere.getOrDefault(ErrorCode.PASSCODE_NOT_FOUND, 0)).isEqualTo(expectedLookups);
    assertThat(forOneGroup.keySet()).isSubsetOf(ErrorCode.PASSCODE_MALFORMED, ErrorCode.PASSCODE_NOT_FOUND);
    for (GroupInfo g : targets) {
      assertThat(groups.group(g.id()).memberCount()).as(g.settings().name()).isEqualTo(1); // the owner only
    }
  }

  /** The refusal's code; a sentence that joined or made a request fails the test. */
  private static ErrorCode outcome(Runnable redeem) {
    ErrorCode code = Refusal.codeOf(redeem);
    assertThat(code).as("an ordinary sentence was accepted as a passcode").isNotNull();
    return code;
  }
}
