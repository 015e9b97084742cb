package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The OpenAPI document against the server: every route documented, every documented route served, every error code's status. */
class OpenApiTest {
  private final JsonNode document = Json.tree(OpenApiRoutes.load());

  private Set<String> documented() {
    Set<String> operations = new HashSet<>();
    document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
        .forEachRemaining(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    return operations;
  }

  @Test
  void everyRouteIsDocumented_andEveryDocumentedRouteServed() {
    List<String> served = FanGroupsHttpServer.routes(FanGroups.builder().build(),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).routes();
    assertThat(new HashSet<>(served)).hasSameSizeAs(served); // no route registered twice
    assertThat(documented()).containsExactlyInAnyOrderElementsOf(served);
    assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void everyErrorCodeIsDocumented_withTheStatusTheServerAnswers() {
    Map<String, Integer> expected = new TreeMap<>();
    for (ErrorCode code : ErrorCode.values()) {
      expected.put(code.name(), ErrorStatus.of(code));
    }
    Map<String, Integer> documentedCodes = new TreeMap<>();
    document.path("x-error-codes").fields().forEachRemaining(e -> documentedCodes.put(e.getKey(), e.getValue().asInt()));
    assertThat(documentedCodes).isEqualTo(expected);
  }

  @Test
  void everyOperation_hasASummaryAnIdAndTheErrorResponse() {
    List<String> ids = new ArrayList<>();
    document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      assertThat(op.getValue().path("summary").asText()).as(path.getKey()).isNotBlank();
      assertThat(op.getValue().path("responses").path("default").path("$ref").asText())
          .isEqualTo("#/components/responses/Error");
      ids.add(op.getValue().path("operationId").asText());
    }));
    assertThat(ids).doesNotHaveDuplicates().allMatch(id -> !id.isBlank());
  }

  @Test
  void theDocumentIsServed() {
    try (TestHost host = TestHost.start()) {
      TestHost.Response response = host.as(null).get("/openapi.json");
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().path("paths").has("/groups/{groupId}/members")).isTrue();
    }
  }
}
