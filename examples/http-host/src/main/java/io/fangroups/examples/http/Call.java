package io.fangroups.examples.http;

import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.UserId;
import io.fangroups.core.internal.Idempotency;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP call as the routes see it: the authenticated user, the idempotency key, the language,
 * path variables, query parameters and the JSON body.
 *
 * <p>The user is read from {@code X-User-Id}. That header is a stand-in: a real host puts its own
 * authentication (a session or token check) in front and passes on only the user it verified.
 */
final class Call {
  /** The largest request body accepted; larger ones are answered 413. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final long DRAINED_BYTES = 1024 * 1024;

  private final Exchange exchange;
  private final Map<String, String> path;

  Call(Exchange exchange, Map<String, String> path) {
    this.exchange = exchange;
    this.path = path;
  }

  /** The user making the call; 401 without one. */
  UserId user() {
    String id = exchange.header("X-User-Id");
    if (id == null || id.isBlank()) {
      throw new HttpProblem(ErrorStatus.UNAUTHORIZED, "UNAUTHENTICATED",
          "send the user's id in X-User-Id (a real host puts its authentication in front)");
    }
    return UserId.of(id.strip());
  }

  /** The command context: the user, and the {@code Idempotency-Key} header if sent. */
  CommandContext context() {
    CommandContext ctx = CommandContext.of(user());
    String key = exchange.header("Idempotency-Key");
    return key == null ? ctx : ctx.withIdempotencyKey(key.strip());
  }

  Locale locale() {
    return Languages.pick(exchange.header("Accept-Language"));
  }

  /** The device from {@code X-Device-Id} and the address the call came from, for passcode attempt limits. */
  ClientInfo client() {
    String device = exchange.header("X-Device-Id");
    return ClientInfo.of(device == null || device.isBlank() ? null : device.strip(),
        exchange.remoteAddress());
  }

  String pathVariable(String name) {
    return path.get(name);
  }

  /** An integer query parameter within {@code [min, max]}, or {@code fallback} when absent. */
  long query(String name, long fallback, long min, long max) {
    String raw = queryParameters().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw new HttpProblem(ErrorStatus.BAD_REQUEST, "INVALID_ARGUMENT",
        "query parameter '" + name + "' must be a whole number from " + min + " to " + max);
  }

  /** The JSON body as {@code type}; 415 unless declared as JSON, 413 when over 64 KiB. */
  <T> T body(Class<T> type) {
    requireJson();
    return Json.read(rawBody(), type);
  }

  /** The JSON body as {@code type} when one was sent, as {@link #body}; empty for a call without a body. */
  <T> Optional<T> optionalBody(Class<T> type) {
    byte[] body = rawBody();
    if (body.length == 0) {
      return Optional.empty();
    }
    requireJson();
    return Optional.of(Json.read(body, type));
  }

  private void requireJson() {
    String contentType = exchange.header("Content-Type");
    if (contentType == null || !isJson(contentType)) {
      throw new HttpProblem(ErrorStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE",
          "send the body as Content-Type: application/json (UTF-8)");
    }
  }

  private static boolean isJson(String contentType) {
    String[] parts = contentType.toLowerCase(Locale.ROOT).split(";", -1); // "" and ";" too: never an empty array
    if (!parts[0].strip().equals("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip().replace("\"", "");
      if (parameter.startsWith("charset=") && !parameter.equals("charset=utf-8")) {
        return false;
      }
    }
    return true;
  }

  private byte[] rawBody() {
    try (InputStream in = exchange.body()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        drain(in);
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new HttpProblem(ErrorStatus.BAD_REQUEST, "MALFORMED_JSON", "the body could not be read");
    }
  }

  /** Reads on past an over-large body, up to 1 MiB, so the client finishes sending and reads the 413. */
  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    long drained = 0;
    int n;
    while (drained < DRAINED_BYTES && (n = in.read(buffer)) >= 0) {
      drained += n;
    }
  }

  private static HttpProblem tooLarge() {
    return new HttpProblem(ErrorStatus.PAYLOAD_TOO_LARGE, "BODY_TOO_LARGE",
        "request bodies are limited to " + MAX_BODY_BYTES + " bytes");
  }

  private Map<String, String> queryParameters() {
    String query = exchange.rawQuery();
    Map<String, String> parameters = new HashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          parameters.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return parameters;
  }
}
