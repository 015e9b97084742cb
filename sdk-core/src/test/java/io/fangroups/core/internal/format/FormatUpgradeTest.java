package io.fangroups.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fangroups.core.GroupId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A host's stored history survives an upgrade: events and store records written by the previous
 * format (version 1, kept as fixtures in {@code format/v1-events.jsonl}, written by the codec of
 * fangroups 0.1 before this change, three random values of every type) read back to the values
 * they were written from, and a version-1 event is published in the current version.
 */
class FormatUpgradeTest {
  private static final AdmissionPolicy VIP = applicant -> AdmissionDecision.deny("VIPs only", "NOT_VIP");
  private static final WireFormat FORMAT = new WireFormat(new PolicyCodec(RuleCompiler.of(), Map.of("vip", VIP), false));

  private record Fixture(String stream, long sequence, String type, String payload, String decoded) {}

  private static List<Fixture> fixtures() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Fixture> fixtures = new ArrayList<>();
    try (InputStream in = FormatUpgradeTest.class.getResourceAsStream("/io/fangroups/core/format/v1-events.jsonl")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        JsonNode n = json.readTree(line);
        fixtures.add(new Fixture(n.get("stream").asText(), n.get("sequence").asLong(), n.get("type").asText(),
            n.get("payload").asText(), n.get("decoded").asText()));
      }
    }
    return fixtures;
  }

  /** Types version 1 never wrote, so no version-1 payload of them exists. */
  private static final Set<String> SINCE_VERSION_2 = Set.of("RequestDue", "DeliveryParked", "RedPacketSent",
      "RedPacketClaimed", "RedPacketRefunded", "RedPacketDue", "HoldStarted");

  @Test
  void version1Fixtures_readBackToTheValuesTheyWereWrittenFrom() throws IOException {
    Set<String> types = new TreeSet<>();
    for (Fixture f : fixtures()) {
      StoredEvent stored = new StoredEvent(f.sequence(), f.type(), f.payload());
      Object read = f.stream().startsWith("group/")
          ? FORMAT.decode(GroupId.of(f.stream().substring("group/".length())), stored)
          : FORMAT.decodeRecord(stored);
      // The named host policy is a lambda, whose string form names its class and instance.
      assertThat(withoutLambdaNames(read.toString())).as(f.type()).isEqualTo(withoutLambdaNames(f.decoded()));
      types.add(f.type());
    }
    Set<String> written = new TreeSet<>(FORMAT.typeNames());
    written.removeAll(SINCE_VERSION_2);
    assertThat(types).as("every type version 1 wrote has version-1 fixtures").isEqualTo(written);
  }

  private static String withoutLambdaNames(String s) {
    return s.replaceAll("[\\w.$]+\\$\\$Lambda\\$[^@\\]]*@[0-9a-f]+", "<lambda>");
  }

  @Test
  void version1Event_isPublishedInTheCurrentVersion() throws IOException {
    for (Fixture f : fixtures()) {
      if (!f.stream().startsWith("group/")) {
        continue;
      }
      GroupId group = GroupId.of(f.stream().substring("group/".length()));
      StoredEvent v1 = new StoredEvent(f.sequence(), f.type(), f.payload());
      PublishedEvent published = FORMAT.published(group, v1);
      GroupEvent event = FORMAT.decode(group, v1);
      String current = FORMAT.encode(event).payload();
      assertThat(current).startsWith("{\"v\":2,");
      assertThat(published.json()).endsWith(",\"event\":" + current + "}");
      assertThat(published.occurredAt()).isEqualTo(event.occurredAt());
    }
  }

  @Test
  void currentPayloadReformatted_asAJsonColumnReturnsIt_isPublishedInTheSdksOwnForm() {
    StoredEvent spaced = new StoredEvent(4, "GroupDisbanded",
        "{\"v\": 2, \"change\": {}, \"occurredAt\": \"2026-03-01T08:00:00Z\", \"attribution\": {}}");
    PublishedEvent published = FORMAT.published(GroupId.of("g1"), spaced);
    assertThat(published.occurredAt()).isEqualTo(java.time.Instant.parse("2026-03-01T08:00:00Z"));
    assertThat(published.json()).endsWith(
        ",\"event\":{\"v\":2,\"occurredAt\":\"2026-03-01T08:00:00Z\",\"attribution\":{},\"change\":{}}}");
  }

  @Test
  void payloadOfANewerVersion_isRefusedNamingTheVersion() {
    StoredEvent future = new StoredEvent(1, "GroupDisbanded",
        "{\"v\":3,\"occurredAt\":\"2026-03-01T08:00:00Z\",\"attribution\":{},\"change\":{}}");
    assertThatThrownBy(() -> FORMAT.decode(GroupId.of("g1"), future)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("format version 3");
  }
}
