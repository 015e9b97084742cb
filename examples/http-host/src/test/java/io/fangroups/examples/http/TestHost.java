package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.InMemoryWallet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The service on a free port with the demo social graph and wallet, and a client that calls it over real HTTP. */
final class TestHost implements AutoCloseable {
  final DemoSocialGraph socialGraph = DemoSocialGraph.withDemoFans();
  final InMemoryWallet wallet = HttpHost.demoWallet();
  final FanGroupsHttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestHost(Consumer<FanGroups.Builder> wiring) {
    Clock clock = Clock.systemUTC();
    FanGroups.Builder builder = FanGroups.builder().factSource(socialGraph).wallet(wallet).clock(clock);
    wiring.accept(builder);
    server = FanGroupsHttpServer.start(builder.build(), 0);
  }

  private TestHost(FanGroupsHttpServer server) {
    this.server = server;
  }

  /** A client of a server started elsewhere, such as {@code HttpHost.Running}; closing it closes the server. */
  static TestHost over(FanGroupsHttpServer server) {
    return new TestHost(server);
  }

  static TestHost start() {
    return new TestHost(builder -> {});
  }

  /** With extra wiring, such as a pre-join hook. */
  static TestHost start(Consumer<FanGroups.Builder> wiring) {
    return new TestHost(wiring);
  }

  /** A call by {@code user}; null for an anonymous one. */
  Request as(String user) {
    Request request = new Request();
    return user == null ? request : request.header("X-User-Id", user);
  }

  @Override
  public void close() {
    server.close();
  }

  /** A refusal: the status, the code, and a message saying what was wrong. */
  static void assertRefused(Response response, int status, String code) {
    assertThat(response.code()).as(response.text()).isEqualTo(code);
    assertThat(response.status()).as(code).isEqualTo(status);
    assertThat(response.json().path("message").asText()).isNotBlank();
  }

  /** A status, a body and the headers of one response. */
  record Response(int status, JsonNode json, String text, HttpResponse<String> raw) {
    String code() {
      return json.path("code").asText();
    }
  }

  /** Calls with a set of headers; each {@code header} call returns a new request. */
  final class Request {
    private final Map<String, String> headers;

    Request() {
      this(Map.of());
    }

    private Request(Map<String, String> headers) {
      this.headers = new LinkedHashMap<>(headers);
    }

    Request header(String name, String value) {
      Request copy = new Request(headers);
      copy.headers.put(name, value);
      return copy;
    }

    Request language(String acceptLanguage) {
      return header("Accept-Language", acceptLanguage);
    }

    Request idempotencyKey(String key) {
      return header("Idempotency-Key", key);
    }

    Response get(String path) {
      return send("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    /** POSTs {@code json} as application/json (or as this call's own Content-Type). */
    Response post(String path, String json) {
      Request withType = headers.containsKey("Content-Type") ? this : header("Content-Type", "application/json");
      return withType.send("POST", path, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }

    Response post(String path) {
      return send("POST", path, HttpRequest.BodyPublishers.noBody());
    }

    Response send(String method, String path, HttpRequest.BodyPublisher body) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + path)).method(method, body);
      headers.forEach(request::header);
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Response(response.statusCode(), Json.MAPPER.readTree(response.body()), response.body(), response);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
