package io.fangroups.kafka;

import io.fangroups.spi.DeliveryRejectedException;
import io.fangroups.spi.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EventPublisher} that writes each event as one Kafka record: the key is the group id, so
 * a group's events land in one partition in the order the relay publishes them; the value is the
 * event's JSON exactly as the SDK hands it (docs/event-format.md); headers {@value #EVENT_ID_HEADER}
 * and {@value #TYPE_HEADER} carry the event id and type for consumers that route without parsing.
 *
 * <p>The producer is idempotent with {@code acks=all} and at most 5 requests in flight, so the
 * broker neither reorders nor duplicates its own retries; the stage {@link #publish} returns
 * completes only when every in-sync replica has the record, so the relay's cursor moves only past
 * durable writes. Any other failure fails the stage and the relay retries it, so a consumer still
 * sees an event more than once (a retry after a timeout, a restarted relay): it must deduplicate on
 * {@code eventId}. A record the broker will never take (larger than the topic allows, or refused as
 * invalid) fails with {@link DeliveryRejectedException} and is parked by the relay.
 *
 * <p>Known limit: errors Kafka treats as fatal to an idempotent producer (a cluster that refuses
 * idempotent writes to this principal, for one) fail every later send too; the relay keeps retrying
 * and then parks, until the host fixes the cause and builds a new publisher.
 *
 * <p>Keep the {@linkplain Builder#deliveryTimeout delivery timeout} below the relay's
 * ({@code OutboxRelay.Options.deliveryTimeout}, 5 s by default): the broker's answer then arrives
 * before the relay gives up on an attempt and publishes the event again.
 */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {
  /** The record header holding {@link PublishedEvent#eventId()}, UTF-8. */
  public static final String EVENT_ID_HEADER = "fangroups-event-id";
  /** The record header holding {@link PublishedEvent#type()}, UTF-8. */
  public static final String TYPE_HEADER = "fangroups-event-type";

  private final Producer<String, String> producer;
  private final String topic;
  private final Duration closeTimeout;

  KafkaEventPublisher(Producer<String, String> producer, String topic, Duration closeTimeout) {
    this.producer = producer;
    this.topic = topic;
    this.closeTimeout = closeTimeout;
  }

  /** A builder; bootstrap servers and topic are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Sends the event; the stage completes when the broker acknowledged it, fails with
   * {@link DeliveryRejectedException} when the broker can never take it, and fails with the
   * producer's error otherwise (to be retried), all within the delivery timeout. The call itself
   * returns once the record is buffered; it blocks only while the producer has no metadata for the
   * topic or no buffer space, at most a quarter of the delivery timeout. The stage completes on the
   * producer's I/O thread: chain work on it with the {@code …Async} methods.
   */
  @Override
  public CompletionStage<@Nullable Void> publish(PublishedEvent event) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, event.groupId(), event.json(),
        List.of(header(EVENT_ID_HEADER, event.eventId()), header(TYPE_HEADER, event.type())));
    CompletableFuture<@Nullable Void> acked = new CompletableFuture<>();
    try {
      producer.send(record, (metadata, error) -> {
        if (error == null) {
          acked.complete(null);
        } else {
          acked.completeExceptionally(classify(event, error));
        }
      });
    } catch (RuntimeException e) { // serialization, a closed producer, metadata not found in time
      acked.completeExceptionally(classify(event, e));
    }
    return acked;
  }

  /** Sends what is buffered, waits for the answers (each within the delivery timeout), then closes the producer. */
  @Override
  public void close() {
    producer.flush();
    producer.close(closeTimeout);
  }

  private static RecordHeader header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Rejected (parked at once) only where this record can never be written; everything else,
   * authorization included, is retried: it concerns every event alike, and parking them all would
   * deliver each group out of order once an operator fixed it.
   */
  static Throwable classify(PublishedEvent event, Throwable error) {
    if (error instanceof RecordTooLargeException || error instanceof SerializationException
        || error instanceof InvalidRecordException) {
      return new DeliveryRejectedException("Kafka will never accept event " + event.eventId() + " ("
          + event.type() + ", " + event.json().length() + " chars): " + error.getMessage(), error);
    }
    return error;
  }

  /**
   * Configures a {@link KafkaEventPublisher}. A setting that would break ordering or durability is
   * refused with {@link IllegalArgumentException} naming it; a setting given twice with
   * {@link IllegalStateException}.
   */
  public static final class Builder {
    /** The default {@link #deliveryTimeout}: below the relay's default of 5 s. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(4);

    private static final List<String> OWNED = List.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ProducerConfig.MAX_BLOCK_MS_CONFIG,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG, ProducerConfig.PARTITIONER_CLASS_CONFIG);

    private @Nullable String bootstrapServers;
    private @Nullable String topic;
    private @Nullable Duration deliveryTimeout;
    private final Map<String, Object> properties = new HashMap<>();

    private Builder() {}

    /** The brokers to bootstrap from, {@code host:port[,host:port…]}. Required. */
    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = once(this.bootstrapServers, nonBlank(servers, "bootstrapServers"), "bootstrapServers");
      return this;
    }

    /** The topic every event is written to. Required. */
    public Builder topic(String topic) {
      this.topic = once(this.topic, nonBlank(topic, "topic"), "topic");
      return this;
    }

    /**
     * The longest one {@code publish} takes from the call to its stage's completion: a quarter of it
     * for {@code send} to wait for metadata ({@code max.block.ms}), the rest for the write and its
     * retries ({@code delivery.timeout.ms}). Default {@link #DEFAULT_DELIVERY_TIMEOUT}; keep it below
     * the relay's delivery timeout.
     */
    public Builder deliveryTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1_000 || timeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("deliveryTimeout must be 1 s to 24 days, got " + timeout);
      }
      this.deliveryTimeout = once(this.deliveryTimeout, timeout, "deliveryTimeout");
      return this;
    }

    /**
     * One more producer property (security, compression, client id …), as Kafka names it. Refused:
     * the ones this class sets itself (servers, serializers, partitioner, timeouts, a transactional
     * id), {@code enable.idempotence=false}, {@code acks} other than {@code all}, and more than 5
     * requests in flight.
     */
    public Builder property(String name, Object value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      check(name, String.valueOf(value).strip());
      if (properties.putIfAbsent(name, value) != null) {
        throw new IllegalStateException("property " + name + " was already set");
      }
      return this;
    }

    /** {@link #property} for each entry. */
    public Builder properties(Map<String, ?> more) {
      Objects.requireNonNull(more, "more").forEach(this::property);
      return this;
    }

    /**
     * Creates the producer (it connects lazily). {@link IllegalStateException} when servers or topic
     * are missing; {@link IllegalArgumentException} when Kafka refuses the properties.
     */
    public KafkaEventPublisher build() {
      if (bootstrapServers == null || topic == null) {
        throw new IllegalStateException("bootstrapServers and topic are required");
      }
      try {
        return new KafkaEventPublisher(new KafkaProducer<>(producerConfig()), topic, timeout());
      } catch (KafkaException e) {
        throw new IllegalArgumentException("Kafka refused the producer properties: " + e.getMessage(), e);
      }
    }

    /** The producer's configuration: the host's properties, then what this class needs. */
    Map<String, Object> producerConfig() {
      Map<String, Object> config = new HashMap<>(properties);
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
      // Kafka's delivery timeout starts once send has returned, which may wait for metadata first:
      // a quarter of the budget for that wait and the rest for delivery keep the sum within it.
      long blockMillis = timeout().toMillis() / 4;
      long deliveryMillis = timeout().toMillis() - blockMillis;
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, blockMillis);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryMillis);
      // Kafka requires delivery >= linger + request timeout; one request may use what linger leaves.
      long linger = Long.parseLong(String.valueOf(config.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, 5)));
      config.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, deliveryMillis - linger));
      return config;
    }

    private Duration timeout() {
      return deliveryTimeout != null ? deliveryTimeout : DEFAULT_DELIVERY_TIMEOUT;
    }

    private static void check(String name, String value) {
      if (OWNED.contains(name)) {
        throw new IllegalArgumentException("property " + name + " is set by KafkaEventPublisher.Builder"
            + (name.endsWith("timeout.ms") || name.equals(ProducerConfig.MAX_BLOCK_MS_CONFIG)
                ? " (use deliveryTimeout)" : name.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)
                ? " (use bootstrapServers)" : ""));
      }
      boolean weakens = switch (name) {
        case ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG -> !value.equalsIgnoreCase("true");
        case ProducerConfig.ACKS_CONFIG -> !value.equals("all") && !value.equals("-1");
        case ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION -> !value.matches("[1-5]");
        default -> false;
      };
      if (weakens) {
        throw new IllegalArgumentException("property " + name + "=" + value
            + " is refused: events must be written once each, in order, to every in-sync replica");
      }
    }

    private static String nonBlank(String value, String setting) {
      Objects.requireNonNull(value, setting);
      if (value.isBlank()) {
        throw new IllegalArgumentException(setting + " must not be blank");
      }
      return value;
    }

    private static <T> T once(@Nullable T current, T value, String setting) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set");
      }
      return value;
    }
  }
}
