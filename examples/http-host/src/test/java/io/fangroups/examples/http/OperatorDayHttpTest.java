package io.fangroups.examples.http;

import static io.fangroups.examples.http.TestHost.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's day over HTTP, every route of {@code OperatorRoutes} and the settings routes, with
 * the refusals the README's error table lists and no other route could produce before.
 */
class OperatorDayHttpTest {
  private final TestHost host = TestHost.start();
  private final TestHost.Request owner = host.as("xiaolu");

  @AfterEach
  void stop() {
    host.close();
  }

  private String group(String settings) {
    return owner.post("/groups", settings).json().path("id").asText();
  }

  private void join(String group, String... fans) {
    for (String fan : fans) {
      assertThat(host.as(fan).post("/groups/" + group + "/applications").status()).isEqualTo(200);
    }
  }

  @Test
  void membersArePaged_andOnlyMembersSeeThem() {
    String g = group("{\"name\":\"g\",\"cap\":200}");
    join(g, "fan-1", "fan-2", "fan-3", "fan-4");
    TestHost.Response first = host.as("fan-1").get("/groups/" + g + "/members?limit=2");
    assertThat(first.json().path("total").asInt()).isEqualTo(5);
    assertThat(first.json().path("members").size()).isEqualTo(2);
    assertThat(first.json().path("members").get(0).path("user").asText()).isEqualTo("xiaolu");
    int next = first.json().path("nextOffset").asInt();
    TestHost.Response last = host.as("fan-1").get("/groups/" + g + "/members?offset=" + next + "&limit=200");
    assertThat(last.json().path("members").size()).isEqualTo(3);
    assertThat(last.json().has("nextOffset")).isFalse();
    assertRefused(host.as("stranger").get("/groups/" + g + "/members"), 403, "NOT_A_MEMBER");
    assertRefused(host.as("fan-1").get("/groups/" + g + "/members?limit=201"), 400, "INVALID_ARGUMENT");
  }

  @Test
  void settingsAndPause() {
    String g = group("{\"name\":\"g\",\"cap\":200}");
    join(g, "fan-1", "fan-2");
    assertRefused(owner.post("/groups/" + g + "/settings", "{\"cap\":2}"), 409, "CAP_BELOW_MEMBER_COUNT");
    TestHost.Response renamed = owner.post("/groups/" + g + "/settings", "{\"name\":\"小鹿的新群\",\"joinMode\":\"APPROVAL\"}");
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().path("name").asText()).isEqualTo("小鹿的新群");
    assertThat(renamed.json().path("cap").asInt()).isEqualTo(200);
    assertThat(renamed.json().path("joinMode").asText()).isEqualTo("APPROVAL");
    String rule = "{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\">=\",\"value\":30,\"unit\":\"days\"}}";
    assertThat(owner.post("/groups/" + g + "/settings", "{\"joinMode\":\"OPEN\",\"rule\":" + rule + "}").status())
        .isEqualTo(200);
    assertRefused(host.as("new-fan").post("/groups/" + g + "/applications"), 403, "NOT_ELIGIBLE");
    assertRefused(host.as("fan-1").post("/groups/" + g + "/settings", "{\"name\":\"mine\"}"), 403, "NOT_PERMITTED");

    assertThat(owner.post("/groups/" + g + "/pause", "{\"minutes\":60}").status()).isEqualTo(200);
    assertRefused(host.as("old-fan").post("/groups/" + g + "/applications"), 409, "JOINS_PAUSED");
    assertThat(owner.post("/groups/" + g + "/resume").status()).isEqualTo(200);
    assertThat(host.as("old-fan").post("/groups/" + g + "/applications").status()).isEqualTo(200);
    assertRefused(owner.post("/groups/" + g + "/pause", "{\"minutes\":0}"), 400, "INVALID_ARGUMENT");
  }

  @Test
  void muteBanKickAndLifts() {
    String g = group("{\"name\":\"g\",\"cap\":200}");
    join(g, "fan-1", "fan-2", "fan-3");
    String post = "{\"type\":\"Text\",\"body\":\"大家好\"}";
    assertThat(owner.post("/groups/" + g + "/mutes", "{\"userId\":\"fan-1\",\"minutes\":10}").status()).isEqualTo(200);
    assertRefused(host.as("fan-1").post("/groups/" + g + "/messages", post), 403, "MUTED");
    assertThat(owner.post("/groups/" + g + "/mutes/fan-1/lift").json().path("lifted").asBoolean()).isTrue();
    assertThat(owner.post("/groups/" + g + "/mutes/fan-1/lift").json().path("lifted").asBoolean()).isFalse();
    assertThat(host.as("fan-1").post("/groups/" + g + "/messages", post).status()).isEqualTo(201);

    assertThat(owner.post("/groups/" + g + "/bans", "{\"userId\":\"fan-2\",\"minutes\":60}").status()).isEqualTo(200);
    assertRefused(host.as("fan-2").post("/groups/" + g + "/applications"), 403, "BANNED");
    assertThat(owner.post("/groups/" + g + "/bans/fan-2/lift").json().path("lifted").asBoolean()).isTrue();
    assertThat(host.as("fan-2").post("/groups/" + g + "/applications").status()).isEqualTo(200);

    assertThat(owner.post("/groups/" + g + "/members/fan-3/kick").status()).isEqualTo(200);
    assertRefused(host.as("fan-3").post("/groups/" + g + "/messages", post), 403, "NOT_A_MEMBER");
    assertRefused(host.as("fan-1").post("/groups/" + g + "/members/fan-2/kick"), 403, "NOT_PERMITTED");
    assertRefused(owner.post("/groups/" + g + "/bans", "{\"userId\":\"fan-1\"}"), 400, "INVALID_ARGUMENT");
  }

  @Test
  void adminsOwnershipLeaveAndDisband() {
    String g = group("{\"name\":\"g\",\"cap\":200}");
    join(g, "fan-1", "fan-2", "fan-3", "fan-4", "fan-5", "fan-6");
    for (String fan : new String[] {"fan-1", "fan-2", "fan-3", "fan-4", "fan-5"}) {
      assertThat(owner.post("/groups/" + g + "/admins", "{\"userId\":\"" + fan + "\"}").status()).isEqualTo(200);
    }
    assertRefused(owner.post("/groups/" + g + "/admins", "{\"userId\":\"fan-6\"}"), 409, "ADMIN_LIMIT_REACHED");
    assertThat(owner.post("/groups/" + g + "/admins/fan-5/dismiss").status()).isEqualTo(200);
    assertThat(owner.post("/groups/" + g + "/admins", "{\"userId\":\"fan-6\"}").status()).isEqualTo(200);

    assertRefused(owner.post("/groups/" + g + "/leave"), 409, "OWNER_CANNOT_LEAVE");
    assertThat(owner.post("/groups/" + g + "/owner", "{\"userId\":\"fan-1\"}").status()).isEqualTo(200);
    assertThat(owner.post("/groups/" + g + "/leave").status()).isEqualTo(200);
    assertRefused(owner.post("/groups/" + g + "/disband"), 403, "NOT_PERMITTED");
    assertThat(host.as("fan-1").post("/groups/" + g + "/disband").status()).isEqualTo(200);
    assertThat(host.as("fan-1").get("/groups/" + g).json().path("status").asText()).isEqualTo("DISBANDED");
  }

  @Test
  void passcodesListedAndRevoked_andRequestsWithdrawn() {
    String g = group("{\"name\":\"g\",\"cap\":200,\"joinMode\":\"APPROVAL\"}");
    TestHost.Response made = owner.post("/groups/" + g + "/passcodes", "{\"label\":\"weibo\",\"maxUses\":5}");
    String id = made.json().path("id").asText();
    TestHost.Response listed = owner.get("/groups/" + g + "/passcodes");
    assertThat(listed.json().path("passcodes").size()).isEqualTo(1);
    assertThat(listed.json().path("passcodes").get(0).path("label").asText()).isEqualTo("weibo");
    assertThat(listed.text()).doesNotContain(made.json().path("display").asText());
    assertRefused(host.as("fan-1").get("/groups/" + g + "/passcodes"), 403, "NOT_PERMITTED");
    assertThat(owner.post("/passcodes/" + id + "/revoke").status()).isEqualTo(200);
    assertThat(owner.get("/groups/" + g + "/passcodes").json().path("passcodes").size()).isZero();
    assertRefused(host.as("fan-1").post("/passcode-redemptions",
        "{\"text\":\"群口令 " + made.json().path("display").asText() + "\"}"), 410, "PASSCODE_REVOKED");

    TestHost.Response applied = host.as("fan-2").post("/groups/" + g + "/applications");
    assertThat(applied.status()).isEqualTo(202);
    String request = applied.json().path("request").path("id").asText();
    assertRefused(host.as("fan-3").post("/requests/" + request + "/withdraw"), 403, "NOT_PERMITTED");
    TestHost.Response withdrawn = host.as("fan-2").post("/requests/" + request + "/withdraw");
    assertThat(withdrawn.status()).isEqualTo(200);
    assertThat(withdrawn.json().path("status").asText()).isEqualTo("WITHDRAWN");
  }
}
