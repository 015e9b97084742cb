package io.fangroups.examples.http;

import static io.fangroups.examples.http.TestHost.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The host as {@code --embedded-postgres} runs it, on a real PostgreSQL: the seed story and an
 * operator's day over HTTP, with the state in the database (a second host on the same database sees it).
 */
class HostOnPostgresTest {
  @Test
  void seedStoryAndOperatorsDay_onEmbeddedPostgres() {
    HostStorage storage = HostStorage.open(new HostStorage.Settings(Optional.empty(), "", "", Optional.of("a test secret of at least thirty-two bytes"), true));
    try (HttpHost.Running running = HttpHost.Running.start(0, storage)) {
      assertThat(storage.description()).startsWith("embedded PostgreSQL at jdbc:postgresql:");
      TestHost host = TestHost.over(running.server());
      TestHost.Request owner = host.as("xiaolu");
      String loyal = owner.post("/groups", "{\"name\":\"小鹿的粉丝1群\",\"cap\":200}").json().path("id").asText();
      String big = owner.post("/groups", "{\"name\":\"小鹿的粉丝2群\",\"cap\":500,\"joinMode\":\"APPROVAL\"}")
          .json().path("id").asText();
      assertThat(host.as("old-fan").post("/groups/" + loyal + "/applications").status()).isEqualTo(200);
      assertThat(host.as("new-fan").post("/groups/" + loyal + "/applications").status()).isEqualTo(200);

      // A passcode for the APPROVAL group makes a request; the owner approves it.
      TestHost.Response code = owner.post("/groups/" + big + "/passcodes", "{\"label\":\"weibo\",\"maxUses\":50}");
      TestHost.Response redeemed = host.as("casual-fan").post("/passcode-redemptions",
          "{\"text\":\"" + code.json().path("shareText").asText().replace("\"", "\\\"") + "\"}");
      assertThat(redeemed.status()).as(redeemed.text()).isEqualTo(202);
      String request = redeemed.json().path("request").path("id").asText();
      TestHost.Response approved = owner.post("/requests/approvals", "{\"requests\":[\"" + request + "\"]}");
      assertThat(approved.json().path("items").get(0).path("outcome").asText()).isEqualTo("APPROVED");

      // The operator's day: revoke the code, ban and unban, mute, change the rule, pause, transfer, disband.
      assertThat(owner.post("/passcodes/" + code.json().path("id").asText() + "/revoke").status()).isEqualTo(200);
      assertRefused(host.as("fan-9").post("/passcode-redemptions",
          "{\"text\":\"群口令 " + code.json().path("display").asText() + "\"}"), 410, "PASSCODE_REVOKED");
      assertThat(owner.post("/groups/" + loyal + "/bans", "{\"userId\":\"new-fan\",\"minutes\":60}").status()).isEqualTo(200);
      assertRefused(host.as("new-fan").post("/groups/" + loyal + "/applications"), 403, "BANNED");
      assertThat(owner.post("/groups/" + loyal + "/bans/new-fan/lift").json().path("lifted").asBoolean()).isTrue();
      assertThat(owner.post("/groups/" + loyal + "/mutes", "{\"userId\":\"old-fan\",\"minutes\":10}").status()).isEqualTo(200);
      assertRefused(host.as("old-fan").post("/groups/" + loyal + "/messages", "{\"type\":\"Text\",\"body\":\"hi\"}"),
          403, "MUTED");
      String rule = "{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\">=\",\"value\":30,\"unit\":\"days\"}}";
      assertThat(owner.post("/groups/" + loyal + "/settings", "{\"rule\":" + rule + "}").status()).isEqualTo(200);
      assertRefused(host.as("new-fan").post("/groups/" + loyal + "/applications"), 403, "NOT_ELIGIBLE");
      assertThat(owner.post("/groups/" + big + "/pause", "{\"minutes\":30}").status()).isEqualTo(200);
      assertRefused(host.as("old-fan").post("/groups/" + big + "/applications"), 409, "JOINS_PAUSED");
      assertThat(owner.post("/groups/" + loyal + "/owner", "{\"userId\":\"old-fan\"}").status()).isEqualTo(200);
      assertThat(host.as("old-fan").post("/groups/" + loyal + "/disband").status()).isEqualTo(200);

      // The state is in the database: the members and events read back through SQL-backed queries.
      assertThat(running.fanGroups().group(io.fangroups.core.GroupId.of(loyal)).status().name()).isEqualTo("DISBANDED");
      assertThat(host.as("casual-fan").get("/groups/" + big + "/members").json().path("total").asInt()).isEqualTo(2);
    }
  }

  @Test
  void aJdbcUrlWithoutAPasscodeSecret_isRefused() {
    HostStorage.Settings settings = HostStorage.Settings.from(new String[0],
        Map.of("fangroups.jdbc.url", "jdbc:postgresql://localhost:1/none")::get, name -> null);
    assertThat(settings.jdbcUrl()).hasValue("jdbc:postgresql://localhost:1/none");
    assertThatThrownBy(() -> HostStorage.open(settings)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("fangroups.passcode.secret");
    HostStorage.Settings fromEnvironment = HostStorage.Settings.from(new String[] {"--embedded-postgres"}, name -> null,
        Map.of("FANGROUPS_JDBC_USER", "fans", "FANGROUPS_PASSCODE_SECRET", "s")::get);
    assertThat(fromEnvironment.embedded()).isTrue();
    assertThat(fromEnvironment.user()).isEqualTo("fans");
    assertThat(fromEnvironment.passcodeSecret()).hasValue("s");
  }
}
