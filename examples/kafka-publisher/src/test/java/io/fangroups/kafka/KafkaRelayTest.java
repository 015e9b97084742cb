package io.fangroups.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinSource;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.spi.DeliveryRejectedException;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link KafkaEventPublisher} on a real broker. The SDK's outbox relay publishes through it while the
 * broker is stopped and started again mid-run: a consumer that deduplicates on the event id reads
 * exactly the events the SDK committed, each group's in sequence order, and nothing acknowledged
 * before the stop is lost. A record the topic can never hold is rejected, and the producer goes on.
 */
class KafkaRelayTest {
  @RegisterExtension
  static final KafkaBroker broker = new KafkaBroker();

  private static final String TOPIC = "fangroups.group-events";
  private static final int GROUPS = 50;
  private static final int ROUNDS_PER_PHASE = 10;
  private static final int PARTITIONS = 4;
  /** Short backoff so the relay retries soon after the broker is back; never parks in this test. */
  private static final OutboxRelay.Options RELAY = new OutboxRelay.Options(2, Duration.ofSeconds(5),
      Duration.ofMillis(50), Duration.ofMillis(500), Duration.ofMillis(20)).withMaxAttempts(1_000);

  @Test
  void brokerRestartMidRun_consumerDedupingOnEventId_readsEveryCommittedEventInOrderPerGroup() throws Exception {
    broker.createTopic(TOPIC, PARTITIONS, Map.of("min.insync.replicas", "1"));
    List<GroupId> groups = new ArrayList<>();
    Map<TopicPartition, Long> ackedBeforeStop;
    ExecutorService users = Executors.newFixedThreadPool(4);
    try (KafkaWiring.Wired wired = KafkaWiring.connect(broker.bootstrapServers(), TOPIC, RELAY)) {
      FanGroups fanGroups = wired.fanGroups();
      for (int g = 0; g < GROUPS; g++) {
        groups.add(fanGroups.createGroup(CommandContext.of("creator-" + g),
            GroupSettings.builder().name("粉丝群 " + g).cap(GroupSettings.CAP_500).build()).id());
      }
      runRounds(fanGroups, groups, users, 0);
      ackedBeforeStop = endOffsets(); // what the broker acknowledged to every replica so far

      broker.stop();
      runRounds(fanGroups, groups, users, 1); // committed while the relay cannot publish
      OutboxRelay relay = fanGroups.relay();
      await(() -> relay.status().failedAttempts() > 0, "the relay failing an attempt while the broker is down");
      CompletableFuture<Void> restarted = CompletableFuture.runAsync(() -> {
        try {
          broker.start();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      runRounds(fanGroups, groups, users, 2); // committed while the broker comes back
      restarted.get();

      await(() -> relay.status().caughtUp(), "the relay catching up");
      assertThat(relay.status().parked()).as("parked deliveries").isZero();

      Map<String, List<PublishedEvent>> committed = new HashMap<>();
      int committedCount = 0;
      for (GroupId group : groups) {
        List<PublishedEvent> events = fanGroups.publishedEvents(group, 0, 10_000);
        assertThat(events).extracting(PublishedEvent::sequence)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        committed.put(group.value(), events);
        committedCount += events.size();
      }
      assertThat(committedCount).isGreaterThan(3_000);

      List<ConsumerRecord<String, String>> records = readAll();
      Map<String, List<ConsumerRecord<String, String>>> firstSeen = new HashMap<>();
      Map<String, Integer> partitionOfGroup = new HashMap<>();
      Set<String> seenIds = new HashSet<>();
      int duplicates = 0;
      for (ConsumerRecord<String, String> record : records) {
        assertThat(partitionOfGroup.computeIfAbsent(record.key(), k -> record.partition()))
            .as("partition of group %s", record.key()).isEqualTo(record.partition());
        if (seenIds.add(header(record, KafkaEventPublisher.EVENT_ID_HEADER))) {
          firstSeen.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
        } else {
          duplicates++;
        }
      }
      assertThat(firstSeen.keySet()).containsExactlyInAnyOrderElementsOf(committed.keySet());
      for (Map.Entry<String, List<PublishedEvent>> group : committed.entrySet()) {
        // After dedupe, a group's records in partition order are its committed events in sequence order.
        assertThat(firstSeen.get(group.getKey()).stream().map(KafkaRelayTest::asEvent).toList())
            .as("group %s", group.getKey()).containsExactlyElementsOf(group.getValue().stream()
                .map(e -> List.of(e.eventId(), e.type(), e.json())).toList());
      }
      for (Map.Entry<TopicPartition, Long> acked : ackedBeforeStop.entrySet()) {
        long kept = records.stream().filter(r -> r.partition() == acked.getKey().partition())
            .filter(r -> r.offset() < acked.getValue()).count();
        assertThat(kept).as("records of %s acknowledged before the stop", acked.getKey()).isEqualTo(acked.getValue());
      }
      assertThat(ackedBeforeStop.values().stream().mapToLong(Long::longValue).sum()).isPositive();
      System.out.printf("%d events committed, %d records read, %d duplicates dropped by event id%n",
          committedCount, records.size(), duplicates);
    } finally {
      users.shutdownNow();
    }
  }

  @Test
  void publish_recordAboveTheTopicsMaxMessageBytes_isRejectedAndLaterEventsGoOn() throws Exception {
    broker.createTopic("small-records", 1, Map.of("max.message.bytes", "2048"));
    try (KafkaEventPublisher kafka = KafkaEventPublisher.builder().bootstrapServers(broker.bootstrapServers())
        .topic("small-records").build()) {
      String big = "{\"body\":\"" + "x".repeat(4096) + "\"}";
      CompletableFuture<Void> tooLarge = kafka.publish(new PublishedEvent("g/1", "g", 1, Instant.now(), "MessagePosted", big))
          .toCompletableFuture();

      assertThatThrownBy(tooLarge::get).cause().isInstanceOf(DeliveryRejectedException.class)
          .hasMessageContaining("g/1").cause().isInstanceOf(RecordTooLargeException.class);
      kafka.publish(new PublishedEvent("g/2", "g", 2, Instant.now(), "MessagePosted", "{}")).toCompletableFuture().get();
    }
  }

  /**
   * Ten rounds of commands on every group, four users' threads at a time: per round a fan joins and
   * posts, and every third round the previous round's fan leaves.
   */
  private static void runRounds(FanGroups fanGroups, List<GroupId> groups, ExecutorService users, int phase)
      throws Exception {
    List<Future<?>> work = new ArrayList<>();
    for (GroupId group : groups) {
      work.add(users.submit(() -> {
        for (int r = phase * ROUNDS_PER_PHASE; r < (phase + 1) * ROUNDS_PER_PHASE; r++) {
          CommandContext fan = CommandContext.of(group.value() + "-fan-" + r);
          fanGroups.apply(fan, group, JoinSource.BUTTON);
          fanGroups.post(fan, group, new MessageContent.Text("hello from round " + r));
          if (r % 3 == 2) {
            fanGroups.leave(CommandContext.of(group.value() + "-fan-" + (r - 1)), group);
          }
        }
        return null;
      }));
    }
    for (Future<?> done : work) {
      done.get();
    }
  }

  /** Waits for the condition, failing the test after a minute. */
  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within a minute", what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static List<String> asEvent(ConsumerRecord<String, String> record) {
    return List.of(header(record, KafkaEventPublisher.EVENT_ID_HEADER),
        header(record, KafkaEventPublisher.TYPE_HEADER), record.value());
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<String, String> consumer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < PARTITIONS; p++) {
      partitions.add(new TopicPartition(TOPIC, p));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /** Each partition's high watermark: the records written to every in-sync replica. */
  private static Map<TopicPartition, Long> endOffsets() {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      return new LinkedHashMap<>(consumer.endOffsets(consumer.assignment()));
    }
  }

  /** Every record of the topic, partition by partition in offset order. */
  private static List<ConsumerRecord<String, String>> readAll() {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      Map<TopicPartition, List<ConsumerRecord<String, String>>> read = new LinkedHashMap<>();
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          read.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), k -> new ArrayList<>()).add(record);
        }
      }
      return read.values().stream().flatMap(List::stream).toList();
    }
  }
}
