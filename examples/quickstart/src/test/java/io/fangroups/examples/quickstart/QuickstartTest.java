package io.fangroups.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.UserId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void run_tellsTheWholeStory() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    FanGroups fanGroups = new Quickstart(new PrintStream(buffer, true, StandardCharsets.UTF_8)).run();
    String story = buffer.toString(StandardCharsets.UTF_8);

    List<GroupInfo> groups = fanGroups.groupsOf(UserId.of("xiaolu"));
    assertThat(groups).extracting(g -> g.settings().cap()).containsExactly(200, 500, 200);
    assertThat(groups).extracting(GroupInfo::memberCount).containsExactly(200, 4, 2);
    assertThat(fanGroups.bannedUntil(groups.get(1).id(), UserId.of("troll"))).isPresent();
    assertThat(story).contains("refused with BANNED").contains("fan-200  -> APPROVED")
        .contains("fan-202  -> ALREADY_HANDLED").contains("小鹿的粉丝1群 now has 200/200 members")
        .contains("fan-300 pastes it and joins 小鹿的粉丝2群 at once (joined=true)").contains("49 uses left")
        .contains("refused with PASSCODE_NOT_FOUND")
        .contains("new-fan (3 days, fan-club level 1) is refused with NOT_ELIGIBLE")
        .contains("zh: 你暂时无法加入").contains("en: You can't join yet").contains("follow for 4 more days")
        .contains("old-fan (40 days, level 4) applies and joins at once: true")
        .contains("fan-200 tries to post a product link too: refused with NOT_PERMITTED")
        .contains("MessagePosted ProductLink");
  }

  /** The README's code examples are marked regions of compiled example code, so they always compile. */
  @Test
  void readmeExamples_areTheCompiledExampleCode() throws IOException {
    String readme = Files.readString(Path.of("../../README.md"));
    assertRegionInReadme("Quickstart.java", "README", readme);
    assertRegionInReadme("PlatformWiring.java", "README-WIRING", readme);
  }

  private static void assertRegionInReadme(String file, String marker, String readme) throws IOException {
    String source = Files.readString(Path.of("src/main/java/io/fangroups/examples/quickstart/" + file));
    Matcher region = Pattern.compile("// " + marker + "-START\\n(.*?)\\n\\s*// " + marker + "-END", Pattern.DOTALL)
        .matcher(source);
    assertThat(region.find()).as("%s has a %s region", file, marker).isTrue();
    for (String line : region.group(1).split("\\n")) {
      assertThat(readme).contains(line.strip());
    }
  }
}
