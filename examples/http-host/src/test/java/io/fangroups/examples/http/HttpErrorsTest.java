package io.fangroups.examples.http;

import static io.fangroups.examples.http.TestHost.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.FanGroups;
import io.fangroups.spi.PreJoinHook;
import java.lang.reflect.Proxy;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How refusals look over HTTP: SDK codes mapped to statuses, and the HTTP-level problems. */
class HttpErrorsTest {
  private final TestHost host = TestHost.start();
  private final TestHost.Request creator = host.as("xiaolu");

  @AfterEach
  void stop() {
    host.close();
  }

  private String group(String settings) {
    return creator.post("/groups", settings).json().path("id").asText();
  }

  @Test
  void unknownRoute_is404() {
    TestHost.Response response = creator.get("/groupz");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.code()).isEqualTo("ROUTE_NOT_FOUND");
  }

  @Test
  void wrongMethod_is405WithAllow() {
    TestHost.Response response = creator.send("DELETE", "/groups", HttpRequest.BodyPublishers.noBody());
    assertThat(response.status()).isEqualTo(405);
    assertThat(response.code()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(response.raw().headers().firstValue("Allow")).contains("POST");
  }

  @Test
  void bodyOver64KiB_is413() {
    String huge = "{\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
    TestHost.Response response = creator.post("/groups", huge);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.code()).isEqualTo("BODY_TOO_LARGE");
  }

  @Test
  void malformedJson_is400() {
    TestHost.Response response = creator.post("/groups", "{\"name\": \"a\"");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("MALFORMED_JSON");
  }

  @Test
  void wrongFieldsOrTypes_are400InvalidArgument() {
    TestHost.Response unknownField = creator.post("/groups", "{\"name\":\"a\",\"colour\":\"red\"}");
    TestHost.Response wrongType = creator.post("/groups", "{\"name\":\"a\",\"cap\":\"big\"}");
    TestHost.Response badCap = creator.post("/groups", "{\"name\":\"a\",\"cap\":3000}");
    TestHost.Response fractionalCap = creator.post("/groups", "{\"name\":\"a\",\"cap\":200.5}");
    TestHost.Response quotedCap = creator.post("/groups", "{\"name\":\"a\",\"cap\":\"200\"}");
    TestHost.Response empty = creator.post("/groups", "");
    TestHost.Response badRule = creator.post("/groups", "{\"name\":\"a\",\"rule\":{\"version\":1,\"rule\":"
        + "{\"fact\":\"days_folowing\",\"op\":\">=\",\"value\":7}}}");
    assertThat(unknownField.json().path("message").asText()).isEqualTo("unknown field 'colour'");
    assertThat(wrongType.json().path("message").asText()).contains("'cap'");
    assertThat(fractionalCap.json().path("message").asText()).isEqualTo("field 'cap' must be a whole number (a JSON integer)");
    assertThat(quotedCap.json().path("message").asText()).isEqualTo("field 'cap' must be a whole number (a JSON integer)");
    assertThat(badRule.json().path("message").asText()).contains("UNKNOWN_FACT").contains("days_following");
    for (TestHost.Response response : new TestHost.Response[] {unknownField, wrongType, badCap, fractionalCap, quotedCap, empty,
        badRule}) {
      assertThat(response.status()).isEqualTo(400);
      assertThat(response.code()).isEqualTo("INVALID_ARGUMENT");
    }
  }

  @Test
  void nonJsonBody_is415() {
    TestHost.Response response = creator.header("Content-Type", "text/plain").post("/groups", "name=a");
    assertThat(response.status()).isEqualTo(415);
    assertThat(response.code()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
  }

  @Test
  void missingUser_is401() {
    TestHost.Response response = host.as(null).post("/groups", "{\"name\":\"a\"}");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.code()).isEqualTo("UNAUTHENTICATED");
  }

  @Test
  void sdkRefusals_carryTheirCodeAndStatus() {
    String small = group("{\"name\":\"two seats\",\"cap\":2}");
    String passcodeOnly = group("{\"name\":\"by code\",\"joinMode\":\"PASSCODE_ONLY\"}");
    String approval = group("{\"name\":\"by approval\",\"joinMode\":\"APPROVAL\"}");
    host.as("fan-1").post("/groups/" + small + "/applications");
    host.as("fan-1").post("/groups/" + approval + "/applications");

    assertRefused(host.as("fan-2").post("/groups/" + small + "/applications"), 409, "GROUP_FULL");
    assertRefused(creator.post("/groups/" + small + "/applications"), 409, "ALREADY_MEMBER");
    assertRefused(host.as("fan-1").post("/groups/" + approval + "/applications"), 409, "REQUEST_ALREADY_PENDING");
    assertRefused(host.as("fan-2").post("/groups/" + passcodeOnly + "/applications"), 403, "JOIN_MODE_MISMATCH");
    assertRefused(host.as("fan-2").post("/groups/g_missing/applications"), 404, "GROUP_NOT_FOUND");
    assertRefused(host.as("fan-2").post("/groups/bad%20id/applications"), 400, "INVALID_ARGUMENT");
    assertRefused(host.as("fan-1").get("/groups/" + approval + "/requests"), 403, "NOT_PERMITTED");
    assertRefused(host.as("fan-2").get("/groups/" + small + "/events"), 403, "NOT_A_MEMBER");
    assertRefused(creator.get("/groups/" + small + "/events?limit=0"), 400, "INVALID_ARGUMENT");
    assertRefused(host.as("fan-1").post("/groups/" + small + "/messages", "{\"type\":\"Text\",\"body\":\""
        + "长".repeat(2001) + "\"}"), 400, "MESSAGE_TOO_LONG");
  }

  @Test
  void passcodeGuessing_isLimitedWith429() {
    TestHost.Request guesser = host.as("guesser").header("X-Device-Id", "phone-9");
    assertRefused(guesser.post("/passcode-redemptions", "{\"text\":\"hello\"}"), 400, "PASSCODE_MALFORMED");
    assertRefused(guesser.post("/passcode-redemptions", "{\"text\":\"群口令 7KQM-3XP9-VD2HC\"}"), 404,
        "PASSCODE_NOT_FOUND");
    TestHost.Response last = null;
    for (int attempt = 3; attempt <= 11; attempt++) {
      last = guesser.post("/passcode-redemptions", "{\"text\":\"hello\"}");
    }
    assertRefused(last, 429, "RATE_LIMITED");
  }

  @Test
  void failingJoinHook_is503() {
    try (TestHost failing = TestHost.start(builder -> builder.preJoinHook(
        attempt -> CompletableFuture.failedFuture(new IllegalStateException("risk service down")),
        Duration.ofMillis(100), PreJoinHook.FailureMode.REJECT))) {
      String group = failing.as("xiaolu").post("/groups", "{\"name\":\"guarded\"}").json().path("id").asText();
      assertRefused(failing.as("fan-1").post("/groups/" + group + "/applications"), 503, "JOIN_HOOK_FAILED");
    }
  }

  @Test
  void unexpectedFailure_is500WithoutDetails() {
    FanGroups broken = (FanGroups) Proxy.newProxyInstance(FanGroups.class.getClassLoader(),
        new Class<?>[] {FanGroups.class}, (proxy, method, args) -> {
          throw new IllegalStateException("secret detail from deep inside");
        });
    try (FanGroupsHttpServer server = FanGroupsHttpServer.start(broken, 0)) {
      java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(server.uri().resolve("/creators/xiaolu/groups")).header("X-User-Id", "fan-1").build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body()).contains("\"code\":\"INTERNAL\"").doesNotContain("secret", "Exception", "at io.");
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
