package io.fangroups.examples.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The service's OpenAPI 3.1 document ({@code openapi.json} beside this class), which
 * {@code OpenApiTest} checks against the routes and {@link ErrorStatus}.
 *
 * <pre>
 * GET /openapi.json → 200 the document
 * </pre>
 */
final class OpenApiRoutes {
  static final String RESOURCE = "openapi.json";

  private final String document = load();

  static String load() {
    try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the http-host jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void register(Router router) {
    router.get("/openapi.json", call -> Reply.ok(new Reply.Text("application/json; charset=utf-8", document)));
  }
}
