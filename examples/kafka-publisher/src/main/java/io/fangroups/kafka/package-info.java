/**
 * An {@code EventPublisher} on Apache Kafka: {@link io.fangroups.kafka.KafkaEventPublisher}.
 */
@NullMarked
package io.fangroups.kafka;

import org.jspecify.annotations.NullMarked;
