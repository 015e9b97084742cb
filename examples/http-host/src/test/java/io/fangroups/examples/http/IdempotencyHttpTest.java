package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code Idempotency-Key}: a retry gets the first response and changes nothing again. */
class IdempotencyHttpTest {
  private final TestHost host = TestHost.start();
  private final TestHost.Request creator = host.as("xiaolu");
  private final String group = creator.post("/groups", "{\"name\":\"retry me\",\"joinMode\":\"APPROVAL\"}")
      .json().path("id").asText();

  @AfterEach
  void stop() {
    host.close();
  }

  private long eventCount() {
    return creator.get("/groups/" + group + "/events").json().path("events").size();
  }

  @Test
  void retriedApplication_getsTheSameResponseAndOneEvent() {
    TestHost.Request fan = host.as("fan-1").idempotencyKey("apply-7f3a");
    TestHost.Response first = fan.post("/groups/" + group + "/applications");
    TestHost.Response retry = fan.post("/groups/" + group + "/applications");
    assertThat(first.status()).isEqualTo(202);
    assertThat(retry.status()).isEqualTo(first.status());
    assertThat(retry.text()).isEqualTo(first.text());
    assertThat(eventCount()).isEqualTo(2); // GroupCreated, one RequestSubmitted
  }

  @Test
  void retriedPost_getsTheSameMessageAndOneEvent() {
    TestHost.Request owner = creator.idempotencyKey("post-1");
    String text = "{\"type\":\"Text\",\"body\":\"大家好\"}";
    TestHost.Response first = owner.post("/groups/" + group + "/messages", text);
    TestHost.Response retry = owner.post("/groups/" + group + "/messages", text);
    assertThat(first.status()).isEqualTo(201);
    assertThat(retry.text()).isEqualTo(first.text());
    JsonNode events = creator.get("/groups/" + group + "/events").json().path("events");
    assertThat(events).filteredOn(e -> e.path("type").asText().equals("MessagePosted")).hasSize(1);
    assertThat(events.get(1).path("event").path("attribution").path("idempotencyKey").asText()).isEqualTo("post-1");
  }

  @Test
  void sameKeyForAnotherRequest_is422() {
    TestHost.Request owner = creator.idempotencyKey("post-2");
    owner.post("/groups/" + group + "/messages", "{\"type\":\"Text\",\"body\":\"one\"}");
    TestHost.Response reused = owner.post("/groups/" + group + "/messages", "{\"type\":\"Text\",\"body\":\"two\"}");
    assertThat(reused.status()).isEqualTo(422);
    assertThat(reused.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
    assertThat(eventCount()).isEqualTo(2);
  }
}
