package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Applicant;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.spi.EventPublisher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay keeps delivering, and reports its backlog truthfully, when the store, the
 * publisher or other processes get in its way: a failed cursor update, a publisher that blocks, a
 * close under way, cursors that move while the status is read, a policy type it cannot look into.
 */
class RelayDeliveryTest {
  private static final CommandContext AS_OWNER = CommandContext.of("owner");

  private final InMemoryGroupStore shared = InMemoryGroupStore.create();

  /** One background thread, retries after 1 ms doubling to 10 ms, polling every 5 ms. */
  private static OutboxRelay.Options quick(Duration deliveryTimeout) {
    return new OutboxRelay.Options(1, deliveryTimeout, Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(5));
  }

  private static EventPublisher accepting() {
    return e -> CompletableFuture.completedFuture(null);
  }

  @Test
  void relay_cursorUpdateFailingOnce_keepsDeliveringTheGroup() throws Exception {
    ProcessClient client = new ProcessClient(shared);
    List<Long> published = new CopyOnWriteArrayList<>();
    client.failAdvanceCursor.set(1);
    FanGroups process = FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS)
        .relayOptions(quick(Duration.ofMillis(200))).eventPublisher(e -> {
          published.add(e.sequence());
          return CompletableFuture.completedFuture(null);
        }).build();
    try {
      GroupId group = process.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
      process.apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON);
      process.apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON);

      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!process.relay().status().caughtUp() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(published).as("events published after one failed cursor update").contains(1L, 2L, 3L);
      assertThat(process.relay().status().caughtUp()).isTrue();
    } finally {
      process.relay().close();
    }
  }

  @Test
  void status_cursorsMovedPastTheMarksItRead_reportsNoEventsBehind() {
    FanGroups otherProcess = ProcessClient.process(shared).startRelay(false).eventPublisher(accepting()).build();
    GroupId group = otherProcess.createGroup(AS_OWNER, GroupSettings.of("g", 50)).id();

    ProcessClient staleMarks = new ProcessClient(shared);
    FanGroups me = FanGroups.builder().store(staleMarks).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).startRelay(false)
        .eventPublisher(accepting()).build();
    assertThat(me.relay().status().eventsBehind()).isEqualTo(1);

    staleMarks.afterChanged.set(() -> { // another process commits and relays while the marks are on their way back
      otherProcess.apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON);
      otherProcess.apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON);
      otherProcess.relay().drainOnce();
    });
    OutboxRelay.Status status = me.relay().status();
    assertThat(status.eventsBehind()).as("events behind the marks it read").isZero();
  }

  /** A host's own policy type: a private record the event writer cannot reflect on. */
  private record MinLevel(int level) implements AdmissionPolicy {
    @Override
    public AdmissionDecision evaluate(Applicant a) {
      return AdmissionDecision.allow();
    }
  }

  @Test
  void drainOnce_groupWithAHostsRecordPolicy_publishesThePolicyAsText() {
    List<String> got = new CopyOnWriteArrayList<>();
    FanGroups groups = FanGroups.builder().startRelay(false).eventPublisher(e -> {
      got.add(e.json());
      return CompletableFuture.completedFuture(null);
    }).build();
    groups.createGroup(AS_OWNER, GroupSettings.builder().name("g").policy(new MinLevel(3)).build());
    assertThat(groups.relay().drainOnce()).as("deliveries completed").isEqualTo(1);
    assertThat(got).singleElement().asString().contains("MinLevel[level=3]");
  }

  @Test
  void drainOnce_publisherBlockingInsidePublish_givesUpAtTheTimeoutAndLeavesTheGroupToAnotherRelay() {
    CountDownLatch release = new CountDownLatch(1);
    EventPublisher blocking = e -> {
      try {
        release.await();
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.completedFuture(null);
    };
    FanGroups stuck = FanGroups.builder().store(shared).startRelay(false).relayOptions(quick(Duration.ofMillis(50)))
        .eventPublisher(blocking).build();
    List<String> got = new CopyOnWriteArrayList<>();
    FanGroups healthy = FanGroups.builder().store(shared).startRelay(false).relayOptions(quick(Duration.ofMillis(50)))
        .eventPublisher(e -> {
          got.add(e.eventId());
          return CompletableFuture.completedFuture(null);
        }).build();
    GroupId group = stuck.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    try {
      assertThat(stuck.relay().drainOnce()).as("returns after the timeout instead of hanging").isZero();
      assertThat(healthy.relay().drainOnce()).isEqualTo(1);
      assertThat(got).containsExactly(healthy.events(group, 0, 1).get(0).eventId());
    } finally {
      release.countDown();
    }
  }

  @Test
  void close_whilePublishing_stopsAfterTheDeliveryUnderWay() throws Exception {
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
    FanGroups groups = FanGroups.builder().startRelay(false).relayOptions(quick(Duration.ofSeconds(2)))
        .eventPublisher(slow).build();
    GroupInfo g = groups.createGroup(AS_OWNER, GroupSettings.of("g", 200));
    for (int i = 0; i < 60; i++) {
      groups.apply(CommandContext.of("fan" + i), g.id(), JoinSource.BUTTON);
    }
    groups.relay().start();
    assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
    groups.relay().close();
    int atClose = published.get();
    Thread.sleep(200);
    assertThat(published.get()).as("published after close").isLessThanOrEqualTo(atClose + 1); // at most the delivery under way
    assertThat(groups.relay().status().eventsBehind()).as("events left in the outbox")
        .isGreaterThanOrEqualTo(61 - published.get()); // GroupCreated and 60 joins
  }
}
