package io.fangroups.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinSource;
import io.fangroups.core.content.MessageContent;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformWiringTest {

  @Test
  void wiredPlatform_publishesEventsDeliversChatAndVetoesBots() throws Exception {
    PlatformWiring wiring = new PlatformWiring();
    InMemorySocialGraph graph = new InMemorySocialGraph();
    graph.put("fan", Map.of("days_following", 10));
    FanGroups fanGroups = wiring.build(graph);
    try {
      GroupInfo g = fanGroups.createGroup(CommandContext.of("xiaolu"), GroupSettings.of("小鹿的粉丝群", 200));
      fanGroups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
      fanGroups.post(CommandContext.of("xiaolu"), g.id(), new MessageContent.Text("欢迎!"));
      try {
        fanGroups.apply(CommandContext.of("bot-1"), g.id(), JoinSource.BUTTON);
      } catch (FanGroupsException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.NOT_ELIGIBLE);
      }
      for (int i = 0; i < 500 && !fanGroups.relay().status().caughtUp(); i++) {
        Thread.sleep(10);
      }
      assertThat(wiring.eventBus).hasSize(3);
      assertThat(wiring.eventBus.get(1)).contains("\"type\":\"MemberJoined\"");
      assertThat(wiring.chat).containsExactly("notice from system", "text from xiaolu");
    } finally {
      fanGroups.relay().close();
    }
  }
}
