package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The type coercions issue 14 found, each refused with 400 INVALID_ARGUMENT and nothing created:
 * enums by position, numbers for strings, lossy numbers, names that show nothing.
 */
class StrictInputTest {
  private final TestHost host = TestHost.start();
  private final TestHost.Request creator = host.as("xiaolu");

  @AfterEach
  void stop() {
    host.close();
  }

  private void assertInvalid(TestHost.Response response) {
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("INVALID_ARGUMENT");
    assertThat(response.json().path("message").asText()).isNotBlank();
  }

  private String group(String settings) {
    return creator.post("/groups", settings).json().path("id").asText();
  }

  private int groupCount() {
    return creator.get("/creators/xiaolu/groups").json().path("groups").size();
  }

  @Test
  void enumByPosition_isRefused() {
    assertInvalid(creator.post("/groups", "{\"name\":\"a\",\"joinMode\":1}"));
    assertThat(groupCount()).isZero();
  }

  @Test
  void numbersForStrings_areRefused() {
    assertInvalid(creator.post("/groups", "{\"name\":123}"));
    String g = group("{\"name\":\"g\",\"joinMode\":\"PASSCODE_ONLY\"}");
    assertInvalid(creator.post("/groups/" + g + "/passcodes", "{\"label\":7}"));
    assertInvalid(creator.post("/groups/" + g + "/messages", "{\"type\":\"Text\",\"body\":42}"));
    assertThat(groupCount()).isEqualTo(1);
  }

  @Test
  void lossyNumbers_areRefused() {
    String g = group("{\"name\":\"g\",\"joinMode\":\"PASSCODE_ONLY\"}");
    assertInvalid(creator.post("/groups/" + g + "/passcodes", "{\"maxUses\":1e-400}"));
    assertInvalid(creator.post("/groups/" + g + "/passcodes", "{\"maxUses\":1e2}"));
    assertInvalid(creator.post("/groups/" + g + "/messages",
        "{\"type\":\"ProductLink\",\"url\":\"https://shop.example/p/1\",\"title\":\"t\",\"priceCents\":1e-400,\"currency\":\"CNY\"}"));
    assertInvalid(creator.post("/groups", "{\"name\":\"a\",\"cap\":200.5}"));
    assertInvalid(creator.post("/groups", "{\"name\":\"a\",\"cap\":99999999999999999999}"));
  }

  @Test
  void namesThatShowNothing_areRefused() {
    for (String name : new String[] {"\\u200B", "\\uFEFF", "\\u200E", "\\u3164", "a\\u202Eb"}) {
      assertInvalid(creator.post("/groups", "{\"name\":\"" + name + "\"}"));
    }
    assertThat(groupCount()).isZero();
  }
}
