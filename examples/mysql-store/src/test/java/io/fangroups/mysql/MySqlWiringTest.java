package io.fangroups.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinSource;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The README's "Run it on MySQL" wiring works as shown, on two servers sharing one database, through either driver. */
class MySqlWiringTest {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  private static final String SECRET = "a-32-byte-secret-from-the-vault!";

  @ParameterizedTest(name = "jdbc:{0}:")
  @ValueSource(strings = {"mariadb", "mysql"})
  void twoServersWiredAsTheReadmeShows_shareGroupsAndMoney(String driver) {
    String url = MariaDbServer.get().jdbcUrl(driver, mysql.createDatabase());
    try (MySqlWiring.Server one = MySqlWiring.connect(url, "root", "", SECRET);
        MySqlWiring.Server two = MySqlWiring.connect(url, "root", "", SECRET)) {
      FanGroups first = one.fanGroups();
      FanGroups second = two.fanGroups();
      GroupId group = first.createGroup(CommandContext.of("creator"), GroupSettings.of("粉丝群", 200)).id();
      assertThat(second.apply(CommandContext.of("fan"), group, JoinSource.BUTTON).joined()).isTrue();
      assertThat(first.members(group)).hasSize(2);

      new MySqlWallet(one.pool()).deposit("creator", "CNY", 1_000);
      RedPacketInfo packet = second.sendRedPacket(CommandContext.of("creator"), group,
          RedPacketSpec.lucky(1_000, "CNY", 1));
      assertThat(first.claimRedPacket(CommandContext.of("fan"), packet.id()).amount()).isEqualTo(1_000);
      MySqlWallet wallet = new MySqlWallet(two.pool());
      long deadline = System.nanoTime() + 30_000_000_000L; // the payment goes through whichever relay holds the group
      while (wallet.balance("fan", "CNY") == 0 && System.nanoTime() < deadline) {
        first.relay().drainOnce();
        second.relay().drainOnce();
      }
      assertThat(wallet.balance("fan", "CNY")).isEqualTo(1_000);
      assertThat(wallet.balance("creator", "CNY")).isZero();
    }
  }

  @Test
  void readmeShowsTheWiringRegion() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/fangroups/mysql/MySqlWiring.java"));
    Matcher region = Pattern.compile("// README-MYSQL-START\\n(.*?)\\n\\s*// README-MYSQL-END", Pattern.DOTALL)
        .matcher(source);
    assertThat(region.find()).isTrue();
    String readme = Files.readString(Path.of("../../README.md"));
    for (String line : region.group(1).split("\\n")) {
      assertThat(readme).as("README line").contains(line.strip());
    }
  }
}
