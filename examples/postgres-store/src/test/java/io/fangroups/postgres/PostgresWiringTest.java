package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's "Run it on PostgreSQL" wiring works as shown, on two servers sharing one database. */
class PostgresWiringTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private static final String SECRET = "a-32-byte-secret-from-the-vault!";

  @Test
  void twoServersWiredAsTheReadmeShows_shareGroupsAndNamedPolicies() {
    String url = postgres.jdbcUrl(postgres.createDatabase());
    try (PostgresWiring.Server one = PostgresWiring.connect(url, "postgres", "", SECRET);
        PostgresWiring.Server two = PostgresWiring.connect(url, "postgres", "", SECRET)) {
      FanGroups first = one.fanGroups();
      FanGroups second = two.fanGroups();
      GroupId vip = first.createGroup(CommandContext.of("creator"), GroupSettings.builder().name("VIP 群")
          .policy(VipOnly.POLICY).build()).id();
      assertThat(second.apply(CommandContext.of("vip-fan"), vip, JoinSource.BUTTON).joined()).isTrue();
      assertThatThrownBy(() -> second.apply(CommandContext.of("fan"), vip, JoinSource.BUTTON))
          .isInstanceOfSatisfying(FanGroupsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_ELIGIBLE));
      assertThat(first.members(vip)).hasSize(2);
    }
  }

  @Test
  void readmeShowsTheWiringRegion() throws Exception {
    String source = Files.readString(Path.of("src/test/java/io/fangroups/postgres/PostgresWiring.java"));
    Matcher region = Pattern.compile("// README-POSTGRES-START\\n(.*?)\\n\\s*// README-POSTGRES-END", Pattern.DOTALL)
        .matcher(source);
    assertThat(region.find()).isTrue();
    String readme = Files.readString(Path.of("../../README.md"));
    for (String line : region.group(1).split("\\n")) {
      assertThat(readme).as("README line").contains(line.strip());
    }
  }
}
