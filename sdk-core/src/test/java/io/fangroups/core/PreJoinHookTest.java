package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.spi.PreJoinHook.FailureMode;
import io.fangroups.spi.PreJoinHook.JoinAttempt;
import io.fangroups.spi.PreJoinHook.Outcome;
import io.fangroups.spi.PreJoinHook;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PreJoinHookTest {
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  private final CommandContext owner = CommandContext.of("owner");
  private final List<JoinAttempt> asked = new CopyOnWriteArrayList<>();

  private FanGroups withHook(Function<JoinAttempt, CompletableFuture<PreJoinHook.Verdict>> answer, FailureMode mode) {
    return FanGroups.builder().clock(clock).preJoinHook(a -> {
      asked.add(a);
      return answer.apply(a);
    }, Duration.ofMillis(30), mode).build();
  }

  private static CompletableFuture<PreJoinHook.Verdict> answer(Outcome outcome, String reason) {
    return CompletableFuture.completedFuture(new PreJoinHook.Verdict(outcome, reason));
  }

  @Test
  void deny_refusesWithTheHostsReasonAndChangesNothing() {
    FanGroups groups = withHook(a -> answer(Outcome.DENY, "risk control: new device"), FailureMode.REJECT);
    GroupInfo g = groups.createGroup(owner, GroupSettings.of("g", 200));
    try {
      groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
      throw new AssertionError("expected NOT_ELIGIBLE");
    } catch (FanGroupsException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_ELIGIBLE);
      assertThat(e.decision().orElseThrow().reasons()).containsExactly("HOOK_DENIED");
      assertThat(e.decision().get().summary()).isEqualTo("risk control: new device");
    }
    assertThat(groups.group(g.id()).lastSequence()).isEqualTo(1);
    assertThat(asked).singleElement().isEqualTo(new JoinAttempt(g.id().value(), "owner", "fan", "button"));
  }

  @Test
  void review_turnsAnOpenJoinIntoARequest() {
    FanGroups groups = withHook(a -> answer(Outcome.REVIEW, "unpaid fan club"), FailureMode.REJECT);
    GroupInfo g = groups.createGroup(owner, GroupSettings.of("g", 200));
    JoinResult r = groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
    assertThat(r.joined()).isFalse();
    assertThat(r.decision().reasons()).contains("HOOK_REVIEW");
    assertThat(groups.approve(owner, r.request().orElseThrow().id()).user()).isEqualTo(UserId.of("fan"));
    assertThat(asked).hasSize(1); // not asked again at approval
  }

  @Test
  void timeout_failsClosedByDefault() {
    FanGroups groups = withHook(a -> new CompletableFuture<>(), FailureMode.REJECT);
    GroupInfo g = groups.createGroup(owner, GroupSettings.of("g", 200));
    Fixture.assertCode(ErrorCode.JOIN_HOOK_FAILED, () -> groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON));
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(1);
    assertThat(groups.group(g.id()).lastSequence()).isEqualTo(1);
  }

  @Test
  void failure_canBeReviewOrAllow() {
    FanGroups review = withHook(a -> CompletableFuture.failedFuture(new IllegalStateException("down")), FailureMode.REVIEW);
    GroupInfo g = review.createGroup(owner, GroupSettings.of("g", 200));
    assertThat(review.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON).request()).get()
        .extracting(JoinRequest::status).isEqualTo(RequestStatus.PENDING);

    FanGroups open = withHook(a -> {
      throw new IllegalStateException("bug in the hook");
    }, FailureMode.ALLOW);
    GroupInfo h = open.createGroup(owner, GroupSettings.of("h", 200));
    assertThat(open.apply(CommandContext.of("fan"), h.id(), JoinSource.BUTTON).joined()).isTrue();
  }

  @Test
  void notAskedForAdminAddsOrWhenThePolicyDenies() {
    FanGroups groups = withHook(a -> answer(Outcome.ALLOW, ""), FailureMode.REJECT);
    GroupInfo g = groups.createGroup(owner, GroupSettings.builder().name("g")
        .policy(a -> AdmissionDecision.deny("no", "RULE")).build());
    Fixture.assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON));
    groups.addMember(owner, g.id(), UserId.of("vip"));
    assertThat(asked).isEmpty();
  }

  @Test
  void passcodeRedemption_isAskedWithItsPath() {
    FanGroups groups = withHook(a -> answer(Outcome.ALLOW, ""), FailureMode.REJECT);
    GroupInfo g = groups.createGroup(owner, GroupSettings.of("g", 200));
    IssuedPasscode code = groups.createPasscode(owner, PasscodeSpec.forGroup(g.id()).build());
    assertThat(groups.redeemPasscode(CommandContext.of("fan"), code.display(), ClientInfo.unknown()).joined()).isTrue();
    assertThat(asked).singleElement().extracting(JoinAttempt::path).isEqualTo("passcode");
  }

  @Test
  void passcodeRedemption_concurrentOnOneCode_asksTheHookOutsideTheCodesLock() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    PreJoinHook slow = a -> CompletableFuture.supplyAsync(() -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      return PreJoinHook.Verdict.allow();
    });
    FanGroups groups = FanGroups.builder().clock(clock).preJoinHook(slow, Duration.ofSeconds(5), FailureMode.REJECT).build();
    GroupInfo g = groups.createGroup(owner, GroupSettings.of("g", 500));
    IssuedPasscode code = groups.createPasscode(owner, PasscodeSpec.forGroup(g.id()).maxUses(8).build());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JoinResult>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        CommandContext fan = CommandContext.of("fan" + i);
        results.add(pool.submit(() -> groups.redeemPasscode(fan, code.display(), ClientInfo.unknown())));
      }
      for (Future<JoinResult> r : results) {
        assertThat(r.get().joined()).isTrue();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(most.get()).as("hook calls in flight at once").isGreaterThan(1);
    assertThat(groups.passcode(code.info().id()).uses()).isEqualTo(8);
  }

  @Test
  void builder_rejectsABadTimeout() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FanGroups.builder()
        .preJoinHook(a -> answer(Outcome.ALLOW, ""), Duration.ZERO, FailureMode.REJECT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("preJoinHook");
  }
}
