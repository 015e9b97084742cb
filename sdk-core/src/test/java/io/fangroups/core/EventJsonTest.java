package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.MessageId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.internal.format.EventJson;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventJsonTest {
  private static final Instant AT = Instant.parse("2026-03-01T08:00:00Z");

  private static GroupEvent event(GroupChange change, Attribution by) {
    return new GroupEvent(GroupId.of("g1"), 7, AT, by, change);
  }

  @Test
  void write_headerAttributionAndChange() {
    Member m = new Member(UserId.of("fan"), Role.MEMBER, AT, JoinSource.PASSCODE, Optional.empty());
    String json = EventJson.write(event(new GroupChange.MemberJoined(m, AdmissionDecision.allow()),
        Attribution.system("why \"quoted\"\n")));
    assertThat(json).startsWith("{\"eventId\":\"g1/7\",\"group\":\"g1\",\"sequence\":7,\"occurredAt\":\"2026-03-01T08:00:00Z\","
        + "\"type\":\"MemberJoined\"")
        .contains("\"attribution\":{\"reason\":\"why \\\"quoted\\\"\\n\"}")
        .contains("\"member\":{\"user\":\"fan\",\"role\":\"MEMBER\",\"joinedAt\":\"2026-03-01T08:00:00Z\",\"source\":\"PASSCODE\"}")
        .contains("\"decision\":{\"verdict\":\"ALLOW\",\"reasons\":[],\"summary\":\"\"}");
  }

  @Test
  void write_sealedContentCarriesItsType() {
    GroupMessage message = new GroupMessage(MessageId.of("m1"), GroupId.of("g1"), UserId.of("owner"),
        new MessageContent.Announcement("今晚8点直播"), AT);
    String json = EventJson.write(event(new GroupChange.MessagePosted(message), Attribution.system()));
    assertThat(json).contains("\"content\":{\"@type\":\"Announcement\",\"body\":\"今晚8点直播\"}");
  }

  @Test
  void write_controlCharactersAreEscaped() {
    StringBuilder out = new StringBuilder();
    EventJson.string(out, "a\u0001b\u2028");
    assertThat(out).hasToString("\"a\\u0001b\\u2028\"");
    assertThat(EventJson.write(event(new GroupChange.GroupDisbanded(), Attribution.system()))).endsWith("\"change\":{}}");
    assertThat(List.of(GroupChange.class.getPermittedSubclasses())).isNotEmpty();
  }
}
