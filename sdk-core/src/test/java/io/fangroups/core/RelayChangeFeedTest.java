package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The relay finds work on the store's change feed, so what a poll costs grows with the groups that
 * have new events, not with the groups there are; and it reads a group's events in batches.
 * {@link ProcessClient} counts the store calls.
 */
class RelayChangeFeedTest {
  private static final CommandContext AS_OWNER = CommandContext.of("owner");
  /** One background thread that polls once at start and then not for an hour. */
  private static final OutboxRelay.Options ONE_POLL = new OutboxRelay.Options(1, Duration.ofSeconds(5),
      Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofHours(1));

  private final InMemoryGroupStore shared = InMemoryGroupStore.create();

  @Test
  void idlePoll_aHundredThousandDeliveredGroups_makesOneStoreCall() throws Exception {
    ProcessClient client = new ProcessClient(shared);
    AtomicInteger published = new AtomicInteger();
    FanGroups process = FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).startRelay(false)
        .startRedPacketSweep(false) // its two idle calls every 30 s are not the relay's
        .relayOptions(ONE_POLL).eventPublisher(e -> {
          published.incrementAndGet();
          return CompletableFuture.completedFuture(null);
        }).build();
    GroupId first = process.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    StoredEvent created = shared.read("group/" + first.value(), 0, 1).get(0);
    for (int i = 1; i < 100_000; i++) { // the same creation in 99,999 more groups, appended as the engine appends
      shared.append(List.of(new StreamAppend("group/g" + i, 0, List.of(new NewEvent(created.type(), created.payload())),
          null, true)), List.of());
    }
    assertThat(process.relay().drainOnce()).as("deliveries").isEqualTo(100_000);
    assertThat(process.relay().drainOnce()).as("deliveries after all were delivered").isZero();
    assertThat(shared.changed(null, 10)).as("groups still marked as changed").isEmpty();

    client.calls.clear();
    assertThat(process.relay().drainOnce()).isZero();
    assertThat(counts(client)).as("store calls of an idle drainOnce").isEqualTo(Map.of("changed", 1));

    client.calls.clear();
    process.relay().start(); // polls once now, then sleeps for an hour
    try {
      for (int i = 0; i < 500 && !client.calls.containsKey("changed"); i++) {
        Thread.sleep(10);
      }
      Thread.sleep(100);
      assertThat(counts(client)).as("store calls of an idle background poll").isEqualTo(Map.of("changed", 1));
    } finally {
      process.relay().close();
    }
    assertThat(published).hasValue(100_000);
  }

  @Test
  void drainOnce_aThousandEventsOfOneGroup_readsThemInBatches() {
    assertThat(readsToDeliverAThousandEvents(500)).as("reads with batches of 500").isEqualTo(3);
    assertThat(readsToDeliverAThousandEvents(1)).as("reads with batches of 1").isEqualTo(1_001);
  }

  /** Delivers a group's 1,000 events (its creation and 999 posts) to a publisher; returns the store reads it took. */
  private static int readsToDeliverAThousandEvents(int readBatch) {
    ProcessClient client = new ProcessClient(InMemoryGroupStore.create());
    List<Long> published = new CopyOnWriteArrayList<>();
    FanGroups process = FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).startRelay(false)
        .startRedPacketSweep(false) // its two idle calls every 30 s are not the relay's
        .relayOptions(ONE_POLL.withReadBatch(readBatch)).eventPublisher(e -> {
          published.add(e.sequence());
          return CompletableFuture.completedFuture(null);
        }).build();
    GroupId group = process.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    for (int i = 1; i < 1_000; i++) {
      process.post(AS_OWNER, group, new MessageContent.Text("message " + i));
    }
    client.calls.clear();
    assertThat(process.relay().drainOnce()).isEqualTo(1_000);
    assertThat(published).as("published in order, each once").isEqualTo(LongStream.rangeClosed(1, 1_000).boxed().toList());
    return client.calls.get("read").get();
  }

  private static Map<String, Integer> counts(ProcessClient client) {
    return client.calls.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
  }
}
