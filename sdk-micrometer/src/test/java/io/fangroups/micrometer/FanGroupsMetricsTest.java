package io.fangroups.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.FanGroupsObserver;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinSource;
import io.fangroups.core.passcode.Blocklist;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.spi.DeliveryRejectedException;
import io.fangroups.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The meters against real commands on an in-memory instance, counted exactly. */
class FanGroupsMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final FanGroupsMetrics metrics = FanGroupsMetrics.create(registry, Duration.ZERO);
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-12-02T08:00:00Z"));
  private final CommandContext creator = CommandContext.of("creator");

  private double commands(String command, String outcome) {
    var counter = registry.find(FanGroupsMetrics.COMMANDS).tag("command", command).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static ErrorCode refusal(Runnable command) {
    try {
      command.run();
      return null;
    } catch (FanGroupsException e) {
      return e.code();
    }
  }

  @Test
  void commands_areCountedByOutcome_andTimed() {
    FanGroups fanGroups = FanGroups.builder().clock(clock).observer(metrics).build();
    GroupInfo g = fanGroups.createGroup(creator, GroupSettings.of("g", 2));
    fanGroups.apply(CommandContext.of("fan-1"), g.id(), JoinSource.BUTTON);
    assertThat(refusal(() -> fanGroups.apply(CommandContext.of("fan-2"), g.id(), JoinSource.BUTTON)))
        .isEqualTo(ErrorCode.GROUP_FULL);
    assertThat(refusal(() -> fanGroups.apply(CommandContext.of("fan-1"), g.id(), JoinSource.BUTTON)))
        .isEqualTo(ErrorCode.ALREADY_MEMBER);

    assertThat(commands("createGroup", "ok")).isEqualTo(1);
    assertThat(commands("apply", "ok")).isEqualTo(1);
    assertThat(commands("apply", "GROUP_FULL")).isEqualTo(1);
    assertThat(commands("apply", "ALREADY_MEMBER")).isEqualTo(1);
    var latency = registry.find(FanGroupsMetrics.COMMAND_LATENCY).tag("command", "apply").timer();
    assertThat(latency.count()).isEqualTo(3);
    assertThat(latency.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
  }

  @Test
  void passcodes_countLookupsAndLimiterRefusals() {
    FanGroups fanGroups = FanGroups.builder().clock(clock).observer(metrics).build();
    GroupInfo g = fanGroups.createGroup(creator, GroupSettings.builder().name("g").cap(500).joinMode(JoinMode.PASSCODE_ONLY).build());
    IssuedPasscode code = fanGroups.createPasscode(creator, PasscodeSpec.forGroup(g.id()).build());
    fanGroups.redeemPasscode(CommandContext.of("fan"), "群口令 " + code.display(), ClientInfo.of("phone-1", "198.51.100.1"));
    Random guesses = new Random(5);
    ClientInfo box = ClientInfo.of("emulator", "198.51.100.9");
    for (int i = 0; i < 12; i++) {
      String guess = Passcodes.display(Passcodes.generate(PasscodeProfile.STANDARD, Blocklist.none(), guesses));
      refusal(() -> fanGroups.redeemPasscode(CommandContext.of("mallory"), "群口令 " + guess, box));
    }

    assertThat(registry.find(FanGroupsMetrics.LOOKUPS).tag("result", "found").counter().count()).isEqualTo(1);
    assertThat(registry.find(FanGroupsMetrics.LOOKUPS).tag("result", "not_found").counter().count()).isEqualTo(10);
    assertThat(registry.find(FanGroupsMetrics.ATTEMPTS_REFUSED).tag("reason", "limit").counter().count()).isEqualTo(2);
    assertThat(commands("redeemPasscode", "ok")).isEqualTo(1);
    assertThat(commands("redeemPasscode", "PASSCODE_NOT_FOUND")).isEqualTo(10);
    assertThat(commands("redeemPasscode", "RATE_LIMITED")).isEqualTo(2);
  }

  @Test
  void relayGauges_showTheBacklogAndTheDeadLetters() {
    FanGroups fanGroups = FanGroups.builder().clock(clock).observer(metrics).startRelay(false)
        .eventPublisher(event -> CompletableFuture.failedFuture(new DeliveryRejectedException("schema refused")))
        .build();
    metrics.bindTo(fanGroups);
    fanGroups.createGroup(creator, GroupSettings.of("g", 200));
    assertThat(gauge(FanGroupsMetrics.RELAY_BEHIND, "publisher")).isEqualTo(1);
    assertThat(registry.find(FanGroupsMetrics.RELAY_PARKED).gauge().value()).isZero();

    fanGroups.relay().drainOnce();

    assertThat(gauge(FanGroupsMetrics.RELAY_BEHIND, "publisher")).isZero();
    assertThat(registry.find(FanGroupsMetrics.RELAY_PARKED).gauge().value()).isEqualTo(1);
    assertThat(registry.find(FanGroupsMetrics.RELAY_FAILED_ATTEMPTS).functionCounter().count()).isEqualTo(1);
    assertThat(registry.find(FanGroupsMetrics.RELAY_OLDEST_PENDING).gauge().value()).isZero();
  }

  private double gauge(String name, String destination) {
    return registry.find(name).tag("destination", destination).gauge().value();
  }

  @Test
  void anObserverThatThrows_neverFailsACommand() {
    FanGroupsObserver broken = new FanGroupsObserver() {
      @Override
      public void commandCompleted(String command, String outcome, long nanos) {
        throw new IllegalStateException("metrics backend down");
      }
    };
    FanGroups fanGroups = FanGroups.builder().clock(clock).observer(broken).build();
    GroupInfo g = fanGroups.createGroup(creator, GroupSettings.of("g", 200));
    assertThat(fanGroups.group(g.id()).memberCount()).isEqualTo(1);
    assertThatThrownBy(() -> FanGroups.builder().observer(broken).observer(broken))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> FanGroups.builder().observer(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
