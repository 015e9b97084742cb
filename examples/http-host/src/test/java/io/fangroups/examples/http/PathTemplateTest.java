package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathTemplateTest {
  private final PathTemplate events = PathTemplate.of("/groups/{groupId}/events");

  @Test
  void match_namesTheVariables() {
    assertThat(events.match("/groups/g_1/events")).contains(Map.of("groupId", "g_1"));
  }

  @Test
  void match_refusesOtherShapes() {
    assertThat(events.match("/groups/g_1")).isEmpty();
    assertThat(events.match("/groups//events")).isEmpty();
    assertThat(events.match("/groups/g_1/events/")).isEmpty();
    assertThat(events.match("/families/f_1/events")).isEmpty();
  }
}
