package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Applicant;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.PreJoinHook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Regression tests for the second review's findings (relay, listeners, passcode lock). */
class ReviewTwoFindingsTest {
  private static final OutboxRelay.Options FAST = new OutboxRelay.Options(1, Duration.ofMillis(50),
      Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(5));

  /** A host's own policy type: a package-private record the event writer cannot reflect on. */
  private record MinLevel(int level) implements AdmissionPolicy {
    @Override
    public AdmissionDecision evaluate(Applicant a) {
      return AdmissionDecision.allow();
    }
  }

  @Test
  void relay_hostRecordPolicy_isPublishedAsText() {
    List<String> got = new CopyOnWriteArrayList<>();
    FanGroups groups = FanGroups.builder().startRelay(false).eventPublisher(e -> {
      got.add(e.json());
      return CompletableFuture.completedFuture(null);
    }).build();
    groups.createGroup(CommandContext.of("owner"), GroupSettings.builder().name("g").policy(new MinLevel(3)).build());
    assertThatCode(() -> groups.relay().drainOnce()).doesNotThrowAnyException();
    assertThat(got).singleElement().asString().contains("MinLevel[level=3]");
  }

  @Test
  void relay_publisherBlockingInsidePublish_isBoundedByTheTimeout() throws Exception {
    InMemoryGroupStore store = InMemoryGroupStore.create();
    CountDownLatch release = new CountDownLatch(1);
    EventPublisher blocking = e -> {
      try {
        release.await();
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.completedFuture(null);
    };
    FanGroups first = FanGroups.builder().store(store).startRelay(false).relayOptions(FAST).eventPublisher(blocking).build();
    List<String> got = new CopyOnWriteArrayList<>();
    FanGroups second = FanGroups.builder().store(store).startRelay(false).relayOptions(FAST).eventPublisher(e -> {
      got.add(e.eventId());
      return CompletableFuture.completedFuture(null);
    }).build();
    first.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
    try {
      assertThat(first.relay().drainOnce()).isZero(); // returns after the timeout instead of hanging
      second.relay().drainOnce();
      assertThat(got).hasSize(1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void relay_close_stopsPublishing() throws Exception {
    AtomicInteger published = new AtomicInteger();
    CountDownLatch first = new CountDownLatch(1);
    EventPublisher slow = e -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      published.incrementAndGet();
      first.countDown();
      return CompletableFuture.completedFuture(null);
    };
    FanGroups groups = FanGroups.builder().startRelay(false).relayOptions(new OutboxRelay.Options(1,
        Duration.ofSeconds(2), Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(5)))
        .eventPublisher(slow).build();
    GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
    for (int i = 0; i < 60; i++) {
      groups.apply(CommandContext.of("fan" + i), g.id(), JoinSource.BUTTON);
    }
    groups.relay().start();
    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    groups.relay().close();
    int atClose = published.get();
    Thread.sleep(200);
    assertThat(published.get()).isLessThanOrEqualTo(atClose + 1); // at most the delivery under way
    assertThat(groups.relay().status().eventsBehind()).isPositive();
  }

  @Test
  void listenerThrowingAnError_doesNotFailTheCommittedCommand() {
    FanGroups groups = FanGroups.builder().build();
    List<GroupEvent> seen = new CopyOnWriteArrayList<>();
    groups.subscribe(e -> {
      if (e.change() instanceof GroupChange.MemberJoined) {
        throw new AssertionError("host bug");
      }
    });
    groups.subscribe(seen::add);
    GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
    assertThatCode(() -> groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON)).doesNotThrowAnyException();
    assertThat(seen).extracting(GroupEvent::sequence).containsExactly(1L, 2L);
  }

  @Test
  void passcode_hookIsNotAskedUnderTheCodesLock() throws Exception {
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
    FanGroups groups = FanGroups.builder().preJoinHook(slow, Duration.ofSeconds(5), PreJoinHook.FailureMode.REJECT).build();
    GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 500));
    IssuedPasscode code = groups.createPasscode(CommandContext.of("owner"), PasscodeSpec.forGroup(g.id()).maxUses(8).build());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<JoinResult>> results = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      CommandContext fan = CommandContext.of("fan" + i);
      results.add(pool.submit(() -> groups.redeemPasscode(fan, code.display(), ClientInfo.unknown())));
    }
    for (Future<JoinResult> r : results) {
      assertThat(r.get().joined()).isTrue();
    }
    pool.shutdown();
    assertThat(most.get()).isGreaterThan(1);
    assertThat(groups.passcode(code.info().id()).uses()).isEqualTo(8);
  }

  @Test
  void adminDecisionFactories_refuseNullReasonsWithACode() {
    Fixture.assertCode(ErrorCode.INVALID_ARGUMENT, () -> AdmissionDecision.review("x", (String[]) null));
    Fixture.assertCode(ErrorCode.INVALID_ARGUMENT, () -> AdmissionDecision.deny("x", "a", null));
  }

  @Test
  void text_withUnpairedSurrogate_isInvalid() {
    Fixture.assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.of("bad\uD800name", 200));
  }
}
