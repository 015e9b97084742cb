package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import io.fangroups.spi.MessageTransport;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OutboxRelayTest {
  private static final OutboxRelay.Options FAST = new OutboxRelay.Options(2, Duration.ofMillis(40),
      Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMillis(5));

  /** A consumer that deduplicates on the id and remembers the order of first arrivals per group. */
  static final class IdempotentConsumer {
    final Set<String> seen = ConcurrentHashMap.newKeySet();
    final Map<String, List<Long>> firstArrivals = new ConcurrentHashMap<>();
    /** The type of each id that arrived. */
    final Map<String, String> types = new ConcurrentHashMap<>();
    final AtomicInteger duplicates = new AtomicInteger();

    void receive(String id, String group, long sequence) {
      receive(id, group, sequence, "");
    }

    void receive(String id, String group, long sequence, String type) {
      if (seen.add(id)) {
        types.put(id, type);
        firstArrivals.computeIfAbsent(group, g -> new CopyOnWriteArrayList<>()).add(sequence);
      } else {
        duplicates.incrementAndGet();
      }
    }
  }

  /**
   * Fails 30% of calls: half before the consumer got the item, half after (the acknowledgement is
   * lost, so the retry is a duplicate); hangs on 1%, half of those after delivering.
   */
  static final class Flaky implements EventPublisher, MessageTransport {
    final IdempotentConsumer consumer = new IdempotentConsumer();
    final Random random;
    volatile boolean healthy;

    Flaky(long seed) {
      random = new Random(seed);
    }

    private CompletionStage<Void> handle(String id, String group, long sequence, String type) {
      int roll;
      synchronized (random) {
        roll = random.nextInt(200);
      }
      if (healthy) {
        consumer.receive(id, group, sequence, type);
        return CompletableFuture.completedFuture(null);
      }
      if (roll < 30) {
        return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
      }
      if (roll < 60) {
        consumer.receive(id, group, sequence, type);
        throw new IllegalStateException("ack lost");
      }
      if (roll < 62) {
        if (roll == 61) {
          consumer.receive(id, group, sequence, type);
        }
        return new CompletableFuture<>(); // hangs
      }
      consumer.receive(id, group, sequence, type);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> publish(PublishedEvent event) {
      return handle(event.eventId(), event.groupId(), event.sequence(), event.type());
    }

    @Override
    public CompletionStage<Void> deliver(OutgoingMessage message) {
      return handle(message.idempotencyKey(), message.groupId(), message.sequence(), message.kind());
    }
  }

  /**
   * Must-show: a 30%-failing, sometimes hanging publisher and transport while 10,000 commands run,
   * with batched reads, snapshots, and pruning passes deleting on another thread meanwhile. The
   * publisher's deduplicated record is the archive: the store may have pruned the history.
   */
  @ParameterizedTest
  @EnumSource(PruningLoop.Kept.class)
  void faultyPublisherAndTransport_loseNothingDuplicateNothingKeepOrder(PruningLoop.Kept kept) throws Exception {
    Flaky publisher = new Flaky(1);
    Flaky transport = new Flaky(2);
    MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
    InMemoryGroupStore store = InMemoryGroupStore.create();
    // Enough attempts that no delivery is parked: 31% of attempts fail, so 10 in a row happen about
    // once in 120,000 deliveries, and a parked event would be delivered out of order when retried.
    FanGroups groups = FanGroups.builder().store(store).clock(clock).eventPublisher(publisher)
        .messageTransport(transport).relayOptions(FAST.withMaxAttempts(1_000)).retention(kept.policy)
        .startPruning(false).build();
    List<GroupId> ids = new ArrayList<>();
    for (int g = 0; g < 8; g++) {
      ids.add(groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g" + g, 200)).id());
    }
    AtomicInteger refused = new AtomicInteger();
    PruningLoop pruning = PruningLoop.start(groups, () -> clock.advance(Duration.ofMinutes(10)));
    try (pruning) {
      runCommands(groups, ids, refused);
    }
    groups.relay().close();
    Retention.PruneReport whileRunning = groups.retention().status().total();

    publisher.healthy = true;
    transport.healthy = true;
    while (!groups.relay().status().caughtUp()) {
      groups.relay().drainOnce();
    }
    groups.retention().pruneOnce();

    long committed = 0;
    long notices = 0;
    FanGroups restarted = ProcessClient.process(store).retention(kept.policy).startPruning(false).build();
    for (GroupId g : ids) {
      GroupInfo info = groups.group(g);
      committed += info.lastSequence();
      List<Long> published = publisher.consumer.firstArrivals.get(g.value());
      assertThat(published).as("published in order, all of them").isEqualTo(sequence(1, info.lastSequence()));
      List<String> types = published.stream().map(s -> publisher.consumer.types.get(g.value() + "/" + s)).toList();
      List<Long> carryMessages = published.stream()
          .filter(s -> WireFormat.mayCarryMessage(types.get((int) (s - 1)))).toList();
      notices += carryMessages.size();
      assertThat(transport.consumer.firstArrivals.getOrDefault(g.value(), List.of())).isEqualTo(carryMessages);
      for (GroupEvent stillStored : groups.events(g, 0, 10_000)) {
        assertThat(publisher.consumer.types.get(stillStored.eventId()))
            .as("what the store kept is what was published").isEqualTo(stillStored.change().getClass().getSimpleName());
      }
      long joins = types.stream().filter("MemberJoined"::equals).count();
      long leaves = types.stream().filter("MemberLeft"::equals).count();
      assertThat(info.memberCount()).as("members: the owner and the published joins less the published leaves")
          .isEqualTo(1 + joins - leaves).isLessThanOrEqualTo(200);
      assertThat(restarted.members(g)).as("a new instance loads the group from its snapshot and what followed")
          .containsExactlyInAnyOrderElementsOf(groups.members(g));
    }
    assertThat(publisher.consumer.seen).hasSize((int) committed);
    assertThat(transport.consumer.seen).hasSize((int) notices);
    assertThat(groups.relay().status().failedAttempts()).isPositive();
    assertThat(publisher.consumer.duplicates.get() + transport.consumer.duplicates.get()).isPositive();
    assertThat(refused.get()).isPositive();
    if (kept == PruningLoop.Kept.LITTLE) {
      assertThat(whileRunning.historyEventsDeleted()).as("history deleted while the commands ran").isPositive();
      assertThat(whileRunning.messagesDeleted()).as("messages deleted while the commands ran").isPositive();
      assertThat(pruning.passesThatDeletedWhileDeliveriesWerePending())
          .as("passes that deleted with deliveries pending").isPositive();
    }
  }

  /** 10,000 joins, leaves and posts spread over the groups, on 8 threads; counts the refused ones. */
  private static void runCommands(FanGroups groups, List<GroupId> ids, AtomicInteger refused) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      submitCommands(pool, groups, ids, refused);
    } finally {
      pool.shutdown();
    }
  }

  private static void submitCommands(ExecutorService pool, FanGroups groups, List<GroupId> ids, AtomicInteger refused)
      throws Exception {
    CommandContext owner = CommandContext.of("owner");
    List<Future<?>> work = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      int n = i;
      work.add(pool.submit(() -> {
        GroupId group = ids.get(n % ids.size());
        CommandContext fan = CommandContext.of("fan-" + (n % 1500));
        try {
          if (n % 5 == 4) {
            groups.post(owner, group, new MessageContent.Text("post " + n));
          } else if (n % 3 == 2) {
            groups.leave(fan, group);
          } else {
            groups.apply(fan, group, JoinSource.BUTTON);
          }
        } catch (FanGroupsException e) {
          refused.incrementAndGet(); // already member, not a member, full: refused and changed nothing
        }
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
  }

  /**
   * Must-show: the relay stops between commit and publish; pruning meanwhile deletes only what it
   * published, and a new relay on the same store loses nothing.
   */
  @Test
  void relayCrashBetweenCommitAndPublish_newRelayResumes() {
    InMemoryGroupStore store = InMemoryGroupStore.create();
    IdempotentConsumer consumer = new IdempotentConsumer();
    AtomicInteger budget = new AtomicInteger(3);
    EventPublisher dying = e -> {
      if (budget.getAndDecrement() <= 0) {
        return new CompletableFuture<>(); // the process is going down: nothing completes any more
      }
      consumer.receive(e.eventId(), e.groupId(), e.sequence());
      return CompletableFuture.completedFuture(null);
    };
    FanGroups first = FanGroups.builder().store(store).eventPublisher(dying).startRelay(false)
        .relayOptions(FAST).retention(PruningLoop.KEEP_LITTLE).startPruning(false).build();
    GroupInfo g = first.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
    for (int i = 0; i < 9; i++) {
      first.apply(CommandContext.of("fan" + i), g.id(), JoinSource.BUTTON);
    }
    List<Member> members = first.members(g.id());
    first.relay().drainOnce();
    assertThat(first.relay().status().eventsBehind()).isEqualTo(7);
    assertThat(first.retention().pruneOnce().historyEventsDeleted())
        .as("of 10 events a snapshot covers, those deleted: the 3 published").isEqualTo(3);

    FanGroups second = FanGroups.builder().store(store).startRelay(false).relayOptions(FAST)
        .retention(PruningLoop.KEEP_LITTLE).startPruning(false)
        .eventPublisher(e -> {
          consumer.receive(e.eventId(), e.groupId(), e.sequence());
          return CompletableFuture.completedFuture(null);
        }).build();
    second.relay().drainOnce();

    assertThat(second.relay().status().caughtUp()).isTrue();
    assertThat(consumer.firstArrivals.get(g.id().value())).isEqualTo(sequence(1, 10));
    assertThat(second.retention().pruneOnce().historyEventsDeleted())
        .as("the others, once published, but for the group's last event").isEqualTo(6);
    FanGroups restarted = ProcessClient.process(store).startPruning(false).build();
    assertThat(restarted.members(g.id())).as("loaded from the snapshot alone").containsExactlyElementsOf(members);
  }

  @Test
  void status_reportsLagAndOldestPendingEvent() {
    MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
    List<PublishedEvent> got = new CopyOnWriteArrayList<>();
    FanGroups groups = FanGroups.builder().clock(clock).startRelay(false).eventPublisher(e -> {
      got.add(e);
      return CompletableFuture.completedFuture(null);
    }).build();
    GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
    clock.advance(Duration.ofMinutes(5));
    groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);

    OutboxRelay.Status behind = groups.relay().status();
    assertThat(behind.eventsBehind()).isEqualTo(2);
    assertThat(behind.messagesBehind()).isZero(); // no transport configured
    assertThat(behind.oldestPending()).contains(clock.instant().minus(Duration.ofMinutes(5)));

    assertThat(groups.relay().drainOnce()).isEqualTo(2);
    assertThat(groups.relay().status().caughtUp()).isTrue();
    assertThat(got).extracting(PublishedEvent::type).containsExactly("GroupCreated", "MemberJoined");
    assertThat(got.get(1).json()).contains("\"eventId\":\"" + g.id().value() + "/2\"")
        .contains("\"user\":\"fan\"").contains("\"source\":\"BUTTON\"");
  }

  @Test
  void transport_getsJoinAndLeaveNoticesKeyedByEvent() {
    List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    FanGroups groups = recordingTransport(sent);
    GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
    groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
    groups.kick(CommandContext.of("owner"), g.id(), UserId.of("fan"));
    groups.relay().drainOnce();
    assertThat(sent).extracting(m -> m.fields().get("notice")).containsExactly("member_joined", "member_kicked");
    assertThat(sent).extracting(OutgoingMessage::idempotencyKey).containsExactly(g.id() + "/2", g.id() + "/3");
    assertThat(sent).allMatch(m -> m.senderId().equals("system"));
  }

  @Test
  void transport_deliversPostedContentWithItsFields() {
    List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    FanGroups groups = recordingTransport(sent);
    GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
    groups.post(CommandContext.of("owner"), g.id(), new MessageContent.ProductLink("https://shop.example/item/42",
        "Lip balm", 3900, "CNY", java.util.Optional.of("FANS10")));
    groups.post(CommandContext.of("owner"), g.id(), new MessageContent.VideoCard("v123", "New video", true,
        "https://cdn.example/cover.jpg"));
    groups.relay().drainOnce();
    assertThat(sent).extracting(OutgoingMessage::kind).containsExactly("product_link", "video_card");
    assertThat(sent.get(0).fields()).containsEntry("url", "https://shop.example/item/42")
        .containsEntry("priceCents", "3900").containsEntry("coupon", "FANS10");
    assertThat(sent.get(1).fields()).containsEntry("preview", "true").containsEntry("videoId", "v123");
    assertThat(sent).allMatch(m -> m.senderId().equals("owner"));
  }

  /** Thirty groups whose host hangs hold only their own deliveries: a healthy group is not kept waiting. */
  @Test
  void hungGroups_doNotStarveAHealthyOne() throws Exception {
    Set<String> hung = ConcurrentHashMap.newKeySet();
    List<String> published = new CopyOnWriteArrayList<>();
    FanGroups groups = FanGroups.builder().startRelay(false).groupsPerCreator(100)
        .relayOptions(new OutboxRelay.Options(2, Duration.ofSeconds(30), Duration.ofMillis(1), Duration.ofSeconds(30),
            Duration.ofMillis(5)))
        .eventPublisher(e -> {
          if (hung.contains(e.groupId())) {
            return new CompletableFuture<>(); // this shard of the host's bus never answers
          }
          published.add(e.eventId());
          return CompletableFuture.completedFuture(null);
        }).build();
    try {
      for (int i = 0; i < 30; i++) {
        hung.add(groups.createGroup(CommandContext.of("owner"), GroupSettings.of("hung " + i, 200)).id().value());
      }
      GroupInfo healthy = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("healthy", 200));
      groups.relay().start();
      for (int i = 0; i < 500 && !published.contains(healthy.id() + "/1"); i++) {
        Thread.sleep(10);
      }
      assertThat(published).contains(healthy.id() + "/1");
      assertThat(groups.relay().status().failedAttempts()).as("no hung delivery had to time out first").isZero();
    } finally {
      groups.relay().close();
    }
  }

  @Test
  void backgroundRelay_publishesWithoutBeingAsked() throws Exception {
    IdempotentConsumer consumer = new IdempotentConsumer();
    FanGroups groups = FanGroups.builder().relayOptions(FAST).eventPublisher(e -> {
      consumer.receive(e.eventId(), e.groupId(), e.sequence());
      return CompletableFuture.completedFuture(null);
    }).build();
    try {
      GroupInfo g = groups.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200));
      groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
      for (int i = 0; i < 400 && !groups.relay().status().caughtUp(); i++) {
        Thread.sleep(10);
      }
      assertThat(consumer.firstArrivals.get(g.id().value())).isEqualTo(sequence(1, 2));
    } finally {
      groups.relay().close();
    }
  }

  private static FanGroups recordingTransport(List<OutgoingMessage> sent) {
    return FanGroups.builder().startRelay(false).messageTransport(m -> {
      sent.add(m);
      return CompletableFuture.completedFuture(null);
    }).build();
  }

  private static List<Long> sequence(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}
