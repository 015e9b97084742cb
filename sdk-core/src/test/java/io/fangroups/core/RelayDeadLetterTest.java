package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.event.ParkedDelivery;
import io.fangroups.spi.DeliveryRejectedException;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.MessageTransport;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Deliveries the host rejects, or that keep failing, are parked with a copy of their event; the
 * group's later events go on, and a parked delivery can be listed, retried and dropped.
 */
class RelayDeadLetterTest {
  private static final CommandContext AS_OWNER = CommandContext.of("owner");
  /** Parks after 3 failed attempts; a delivery times out after 200 ms. */
  private static final OutboxRelay.Options THREE_ATTEMPTS = new OutboxRelay.Options(1, Duration.ofMillis(200),
      Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(5)).withMaxAttempts(3);

  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));

  @Test
  void transportRejectingAMessage_parksItAndDeliversTheRest_andARetryDeliversItOnce() {
    InMemoryGroupStore store = InMemoryGroupStore.create();
    List<String> accepted = new CopyOnWriteArrayList<>();
    AtomicBoolean strict = new AtomicBoolean(true);
    MessageTransport transport = m -> {
      if (strict.get() && "see blocked-shop.example".equals(m.fields().get("body"))) {
        return CompletableFuture.failedFuture(new DeliveryRejectedException("links to a blocked shop"));
      }
      accepted.add(m.idempotencyKey());
      return CompletableFuture.completedFuture(null);
    };
    FanGroups groups = FanGroups.builder().store(store).clock(clock).startRelay(false).messageTransport(transport).build();
    GroupId g = groups.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    groups.post(AS_OWNER, g, new MessageContent.Text("hello"));
    groups.post(AS_OWNER, g, new MessageContent.Text("see blocked-shop.example"));
    groups.post(AS_OWNER, g, new MessageContent.Text("after"));

    assertThat(groups.relay().drainOnce()).isEqualTo(2);
    assertThat(accepted).as("the rejected message does not hold back the one after it").containsExactly(g + "/2", g + "/4");
    List<ParkedDelivery> parked = groups.relay().parked(10);
    assertThat(parked).containsExactly(new ParkedDelivery("transport", g, 3, "MessagePosted", g + "/3", 1,
        "io.fangroups.spi.DeliveryRejectedException: links to a blocked shop", clock.instant()));
    OutboxRelay.Status status = groups.relay().status();
    assertThat(status.parked()).isEqualTo(1);
    assertThat(status.caughtUp()).as("a parked delivery is not a backlog").isTrue();

    // The group's messages are pruned meanwhile: the parked copy is what the retry delivers.
    assertThat(store.deleteEvents("group/" + g.value(), 4, Set.of("MessagePosted"))).isEqualTo(3);
    strict.set(false);
    assertThat(groups.relay().retry(parked.get(0))).isTrue();
    assertThat(accepted).containsExactly(g + "/2", g + "/4", g + "/3");
    assertThat(groups.relay().parked(10)).isEmpty();
    assertThat(groups.relay().status().parked()).isZero();

    assertThat(groups.relay().retry(parked.get(0))).as("a retry of what is no longer parked").isFalse();
    assertThat(groups.relay().drainOnce()).isZero();
    assertThat(accepted).as("delivered once by the retry, never again").containsExactly(g + "/2", g + "/4", g + "/3");
  }

  @Test
  void publisherThrowingAWrappedRejection_parksAtOnce() {
    List<Long> published = new CopyOnWriteArrayList<>();
    EventPublisher publisher = e -> {
      if (e.sequence() == 2) {
        throw new CompletionException(new DeliveryRejectedException("schema registry refused it"));
      }
      published.add(e.sequence());
      return CompletableFuture.completedFuture(null);
    };
    FanGroups groups = FanGroups.builder().clock(clock).startRelay(false).relayOptions(THREE_ATTEMPTS)
        .eventPublisher(publisher).build();
    GroupId g = groupWithThreeEvents(groups);

    assertThat(groups.relay().drainOnce()).isEqualTo(2);
    assertThat(published).containsExactly(1L, 3L);
    assertThat(groups.relay().parked(10)).singleElement().satisfies(p -> {
      assertThat(p.destination()).isEqualTo("publisher");
      assertThat(p.eventId()).isEqualTo(g + "/2");
      assertThat(p.type()).isEqualTo("MemberJoined");
      assertThat(p.attempts()).isEqualTo(1);
      assertThat(p.lastError()).isEqualTo("io.fangroups.spi.DeliveryRejectedException: schema registry refused it");
    });
  }

  @Test
  void deliveryFailingMaxAttemptsTimes_isParked_andARetryThatFailsLeavesItParked() {
    List<Long> published = new CopyOnWriteArrayList<>();
    AtomicBoolean brokerDown = new AtomicBoolean(true);
    EventPublisher publisher = e -> {
      if (e.sequence() == 2 && brokerDown.get()) {
        return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
      }
      published.add(e.sequence());
      return CompletableFuture.completedFuture(null);
    };
    FanGroups groups = FanGroups.builder().clock(clock).startRelay(false).relayOptions(THREE_ATTEMPTS)
        .eventPublisher(publisher).build();
    GroupId g = groupWithThreeEvents(groups);

    assertThat(groups.relay().drainOnce()).as("attempt 1").isEqualTo(1);
    assertThat(groups.relay().drainOnce()).as("attempt 2").isZero();
    assertThat(groups.relay().parked(10)).isEmpty();
    assertThat(groups.relay().status().eventsBehind()).as("waiting for event 2").isEqualTo(2);
    assertThat(groups.relay().drainOnce()).as("attempt 3 parks it; event 3 goes on").isEqualTo(1);
    assertThat(published).containsExactly(1L, 3L);
    ParkedDelivery parked = groups.relay().parked(10).get(0);
    assertThat(parked.attempts()).isEqualTo(3);
    assertThat(parked.lastError()).isEqualTo("java.lang.IllegalStateException: broker unavailable");
    assertThat(groups.relay().status().failedAttempts()).isEqualTo(3);
    assertThat(groups.relay().status().caughtUp()).isTrue();

    assertThat(groups.relay().retry(parked)).as("the broker is still down").isFalse();
    assertThat(groups.relay().parked(10)).containsExactly(parked);
    brokerDown.set(false);
    assertThat(groups.relay().retry(parked)).isTrue();
    assertThat(published).containsExactly(1L, 3L, 2L);
  }

  /** A group created and joined twice: events 1 to 3. */
  private static GroupId groupWithThreeEvents(FanGroups groups) {
    GroupId g = groups.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    groups.apply(CommandContext.of("fan-1"), g, JoinSource.BUTTON);
    groups.apply(CommandContext.of("fan-2"), g, JoinSource.BUTTON);
    return g;
  }

  @Test
  void drop_deletesTheParkedDeliveryWithoutDeliveringIt() {
    List<Long> published = new CopyOnWriteArrayList<>();
    FanGroups groups = FanGroups.builder().clock(clock).startRelay(false).eventPublisher(e -> {
      if (e.sequence() == 1) {
        return CompletableFuture.failedFuture(new DeliveryRejectedException("not for us"));
      }
      published.add(e.sequence());
      return CompletableFuture.completedFuture(null);
    }).build();
    groups.createGroup(AS_OWNER, GroupSettings.of("g", 200));
    groups.relay().drainOnce();
    ParkedDelivery parked = groups.relay().parked(10).get(0);

    groups.relay().drop(parked);
    assertThat(groups.relay().parked(10)).isEmpty();
    assertThat(groups.relay().retry(parked)).isFalse();
    assertThat(published).isEmpty();
  }

  @Test
  void parked_pagesInGroupAndSequenceOrder() {
    FanGroups groups = FanGroups.builder().clock(clock).startRelay(false).eventPublisher(
        e -> CompletableFuture.failedFuture(new DeliveryRejectedException("closed"))).build();
    GroupId g = groups.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    for (int i = 0; i < 11; i++) {
      groups.apply(CommandContext.of("fan-" + i), g, JoinSource.BUTTON);
    }
    groups.relay().drainOnce();

    List<ParkedDelivery> first = groups.relay().parked(5);
    List<ParkedDelivery> second = groups.relay().parked(first.get(4), 5);
    List<ParkedDelivery> third = groups.relay().parked(second.get(4), 5);
    assertThat(first).extracting(ParkedDelivery::sequence).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(second).extracting(ParkedDelivery::sequence).containsExactly(6L, 7L, 8L, 9L, 10L);
    assertThat(third).extracting(ParkedDelivery::sequence).containsExactly(11L, 12L);
    assertThat(groups.relay().status().parked()).isEqualTo(12);
  }

  /** Must-show: a relay stops after parking a delivery and before moving its cursor past it; the next relay goes on. */
  @Test
  void relayStoppingBetweenParkAndCursorMove_nextRelayDoesNotParkItAgain() {
    InMemoryGroupStore shared = InMemoryGroupStore.create();
    List<Long> published = new CopyOnWriteArrayList<>();
    EventPublisher rejectingTheSecond = e -> {
      if (e.sequence() == 2) {
        return CompletableFuture.failedFuture(new DeliveryRejectedException("refused"));
      }
      published.add(e.sequence());
      return CompletableFuture.completedFuture(null);
    };
    ProcessClient dying = new ProcessClient(shared);
    FanGroups first = FanGroups.builder().store(dying).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).clock(clock).startRelay(false)
        .eventPublisher(rejectingTheSecond).build();
    groupWithThreeEvents(first);
    Instant parkedAt = clock.instant();

    dying.failAdvanceCursor.set(1); // the cursor move after the batch never lands
    first.relay().drainOnce();
    assertThat(first.relay().parked(10)).extracting(ParkedDelivery::sequence).containsExactly(2L);
    assertThat(first.relay().status().eventsBehind()).as("the cursor did not move").isEqualTo(3);

    clock.advance(Duration.ofMinutes(1));
    FanGroups next = ProcessClient.process(shared).clock(clock).startRelay(false).eventPublisher(rejectingTheSecond)
        .build();
    next.relay().drainOnce();
    assertThat(next.relay().status().caughtUp()).isTrue();
    assertThat(next.relay().parked(10)).singleElement().satisfies(p -> {
      assertThat(p.sequence()).isEqualTo(2);
      assertThat(p.attempts()).isEqualTo(1);
      assertThat(p.parkedAt()).as("the first parking, kept").isEqualTo(parkedAt);
    });
    assertThat(published).as("at least once: 1 and 3 again after the stop").containsExactly(1L, 3L, 1L, 3L);
  }
}
