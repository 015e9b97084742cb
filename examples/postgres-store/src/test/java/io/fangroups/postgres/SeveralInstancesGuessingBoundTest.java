package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinMode;
import io.fangroups.core.UserId;
import io.fangroups.core.passcode.Blocklist;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.passcode.PasscodeLimits;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, must-show 1: four SDK instances, each with its own pool, store and
 * {@link PostgresAttemptLimiter}, on one PostgreSQL database, as four application servers would be.
 * One user spreading wrong guesses over all of them gets the default limits once for the whole
 * platform: 10 lookups per hour in total, not reset by a restarted server, and the lock after 100
 * consecutive failures holds on every server until the host lifts it.
 */
class SeveralInstancesGuessingBoundTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
  private static final CommandContext OWNER = CommandContext.of("creator");
  private static final UserId MALLORY = UserId.of("mallory");
  private static final PasscodeLimits LIMITS = PasscodeLimits.DEFAULT;

  /** Every instance reads this clock, as servers synchronised by NTP read the same time. */
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T10:00:00Z"));
  private final Random attacker = new Random(13);
  private final List<FanGroups> instances = new ArrayList<>();
  private String database;
  private IssuedPasscode code;
  private GroupId group;

  @BeforeEach
  void fourInstancesAndACode() {
    database = postgres.createDatabase();
    for (int i = 0; i < 4; i++) {
      instances.add(newInstance());
    }
    group = instances.get(0).createGroup(OWNER,
        GroupSettings.builder().name("口令群").cap(GroupSettings.CAP_500).joinMode(JoinMode.PASSCODE_ONLY).build()).id();
    code = instances.get(1).createPasscode(OWNER, PasscodeSpec.forGroup(group).build());
  }

  @AfterEach
  void stopRelays() {
    instances.forEach(i -> i.relay().close());
  }

  /** One more server on the database: a new pool, store and limiter. */
  private FanGroups newInstance() {
    HikariDataSource pool = postgres.pool(database, 4);
    PostgresMigrations.migrate(pool);
    return FanGroups.builder().store(new PostgresGroupStore(pool)).passcodeKeys(KEYS)
        .attemptLimiter(new PostgresAttemptLimiter(pool)).clock(clock)
        .startRelay(false).startPruning(false).startRedPacketSweep(false).build();
  }

  @Test
  void wrongGuessesRoundRobinOverFourInstances_lookUpTenPerHourInTotal_andARestartResetsNothing() {
    List<ErrorCode> answers = new ArrayList<>();
    for (int attempt = 0; attempt < 40; attempt++) {
      answers.add(wrongGuess(instances.get(attempt % 4)));
    }

    assertThat(answers.subList(0, LIMITS.perUser())).as("the first %s guesses, over 4 instances", LIMITS.perUser())
        .containsOnly(ErrorCode.PASSCODE_NOT_FOUND);
    assertThat(answers.subList(LIMITS.perUser(), 40)).as("the 11th to 40th guesses, on every instance")
        .containsOnly(ErrorCode.RATE_LIMITED);

    FanGroups restarted = newInstance();
    instances.add(restarted);
    assertThat(wrongGuess(restarted)).as("a guess through a restarted instance, same hour")
        .isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(paste(restarted, code.display())).as("even the right code, same hour: no lookup left")
        .isEqualTo(ErrorCode.RATE_LIMITED);

    clock.advance(LIMITS.window());
    assertThat(wrongGuess(instances.get(2))).as("the first guess of the next hour").isEqualTo(ErrorCode.PASSCODE_NOT_FOUND);
  }

  @Test
  void hundredFailuresSpreadOverFourInstances_lockTheUserOnEveryInstanceUntilReset() {
    int lookups = 0;
    for (int hour = 0; lookups < LIMITS.lockAfter(); hour++) {
      for (int i = 0; i < LIMITS.perUser(); i++) {
        assertThat(wrongGuess(instances.get((hour + i) % 4))).as("guess %s of hour %s", i + 1, hour)
            .isEqualTo(ErrorCode.PASSCODE_NOT_FOUND);
        lookups++;
      }
      clock.advance(LIMITS.window());
    }
    FanGroups restarted = newInstance();
    instances.add(restarted);

    for (FanGroups instance : instances) {
      assertThatThrownBy(() -> instance.redeemPasscode(CommandContext.of(MALLORY), code.display(), ClientInfo.unknown()))
          .as("the right code after %s failures, in a new hour", lookups)
          .isInstanceOfSatisfying(FanGroupsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED))
          .hasMessageContaining("locked after " + LIMITS.lockAfter());
    }

    instances.get(3).resetPasscodeAttempts(MALLORY);
    assertThat(paste(instances.get(0), code.display())).as("the right code after the host lifted the lock elsewhere")
        .isNull();
    assertThat(instances.get(2).members(group).stream().map(m -> m.user()).toList()).contains(MALLORY);
  }

  /** A well-formed code with a correct check symbol that is not the live one: the best guess there is. */
  private @Nullable ErrorCode wrongGuess(FanGroups instance) {
    String guess;
    do {
      guess = Passcodes.display(Passcodes.generate(PasscodeProfile.STANDARD, Blocklist.none(), attacker));
    } while (guess.equals(code.display()));
    return paste(instance, guess);
  }

  /** The code a paste of {@code code} after the share marker is refused with, or null when it admits. */
  private static @Nullable ErrorCode paste(FanGroups instance, String display) {
    try {
      instance.redeemPasscode(CommandContext.of(MALLORY), "群口令 " + display, ClientInfo.unknown());
      return null;
    } catch (FanGroupsException e) {
      return e.code();
    }
  }
}
