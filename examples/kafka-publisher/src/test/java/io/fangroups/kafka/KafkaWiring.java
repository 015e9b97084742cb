package io.fangroups.kafka;

import io.fangroups.core.FanGroups;
import io.fangroups.core.event.OutboxRelay;

/** The README's "Publish to Kafka" wiring, compiled and run by {@link KafkaRelayTest}. */
final class KafkaWiring {
  private KafkaWiring() {}

  /** A service whose relay publishes to Kafka, and the publisher to close after the relay. */
  record Wired(FanGroups fanGroups, KafkaEventPublisher kafka) implements AutoCloseable {
    @Override
    public void close() {
      fanGroups.relay().close(); // stop publishing first, then flush and close the producer
      kafka.close();
    }
  }

  static Wired connect(String bootstrapServers, String topic, OutboxRelay.Options relayOptions) {
    // README-KAFKA-START
    KafkaEventPublisher kafka = KafkaEventPublisher.builder()
        .bootstrapServers(bootstrapServers)        // "broker-1:9092,broker-2:9092"
        .topic(topic)                              // record key = group id: a group stays in one partition
        .property("client.id", "fangroups-relay")  // any other producer property, as Kafka names it
        .build();                                  // idempotent, acks=all, 4 s delivery timeout
    FanGroups fanGroups = FanGroups.builder()
        .eventPublisher(kafka)
        .relayOptions(relayOptions)                // its deliveryTimeout (5 s) above the publisher's
        .build();
    // README-KAFKA-END
    return new Wired(fanGroups, kafka);
  }
}
