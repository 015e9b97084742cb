package io.fangroups.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's "Publish to Kafka" snippet is the compiled region of {@link KafkaWiring}, line for line. */
class KafkaWiringReadmeTest {
  @Test
  void readme_showsTheWiringRegionOfKafkaWiring() throws Exception {
    List<String> source = Files.readAllLines(Path.of("src/test/java/io/fangroups/kafka/KafkaWiring.java"));
    int start = source.indexOf("    // README-KAFKA-START");
    int end = source.indexOf("    // README-KAFKA-END");
    assertThat(start).as("region start").isNotNegative();
    assertThat(end).as("region end").isGreaterThan(start + 1);
    String snippet = String.join("\n", source.subList(start + 1, end).stream().map(line -> line.substring(4)).toList());

    assertThat(Files.readString(Path.of("../../README.md"))).contains("```java\n" + snippet + "\n```");
  }
}
