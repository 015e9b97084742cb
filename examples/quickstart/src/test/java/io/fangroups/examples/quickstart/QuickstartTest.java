package io.fangroups.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.InMemoryWallet;
import io.fangroups.core.UserId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    assertThat(groups).extracting(GroupInfo::memberCount).containsExactly(200, 5, 2);
    assertThat(fanGroups.bannedUntil(groups.get(1).id(), UserId.of("troll"))).isPresent();
    assertThat(story).contains("refused with BANNED").contains("fan-200  -> APPROVED")
        .contains("fan-202  -> ALREADY_HANDLED").contains("小鹿的粉丝1群 now has 200/200 members")
        .contains("fan-300 pastes it; 小鹿的粉丝2群 needs approval").contains("a pending request from PASSCODE (joined=false)")
        .contains("49 uses left").contains("fan-300 is a member, joined by PASSCODE")
        .contains("fan-301 pastes it and joins 小鹿的粉丝2群 at once (joined=true)")
        .contains("refused with PASSCODE_NOT_FOUND")
        .contains("new-fan (3 days, fan-club level 1) is refused with NOT_ELIGIBLE")
        .contains("zh: 你暂时无法加入").contains("en: You can't join yet").contains("follow for 4 more days")
        .contains("old-fan (40 days, level 4) applies and joins at once: true")
        .contains("fan-200 tries to post a product link too: refused with NOT_PERMITTED")
        .contains("MessagePosted ProductLink");
  }

  @Test
  void run_luckyRedPacket_movesExactlyItsAmountFromTheCreatorToTheClaimers() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Quickstart quickstart = new Quickstart(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    quickstart.run();
    String story = buffer.toString(StandardCharsets.UTF_8);

    // Shares are random (SecureRandom), so the amounts differ each run: check what always holds.
    Matcher claim = Pattern.compile("^   (fan-\\d+) +got ¥(\\d+)\\.(\\d\\d)$", Pattern.MULTILINE).matcher(story);
    Map<String, Long> claims = new LinkedHashMap<>();
    while (claim.find()) {
      claims.put(claim.group(1), fen(claim.group(2), claim.group(3)));
    }
    assertThat(claims.keySet()).containsExactly("fan-1", "fan-2", "fan-3", "fan-4", "fan-5", "fan-6", "fan-7", "fan-8",
        "fan-9", "fan-10");
    assertThat(claims.values()).allSatisfy(amount -> assertThat(amount).isPositive());
    assertThat(claims.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(8_888);

    Matcher luckiest = Pattern.compile("手气最佳 \\(luckiest\\): (fan-\\d+) with ¥(\\d+)\\.(\\d\\d)").matcher(story);
    assertThat(luckiest.find()).as(story).isTrue();
    long largest = Collections.max(claims.values());
    assertThat(fen(luckiest.group(2), luckiest.group(3))).isEqualTo(largest);
    assertThat(luckiest.group(1)).isEqualTo(claims.entrySet().stream().filter(e -> e.getValue() == largest)
        .findFirst().orElseThrow().getKey()); // the earliest on a tie

    assertThat(story).contains("into 小鹿的粉丝1群: refused with WALLET_DECLINED")
        .contains("of ¥88.88 in 10 shares, \"感谢大家一路支持\"; the wallet holds it: xiaolu has ¥911.12 left.")
        .contains("fan-11 is too late: RED_PACKET_EMPTY")
        .contains("before it runs the fans have ¥0.00.")
        .contains("the claims add up to ¥88.88, the fans' balances to ¥88.88 (each fan's is their claim: true);")
        .contains("xiaolu has ¥911.12 (¥1000.00 - ¥88.88), ¥0.00 is still held, and the ledger's accounts sum to ¥0.00");
    InMemoryWallet wallet = quickstart.wallet;
    claims.forEach((fan, amount) -> assertThat(wallet.balance(fan, "CNY")).as(fan).isEqualTo(amount));
    assertThat(wallet.balance("xiaolu", "CNY")).isEqualTo(Quickstart.CREATOR_FUNDS - 8_888);
    assertThat(wallet.total("CNY")).isZero();
  }

  private static long fen(String yuan, String cents) {
    return Long.parseLong(yuan) * 100 + Long.parseLong(cents);
  }

  @Test
  void yuan_writesFenAsYuanWithTwoDecimals() {
    assertThat(Quickstart.yuan(8_888)).isEqualTo("¥88.88");
    assertThat(Quickstart.yuan(100_000)).isEqualTo("¥1000.00");
    assertThat(Quickstart.yuan(7)).isEqualTo("¥0.07");
    assertThat(Quickstart.yuan(0)).isEqualTo("¥0.00");
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
