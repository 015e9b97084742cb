package io.fangroups.examples.http;

import static io.fangroups.examples.http.TestHost.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Red packets over real HTTP: the demo creator, funded in the demo wallet, sends packets into a group
 * of four fans; fans claim; refusals carry their codes; the wallet holds the amount on sending and
 * pays each claim through the relay.
 */
class RedPacketHttpTest {
  private static final long FUNDS = HttpHost.DEMO_CREATOR_FEN;

  private final TestHost host = TestHost.start();
  private final TestHost.Request creator = host.as(HttpHost.DEMO_CREATOR);
  private final String group = creator.post("/groups", "{\"name\":\"小鹿的粉丝1群\"}").json().path("id").asText();

  RedPacketHttpTest() {
    for (String fan : List.of("fan-1", "fan-2", "fan-3", "fan-4")) {
      assertThat(host.as(fan).post("/groups/" + group + "/applications").status()).isEqualTo(200);
    }
  }

  @AfterEach
  void stop() {
    host.close();
  }

  private TestHost.Response send(String packet) {
    return creator.post("/groups/" + group + "/red-packets", packet);
  }

  private static TestHost.Response claim(TestHost.Request claimer, String packet) {
    return claimer.post("/red-packets/" + packet + "/claims");
  }

  @Test
  void luckyPacket_claimedByMembers_isShownWithItsClaimsAndPaid() throws InterruptedException {
    TestHost.Response sent = send("{\"kind\":\"LUCKY\",\"amount\":8888,\"currency\":\"CNY\",\"count\":3,"
        + "\"greeting\":\"谢谢大家\"}");
    assertThat(sent.status()).isEqualTo(201);
    assertThat(sent.json().path("amount").isIntegralNumber()).isTrue();
    assertThat(sent.json().path("amount").asLong()).isEqualTo(8_888);
    assertThat(sent.json().path("greeting").asText()).isEqualTo("谢谢大家");
    assertThat(sent.json().path("state").asText()).isEqualTo("OPEN");
    assertThat(sent.json().path("sharesLeft").asInt()).isEqualTo(3);
    assertThat(host.wallet.balance(HttpHost.DEMO_CREATOR, "CNY")).isEqualTo(FUNDS - 8_888); // held on sending
    String packet = sent.json().path("id").asText();

    List<JsonNode> claims = new ArrayList<>();
    for (String fan : List.of("fan-1", "fan-2", "fan-3")) {
      TestHost.Response claimed = claim(host.as(fan), packet);
      assertThat(claimed.status()).isEqualTo(201);
      assertThat(claimed.json().path("user").asText()).isEqualTo(fan);
      assertThat(claimed.json().path("currency").asText()).isEqualTo("CNY");
      claims.add(claimed.json());
    }
    assertThat(claims).extracting(c -> c.path("number").asInt()).containsExactly(1, 2, 3);
    assertThat(claims).allSatisfy(c -> assertThat(c.path("amount").asLong()).isPositive());
    assertThat(claims.stream().mapToLong(c -> c.path("amount").asLong()).sum()).isEqualTo(8_888);

    assertRefused(claim(host.as("fan-1"), packet), 409, "ALREADY_CLAIMED");
    assertRefused(claim(host.as("fan-4"), packet), 410, "RED_PACKET_EMPTY");
    assertRefused(claim(host.as("passer-by"), packet), 403, "NOT_A_MEMBER");
    assertRefused(claim(host.as("fan-4"), "rp_missing"), 404, "RED_PACKET_NOT_FOUND");
    assertRefused(host.as("passer-by").get("/red-packets/" + packet), 403, "NOT_A_MEMBER");

    JsonNode shown = host.as("fan-4").get("/red-packets/" + packet).json();
    assertThat(shown.path("state").asText()).isEqualTo("EMPTIED");
    assertThat(shown.path("sharesLeft").asInt()).isZero();
    assertThat(shown.path("remaining").asLong()).isZero();
    assertThat(shown.path("refunded").asLong()).isZero();
    assertThat(shown.path("claims")).containsExactlyElementsOf(claims);
    long largest = claims.stream().mapToLong(c -> c.path("amount").asLong()).max().orElseThrow();
    assertThat(shown.path("luckiest").path("amount").asLong()).isEqualTo(largest);

    for (JsonNode c : claims) {
      assertThat(paidWithin5s(c.path("user").asText(), c.path("amount").asLong())).as("paid %s", c).isTrue();
    }
    assertThat(host.wallet.balance(HttpHost.DEMO_CREATOR, "CNY")).isEqualTo(FUNDS - 8_888);
  }

  /** Whether the relay, running in the background, paid {@code user} {@code amount} (polled; not a timing assertion). */
  private boolean paidWithin5s(String user, long amount) throws InterruptedException {
    for (int i = 0; i < 500 && host.wallet.balance(user, "CNY") != amount; i++) {
      Thread.sleep(10);
    }
    return host.wallet.balance(user, "CNY") == amount;
  }

  @Test
  void claim_retriedWithTheSameKey_getsTheSameClaim() {
    String packet = send("{\"kind\":\"EQUAL\",\"amount\":300,\"currency\":\"CNY\",\"count\":3}").json().path("id").asText();
    TestHost.Request tap = host.as("fan-1").idempotencyKey("tap-1");
    TestHost.Response first = claim(tap, packet);
    TestHost.Response retry = claim(tap, packet);
    assertThat(first.status()).isEqualTo(201);
    assertThat(first.json().path("amount").asLong()).isEqualTo(100);
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.text()).isEqualTo(first.text());
  }

  @Test
  void phraseAndExclusivePackets_refuseTheWrongPhraseAndOtherMembers() {
    String phrased = send("{\"kind\":\"PHRASE\",\"amount\":200,\"currency\":\"CNY\",\"count\":2,\"phrase\":\"小鹿加油\"}")
        .json().path("id").asText();
    assertRefused(host.as("fan-1").post("/red-packets/" + phrased + "/claims", "{\"phrase\":\"小鹿你好\"}"), 403,
        "WRONG_PHRASE");
    assertRefused(claim(host.as("fan-1"), phrased), 403, "WRONG_PHRASE");
    assertThat(host.as("fan-1").post("/red-packets/" + phrased + "/claims", "{\"phrase\":\" 小鹿加油 \"}").status())
        .isEqualTo(201);

    TestHost.Response exclusive = send("{\"kind\":\"EXCLUSIVE\",\"amount\":520,\"currency\":\"CNY\",\"recipient\":\"fan-2\"}");
    assertThat(exclusive.status()).isEqualTo(201);
    assertThat(exclusive.json().path("count").asInt()).isEqualTo(1);
    String forFan2 = exclusive.json().path("id").asText();
    assertRefused(claim(host.as("fan-3"), forFan2), 403, "NOT_ELIGIBLE");
    assertThat(claim(host.as("fan-2"), forFan2).json().path("amount").asLong()).isEqualTo(520);
  }

  @Test
  void badInput_is400WithTheErrorBody_andHoldsNothing() {
    String lucky = "{\"kind\":\"LUCKY\",\"currency\":\"CNY\",\"count\":3,\"amount\":";
    assertBadInput(send(lucky + "88.88}"), "field 'amount' must be a whole number (a JSON integer)");
    assertBadInput(send(lucky + "\"8888\"}"), "field 'amount' must be a whole number (a JSON integer)");
    assertBadInput(send(lucky + "8888e0}"), "field 'amount' must be a whole number (a JSON integer)");
    assertBadInput(send("{\"kind\":\"LUCKY\",\"amount\":8888,\"currency\":\"XYZ\",\"count\":3}"),
        "currency XYZ is not accepted; accepted: [CNY]");
    assertBadInput(send("{\"kind\":\"LUCKY\",\"amount\":8888,\"currency\":\"CNY\",\"count\":0}"),
        "count must be positive, got 0");
    assertBadInput(send("{\"amount\":8888,\"currency\":\"CNY\",\"count\":3}"), "field 'kind' is required");
    assertBadInput(send("{\"kind\":\"LUCKY\",\"currency\":\"CNY\",\"count\":3}"), "field 'amount' is required");
    assertBadInput(send("{\"kind\":\"HUGE\",\"amount\":8888,\"currency\":\"CNY\",\"count\":3}"),
        "field 'kind' is missing or has the wrong type");
    assertBadInput(send("{\"kind\":0,\"amount\":8888,\"currency\":\"CNY\",\"count\":3}"),
        "field 'kind' is missing or has the wrong type");
    assertBadInput(send("{\"kind\":\"LUCKY\",\"amount\":8888,\"currency\":\"CNY\",\"count\":3,\"recipient\":\"fan-1\"}"),
        "an EXCLUSIVE packet, and only one, names its recipient");
    assertBadInput(send("{\"kind\":\"LUCKY\",\"amount\":8888,\"currency\":\"CNY\",\"count\":6}"),
        "a red packet has at most one share per member: " + group + " has 5 members, the packet 6 shares");
    assertThat(host.wallet.balance(HttpHost.DEMO_CREATOR, "CNY")).isEqualTo(FUNDS);
  }

  private static void assertBadInput(TestHost.Response response, String message) {
    assertRefused(response, 400, "INVALID_ARGUMENT");
    assertThat(response.json().path("message").asText()).isEqualTo(message);
    assertThat(response.json().fieldNames()).toIterable().containsExactly("code", "message");
  }

  @Test
  void send_withoutTheMoney_is409WalletDeclined() {
    assertRefused(host.as("fan-1").post("/groups/" + group + "/red-packets",
        "{\"kind\":\"LUCKY\",\"amount\":100,\"currency\":\"CNY\",\"count\":2}"), 409, "WALLET_DECLINED");
  }
}
