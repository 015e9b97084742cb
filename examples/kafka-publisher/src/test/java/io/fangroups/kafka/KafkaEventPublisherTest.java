package io.fangroups.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.spi.DeliveryRejectedException;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The publisher against Kafka's {@link MockProducer}: what it sends, when its stage completes, how failures map. */
class KafkaEventPublisherTest {
  private static final PublishedEvent EVENT = new PublishedEvent("g_1/7", "g_1", 7,
      Instant.parse("2026-03-01T08:00:00Z"), "MemberJoined", "{\"eventId\":\"g_1/7\",\"group\":\"g_1\"}");

  private final MockProducer<String, String> producer =
      new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
  private final KafkaEventPublisher publisher = new KafkaEventPublisher(producer, "events", Duration.ofSeconds(1));

  @Test
  void publish_writesOneRecordKeyedByGroupWithTheJsonAndIdHeaders() {
    publisher.publish(EVENT);

    ProducerRecord<String, String> record = producer.history().get(0);
    assertThat(record.topic()).isEqualTo("events");
    assertThat(record.key()).isEqualTo("g_1");
    assertThat(record.value()).isEqualTo(EVENT.json());
    assertThat(new String(record.headers().lastHeader(KafkaEventPublisher.EVENT_ID_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo("g_1/7");
    assertThat(new String(record.headers().lastHeader(KafkaEventPublisher.TYPE_HEADER).value(),
        StandardCharsets.UTF_8)).isEqualTo("MemberJoined");
  }

  @Test
  void publish_completesOnlyWhenTheBrokerAcknowledged() {
    CompletableFuture<Void> stage = publisher.publish(EVENT).toCompletableFuture();
    assertThat(stage).isNotDone();

    producer.completeNext();

    assertThat(stage).isCompleted();
  }

  @Test
  void publish_recordTooLarge_failsWithRejection() {
    CompletableFuture<Void> stage = publisher.publish(EVENT).toCompletableFuture();

    producer.errorNext(new RecordTooLargeException("above max.message.bytes"));

    assertThatThrownBy(stage::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(DeliveryRejectedException.class).hasMessageContaining("g_1/7")
        .cause().isInstanceOf(RecordTooLargeException.class);
  }

  @Test
  void publish_sendThrowsSerializationError_failsTheStageWithRejection() {
    producer.sendException = new SerializationException("cannot serialize");

    CompletableFuture<Void> stage = publisher.publish(EVENT).toCompletableFuture();

    assertThatThrownBy(stage::get).cause().isInstanceOf(DeliveryRejectedException.class);
  }

  @Test
  void publish_timeoutOrAuthorizationFailure_failsTheStageToBeRetried() {
    CompletableFuture<Void> timedOut = publisher.publish(EVENT).toCompletableFuture();
    CompletableFuture<Void> refused = publisher.publish(EVENT).toCompletableFuture();

    producer.errorNext(new TimeoutException("expired"));
    producer.errorNext(new TopicAuthorizationException("no WRITE on events"));

    assertThatThrownBy(timedOut::get).cause().isExactlyInstanceOf(TimeoutException.class);
    assertThatThrownBy(refused::get).cause().isExactlyInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void close_flushesPendingRecordsThenClosesTheProducer() {
    CompletableFuture<Void> stage = publisher.publish(EVENT).toCompletableFuture();

    publisher.close();

    assertThat(stage).isCompleted();
    assertThat(producer.flushed()).isTrue();
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void builder_configuresAnIdempotentProducerAnsweringWithinTheDeliveryTimeout() {
    Map<String, Object> config = KafkaEventPublisher.builder().bootstrapServers("b:9092").topic("events")
        .deliveryTimeout(Duration.ofSeconds(3)).property("linger.ms", 20).producerConfig();

    assertThat(config).containsEntry("bootstrap.servers", "b:9092").containsEntry("enable.idempotence", true)
        .containsEntry("acks", "all").containsEntry("max.in.flight.requests.per.connection", 5)
        .containsEntry("max.block.ms", 750L).containsEntry("delivery.timeout.ms", 2250)
        .containsEntry("request.timeout.ms", 2230).containsEntry("key.serializer", StringSerializer.class.getName());
  }

  @Test
  void builder_propertiesThatBreakOrderOrDurability_areRefusedNamingThem() {
    for (Map.Entry<String, Object> bad : Map.<String, Object>of("acks", "1", "enable.idempotence", "false",
        "max.in.flight.requests.per.connection", 6, "value.serializer", "x.Y", "delivery.timeout.ms", 100_000,
        "transactional.id", "t").entrySet()) {
      assertThatThrownBy(() -> KafkaEventPublisher.builder().property(bad.getKey(), bad.getValue()))
          .as(bad.getKey()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKey());
    }
    assertThat(KafkaEventPublisher.builder().property("acks", "-1").property("max.in.flight.requests.per.connection", 1)
        .bootstrapServers("b:9092").topic("events").producerConfig()).containsEntry("acks", "all");
  }

  @Test
  void builder_missingOrRepeatedSettings_failFast() {
    assertThatThrownBy(() -> KafkaEventPublisher.builder().bootstrapServers("b:9092").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("topic");
    assertThatThrownBy(() -> KafkaEventPublisher.builder().topic("a").topic("b"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("topic");
    assertThatThrownBy(() -> KafkaEventPublisher.builder().property("client.id", "a").property("client.id", "b"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("client.id");
    assertThatThrownBy(() -> KafkaEventPublisher.builder().deliveryTimeout(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deliveryTimeout");
  }

  @Test
  void build_propertyKafkaRefuses_isIllegalArgument() {
    assertThatThrownBy(() -> KafkaEventPublisher.builder().bootstrapServers("b:9092").topic("events")
        .property("compression.type", "rar").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compression.type");
  }
}
