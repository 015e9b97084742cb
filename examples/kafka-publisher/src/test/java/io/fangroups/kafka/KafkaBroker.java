package io.fangroups.kafka;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real KRaft node (controller and broker in one) in the test's JVM, from Kafka's own test kit;
 * started once per test class. The broker can be stopped and started again on the same log
 * directories and port, so what it acknowledged before must still be there after.
 */
final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {
  private KafkaClusterTestKit cluster;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
        // One broker: the internal topics cannot have more replicas.
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("auto.create.topics.enable", "false")
        .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** Creates a topic with one replica and waits until it exists. */
  void createTopic(String name, int partitions, Map<String, String> config) throws Exception {
    try (Admin admin = cluster.admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config))).all().get();
    }
  }

  /** Shuts the broker down (its logs stay); the controller keeps running. */
  void stop() {
    broker().shutdown();
  }

  /** Starts the broker again on the same log directories and port. */
  void start() throws Exception {
    broker().startup();
    cluster.waitForReadyBrokers();
  }

  private kafka.server.BrokerServer broker() {
    return cluster.brokers().values().iterator().next();
  }
}
