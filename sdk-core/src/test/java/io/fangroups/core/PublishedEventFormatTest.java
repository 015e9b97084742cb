package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.content.MessageContent;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.GroupStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One wire format: what the publisher gets is, byte for byte, what the store keeps, in an envelope. */
class PublishedEventFormatTest {

  @Test
  void publishedEvent_isTheStoredPayloadInsideTheEnvelope() {
    GroupStore store = InMemoryGroupStore.create();
    List<PublishedEvent> published = new CopyOnWriteArrayList<>();
    FanGroups fanGroups = FanGroups.builder().store(store).startRelay(false)
        .eventPublisher(e -> {
          published.add(e);
          return CompletableFuture.completedFuture(null);
        }).build();
    CommandContext owner = CommandContext.of("owner");
    GroupId group = fanGroups.createGroup(owner, GroupSettings.builder().name("小鹿的粉丝群").build()).id();
    fanGroups.apply(CommandContext.of("fan-1").withReason("喜欢\"小鹿\"\n"), group, JoinSource.BUTTON);
    fanGroups.post(owner, group, new MessageContent.Announcement("今晚8点直播 😀"));

    assertThat(fanGroups.relay().drainOnce()).isEqualTo(3);
    assertThat(published).hasSize(3);
    for (PublishedEvent event : published) {
      GroupStore.StoredEvent stored = store.read("group/" + group.value(), event.sequence() - 1, 1).get(0);
      String envelope = "{\"eventId\":\"" + group.value() + "/" + event.sequence() + "\",\"group\":\"" + group.value()
          + "\",\"sequence\":" + event.sequence() + ",\"type\":\"" + stored.type() + "\",\"schemaVersion\":2,"
          + "\"occurredAt\":\"" + event.occurredAt() + "\",\"event\":";
      assertThat(event.json().getBytes(StandardCharsets.UTF_8))
          .isEqualTo((envelope + stored.payload() + "}").getBytes(StandardCharsets.UTF_8));
      assertThat(event.type()).isEqualTo(stored.type());
    }
    assertThat(published.get(2).json()).contains("\"content\":{\"kind\":\"announcement\",\"body\":\"今晚8点直播 😀\"}");
  }
}
