package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The seed story over real HTTP: a creator with two groups (caps 200 and 500, one with the seed
 * rule, one by approval), fans applying, a mangled passcode, a bulk approval, content, a denied fan
 * told why in both languages, and the event log read back from a cursor.
 */
class SeedStoryHttpTest {
  /** days_following ≥ 7 AND (fan_club_level ≥ 3 OR NOT fan_club_member). */
  static final String SEED_RULE = """
      {"version":1,"unknown":"review","rule":{"all":[
        {"fact":"days_following","op":">=","value":7,"unit":"days"},
        {"any":[{"fact":"fan_club_level","op":">=","value":3},
                {"not":{"fact":"fan_club_member","op":"==","value":true}}]}]}}""";

  private final TestHost host = TestHost.start();

  @AfterEach
  void stop() {
    host.close();
  }

  @Test
  void seedStory_overHttp() {
    TestHost.Request creator = host.as("xiaolu");
    String family = creator.post("/families", "{\"name\":\"小鹿的粉丝群\"}").json().path("id").asText();
    TestHost.Response loyal = creator.post("/groups", "{\"name\":\"小鹿的粉丝1群\",\"cap\":200,\"familyId\":\"" + family
        + "\",\"rule\":" + SEED_RULE + "}");
    TestHost.Response big = creator.post("/groups", "{\"name\":\"小鹿的粉丝2群\",\"cap\":500,\"joinMode\":\"APPROVAL\","
        + "\"familyId\":\"" + family + "\"}");
    assertThat(loyal.status()).isEqualTo(201);
    assertThat(big.status()).isEqualTo(201);
    assertThat(big.json().path("freeSeats").asInt()).isEqualTo(499);
    String loyalId = loyal.json().path("id").asText();
    String bigId = big.json().path("id").asText();

    // The profile page as new-fan sees it: the rule group says why not, the approval group invites a request.
    JsonNode cards = host.as("new-fan").language("en").get("/creators/xiaolu/groups").json().path("groups");
    assertThat(cards.get(0).path("preview").path("status").asText()).isEqualTo("NOT_ELIGIBLE");
    assertThat(cards.get(0).path("preview").path("explanation").asText()).contains("follow for 4 more days");
    assertThat(cards.get(1).path("preview").path("status").asText()).isEqualTo("CAN_APPLY");
    assertThat(cards.get(1).path("joinMode").asText()).isEqualTo("APPROVAL");
    JsonNode oldFanCard = host.as("old-fan").get("/groups/" + loyalId).json();
    assertThat(oldFanCard.path("preview").path("status").asText()).isEqualTo("CAN_JOIN");
    assertThat(oldFanCard.path("freeSeats").asInt()).isEqualTo(199);

    // Fans apply: old-fan meets the rule and joins at once; casual-fan taps the family button and lands in group 1.
    TestHost.Response oldFan = host.as("old-fan").post("/groups/" + loyalId + "/applications");
    assertThat(oldFan.status()).isEqualTo(200);
    assertThat(oldFan.json().path("joined").asBoolean()).isTrue();
    TestHost.Response casual = host.as("casual-fan").post("/families/" + family + "/applications");
    assertThat(casual.json().path("group").asText()).isEqualTo(loyalId);
    List<String> requests = new ArrayList<>();
    for (String fan : List.of("fan-1", "fan-2", "fan-3")) {
      TestHost.Response applied = host.as(fan).post("/groups/" + bigId + "/applications");
      assertThat(applied.status()).isEqualTo(202);
      assertThat(applied.json().path("request").path("status").asText()).isEqualTo("PENDING");
      requests.add(applied.json().path("request").path("id").asText());
    }

    // The denied fan is told why, and what would change it, in their language.
    TestHost.Response zh = host.as("new-fan").language("zh-CN,zh;q=0.9,en;q=0.8").post("/groups/" + loyalId + "/applications");
    TestHost.Response en = host.as("new-fan").language("en-US").post("/groups/" + loyalId + "/applications");
    assertThat(zh.status()).isEqualTo(403);
    assertThat(zh.code()).isEqualTo("NOT_ELIGIBLE");
    assertThat(zh.json().path("explanation").asText()).contains("你暂时无法加入").contains("再关注 4 天");
    assertThat(en.json().path("explanation").asText()).contains("You can't join yet").contains("follow for 4 more days");

    // A passcode shared in Chinese, pasted back mangled by a chat app; in this APPROVAL group it applies to the owner.
    TestHost.Response code = creator.language("zh").post("/groups/" + bigId + "/passcodes", "{\"maxUses\":50}");
    assertThat(code.status()).isEqualTo(201);
    assertThat(code.json().path("mode").asText()).isEqualTo("FOLLOW_JOIN_MODE");
    String display = code.json().path("display").asText();
    assertThat(code.json().path("shareText").asText()).contains("群口令").contains(display);
    String pasted = "群口令 " + fullWidth(display.toLowerCase(Locale.ROOT));
    TestHost.Response redeemed = host.as("fan-300").header("X-Device-Id", "phone-300")
        .post("/passcode-redemptions", "{\"text\":\"" + pasted + "\"}");
    assertThat(redeemed.status()).isEqualTo(202);
    assertThat(redeemed.json().path("group").asText()).isEqualTo(bigId);
    assertThat(redeemed.json().path("request").path("source").asText()).isEqualTo("PASSCODE");
    assertThat(redeemed.json().path("request").path("status").asText()).isEqualTo("PENDING");

    // The owner's inbox, approved in one call: one result per id, in order.
    JsonNode inbox = creator.get("/groups/" + bigId + "/requests").json().path("requests");
    assertThat(inbox).extracting(r -> r.path("applicant").asText()).containsExactly("fan-1", "fan-2", "fan-3", "fan-300");
    TestHost.Response bulk = creator.post("/requests/approvals", "{\"requests\":[\"" + requests.get(0) + "\",\""
        + requests.get(1) + "\",\"" + requests.get(0) + "\",\"" + requests.get(2) + "\",\"r_missing\"]}");
    assertThat(bulk.status()).isEqualTo(200);
    assertThat(bulk.json().path("items")).extracting(i -> i.path("outcome").asText())
        .containsExactly("APPROVED", "APPROVED", "ALREADY_HANDLED", "APPROVED", "NOT_FOUND");
    assertThat(bulk.json().path("items").get(4).path("error").asText()).isEqualTo("REQUEST_NOT_FOUND");
    String troll = host.as("troll").post("/groups/" + bigId + "/applications").json().path("request").path("id").asText();
    TestHost.Response rejected = creator.post("/requests/rejections", "{\"requests\":[\"" + troll + "\"],\"reason\":\"spam\"}");
    assertThat(rejected.json().path("items").get(0).path("outcome").asText()).isEqualTo("REJECTED");

    // Content: the creator forwards a video preview and a product link; a plain member may not post a link.
    assertThat(creator.post("/groups/" + bigId + "/messages", """
        {"type":"VideoCard","videoId":"v20261125","title":"新视频预告：秋冬穿搭","preview":true,
         "coverUrl":"https://cdn.example.com/covers/v20261125.jpg"}""").status()).isEqualTo(201);
    assertThat(creator.post("/groups/" + bigId + "/messages", "{\"type\":\"Announcement\",\"body\":\"周五晚八点直播\"}")
        .status()).isEqualTo(201);
    TestHost.Response product = creator.post("/groups/" + bigId + "/messages", """
        {"type":"ProductLink","url":"https://shop.example.com/item/42","title":"小鹿同款润唇膏",
         "priceCents":3900,"currency":"CNY","coupon":"FANS10"}""");
    assertThat(product.status()).isEqualTo(201);
    assertThat(product.json().path("content").path("coupon").asText()).isEqualTo("FANS10");
    TestHost.Response fansLink = host.as("fan-1").post("/groups/" + bigId + "/messages", """
        {"type":"ProductLink","url":"https://shop.example.com/item/99","title":"my own shop","priceCents":100,
         "currency":"CNY"}""");
    assertThat(fansLink.status()).isEqualTo(403);
    assertThat(fansLink.code()).isEqualTo("NOT_PERMITTED");
    TestHost.Response script = creator.post("/groups/" + bigId + "/messages", """
        {"type":"ProductLink","url":"javascript:alert(1)","title":"x","priceCents":1,"currency":"CNY"}""");
    assertThat(script.status()).isEqualTo(400);
    assertThat(script.code()).isEqualTo("INVALID_URL");

    // The event log, read from a cursor three at a time, is gapless up to the group's last sequence.
    long last = creator.get("/groups/" + bigId).json().path("lastSequence").asLong();
    List<JsonNode> events = readAll(creator, bigId, 3);
    assertThat(events).extracting(e -> e.path("sequence").asLong())
        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    assertThat(events).extracting(e -> e.path("type").asText())
        .contains("GroupCreated", "RequestSubmitted", "PasscodeCreated", "RequestHandled", "MemberJoined")
        .endsWith("MessagePosted", "MessagePosted", "MessagePosted");
    assertThat(events.get(events.size() - 1).path("event").path("change").path("message").path("content").path("kind")
        .asText()).isEqualTo("product_link");
  }

  private static List<JsonNode> readAll(TestHost.Request reader, String group, int pageSize) {
    List<JsonNode> events = new ArrayList<>();
    long cursor = 0;
    while (true) {
      JsonNode page = reader.get("/groups/" + group + "/events?after=" + cursor + "&limit=" + pageSize).json();
      page.path("events").forEach(events::add);
      if (page.path("events").isEmpty()) {
        return events;
      }
      cursor = page.path("next").asLong();
    }
  }

  /** Full-width forms of ASCII letters, digits and '-', as some chat apps turn codes into. */
  static String fullWidth(String text) {
    StringBuilder out = new StringBuilder();
    text.chars().forEach(c -> out.append(c > ' ' && c < 0x7F ? (char) (c - '!' + '\uFF01') : (char) c));
    return out.toString();
  }
}
