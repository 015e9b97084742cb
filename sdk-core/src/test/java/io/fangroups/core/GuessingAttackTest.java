package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.passcode.Blocklist;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeLimits;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A simulated guessing attack through the public API with the default limits. */
class GuessingAttackTest extends Fixture {
  private final Random attacker = new Random(99);

  /** A well-formed guess with a correct check symbol: the best an attacker can do. */
  private String wellFormedGuess() {
    return Passcodes.generate(PasscodeProfile.STANDARD, Blocklist.none(), attacker);
  }

  /** The code a paste of {@code text} is refused with, or null when it admits. */
  private ErrorCode paste(UserId who, String text, ClientInfo from) {
    return Refusal.codeOf(() -> groups.redeemPasscode(as(who), text, from));
  }

  private ErrorCode guess(UserId who, ClientInfo from) {
    return paste(who, "群口令 " + Passcodes.display(wellFormedGuess()), from);
  }

  @Test
  void oneIdentity_isCutOffAfterTenGuessesPerHour() {
    GroupInfo g = group("g", 500, JoinMode.PASSCODE_ONLY);
    groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    UserId mallory = user("mallory");
    ClientInfo box = ClientInfo.of("emulator-1", "198.51.100.1");

    Map<ErrorCode, Integer> answers = new EnumMap<>(ErrorCode.class);
    for (int i = 0; i < 50; i++) {
      answers.merge(guess(mallory, box), 1, Integer::sum);
    }
    assertThat(answers).containsEntry(ErrorCode.PASSCODE_NOT_FOUND, PasscodeLimits.DEFAULT.perUser())
        .containsEntry(ErrorCode.RATE_LIMITED, 50 - PasscodeLimits.DEFAULT.perUser());

    clock.advance(PasscodeLimits.DEFAULT.window());
    assertThat(guess(mallory, box)).isEqualTo(ErrorCode.PASSCODE_NOT_FOUND);
  }

  @Test
  void manyAccountsOnOneDevice_shareTheDeviceLimit() {
    ClientInfo box = ClientInfo.of("emulator-1", null);
    int notFound = 0;
    for (int account = 0; account < 10; account++) {
      for (int i = 0; i < 5; i++) {
        if (guess(user("sock-" + account), box) == ErrorCode.PASSCODE_NOT_FOUND) {
          notFound++;
        }
      }
    }
    assertThat(notFound).isEqualTo(PasscodeLimits.DEFAULT.perDevice());
  }

  @Test
  void hundredConsecutiveFailures_lockTheUserAcrossWindows() {
    UserId mallory = user("mallory");
    int lookups = 0;
    for (int hour = 0; hour < 12; hour++) {
      for (int i = 0; i < 10; i++) {
        if (guess(mallory, ClientInfo.of("d-" + hour, "ip-" + hour)) == ErrorCode.PASSCODE_NOT_FOUND) {
          lookups++;
        }
      }
      clock.advance(Duration.ofHours(1));
    }
    assertThat(lookups).isEqualTo(PasscodeLimits.DEFAULT.lockAfter());
    groups.resetPasscodeAttempts(mallory);
    assertThat(guess(mallory, ClientInfo.unknown())).isEqualTo(ErrorCode.PASSCODE_NOT_FOUND);
  }

  @Test
  void makingNewCodes_doesNotResetTheCount() {
    GroupInfo g = group("g", 500, JoinMode.OPEN);
    for (int i = 0; i < 10; i++) {
      guess(creator, ClientInfo.unknown());
    }
    groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    assertThat(guess(creator, ClientInfo.unknown())).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void malformedPastes_countToo() {
    for (int i = 0; i < 10; i++) {
      assertCode(ErrorCode.PASSCODE_MALFORMED, () -> groups.redeemPasscode(as(user("m")), "no code", ClientInfo.unknown()));
    }
    assertThat(guess(user("m"), ClientInfo.unknown())).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void validCode_countsLikeAnyAttempt() {
    GroupInfo g = group("g", 500, JoinMode.OPEN);
    IssuedPasscode a = groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    for (int i = 0; i < 9; i++) {
      guess(user("fan"), ClientInfo.unknown());
    }
    assertThat(groups.redeemPasscode(as(user("fan")), a.display(), ClientInfo.unknown()).joined()).isTrue();
    assertThat(guess(user("fan"), ClientInfo.unknown())).isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void admission_endsTheFailureRun() {
    GroupInfo g = group("g", 500, JoinMode.OPEN);
    IssuedPasscode a = groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    UserId fan = user("fan");
    for (int hour = 0; hour < 9; hour++) {
      for (int i = 0; i < 10; i++) {
        guess(fan, ClientInfo.unknown());
      }
      clock.advance(Duration.ofHours(1));
    }
    assertThat(groups.redeemPasscode(as(fan), a.display(), ClientInfo.unknown()).joined()).isTrue(); // 91st attempt
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 10; i++) {
      assertThat(guess(fan, ClientInfo.unknown())).isEqualTo(ErrorCode.PASSCODE_NOT_FOUND); // not locked at 100
    }
  }

  @Test
  void redeem_pastesOfThreeGuesses_areChargedPerLookup() {
    GroupInfo victim = group("victim", 500, JoinMode.PASSCODE_ONLY);
    String secret = groups.createPasscode(asCreator(), PasscodeSpec.forGroup(victim.id()).build()).code();
    UserId mallory = user("mallory");
    int lookedUp = 0;
    for (int i = 0; i < 10; i++) {
      String text = "群口令 " + wellFormedGuess() + " / " + wellFormedGuess() + " / " + wellFormedGuess();
      if (paste(mallory, text, ClientInfo.unknown()) == ErrorCode.PASSCODE_NOT_FOUND) {
        lookedUp += 3;
      }
    }
    assertThat(lookedUp).as("guesses looked up in one hour").isLessThanOrEqualTo(PasscodeLimits.DEFAULT.perUser());
    assertThat(paste(mallory, secret, ClientInfo.unknown())).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(groups.member(victim.id(), mallory)).isEmpty();
  }

  @Test
  void redeem_pastesMixingGuessesWithOwnLiveCode_areRateLimitedLikeAnyGuess() {
    GroupInfo fanClub = group("fan club", 500, JoinMode.OPEN);
    String ownCode = groups.createPasscode(asCreator(), PasscodeSpec.forGroup(fanClub.id()).build()).code();
    UserId mallory = user("mallory");
    assertThat(paste(mallory, ownCode, ClientInfo.unknown())).as("mallory joins the fan club with its code").isNull();

    CommandContext otherCreator = CommandContext.of("other-creator");
    GroupInfo victim = groups.createGroup(otherCreator,
        GroupSettings.builder().name("victim").cap(500).joinMode(JoinMode.PASSCODE_ONLY).build());
    String secret = groups.createPasscode(otherCreator, PasscodeSpec.forGroup(victim.id()).build()).code();

    ClientInfo box = ClientInfo.of("emulator-1", "198.51.100.1");
    int rateLimited = 0;
    for (int i = 0; i < 1000; i++) { // 2,000 well-formed guesses within one hour, each paste carrying the live code
      ErrorCode answer = paste(mallory, "群口令 " + wellFormedGuess() + " / " + wellFormedGuess() + " / " + ownCode, box);
      assertThat(answer).as("paste %d", i).isIn(ErrorCode.ALREADY_MEMBER, ErrorCode.RATE_LIMITED);
      rateLimited += answer == ErrorCode.RATE_LIMITED ? 1 : 0;
    }
    // The hour's attempts, less the one that joined the fan club, pay for three lookups per paste.
    int pastesLookedUp = (PasscodeLimits.DEFAULT.perUser() - 1) / 3;
    assertThat(rateLimited).as("pastes refused out of 1,000 in one hour").isGreaterThanOrEqualTo(1000 - pastesLookedUp);
    ErrorCode hit = paste(mallory, "群口令 " + wellFormedGuess() + " / " + secret + " / " + ownCode, box);
    assertThat(hit).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(groups.member(victim.id(), mallory)).as("guessed the victim's code").isEmpty();
  }
}
