package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The demo host as {@code HttpHost.main} runs it: metrics at {@code GET /metrics}, and a clean stop. */
class HostMetricsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> call(HttpHost.Running host, String method, String path, String user, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(host.server().uri() + path))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json");
    if (user != null) {
      request.header("X-User-Id", user);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metrics_showTheCommandsServed_inPrometheusText() throws Exception {
    try (HttpHost.Running host = HttpHost.Running.start(0)) {
      HttpResponse<String> created = call(host, "POST", "/groups", HttpHost.DEMO_CREATOR, "{\"name\":\"g\",\"cap\":200}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      String group = created.body().replaceAll("(?s).*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
      assertThat(call(host, "POST", "/groups/" + group + "/applications", "fan-1", null).statusCode()).isEqualTo(200);
      assertThat(call(host, "POST", "/groups/" + group + "/applications", "fan-1", null).statusCode()).isEqualTo(409);

      HttpResponse<String> metrics = call(host, "GET", "/metrics", null, null);

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValue(MetricsRoutes.CONTENT_TYPE);
      assertThat(metrics.body())
          .contains("fangroups_commands_total{command=\"createGroup\",outcome=\"ok\"} 1.0")
          .contains("fangroups_commands_total{command=\"apply\",outcome=\"ok\"} 1.0")
          .contains("fangroups_commands_total{command=\"apply\",outcome=\"ALREADY_MEMBER\"} 1.0")
          .contains("fangroups_command_latency_seconds_count{command=\"apply\"} 2")
          .contains("fangroups_relay_parked ");
      assertThat(call(host, "POST", "/metrics", null, "{}").statusCode()).isEqualTo(405);
    }
  }

  @Test
  void close_stopsServingAndTheRelay() throws Exception {
    HttpHost.Running host = HttpHost.Running.start(0);
    URI uri = host.server().uri();
    host.close();
    assertThat(host.fanGroups().relay().status().caughtUp()).isTrue();
    try {
      http.send(HttpRequest.newBuilder(URI.create(uri + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      org.assertj.core.api.Assertions.fail("the server still answers after close");
    } catch (IOException expected) {
      // connection refused: nothing listens any more
    }
  }
}
