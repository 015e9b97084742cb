package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fangroups.core.FanGroups;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * 10,000 generated requests over raw sockets (methods, paths with odd percent-encodings and bytes,
 * headers, framing, JSON and UTF-8 edge cases): never a 500, never a hang, every error the
 * documented JSON body.
 */
class HttpFuzzTest {
  private static final int REQUESTS = 10_000;
  private static final List<String> METHODS = List.of("GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "G@T");
  private static final List<String> VARIABLES = List.of("g_1", "xiaolu", "%zz", "%C0%AF", "%00", "..", "%2F", "小鹿", "a".repeat(300),
      "\u00c0\u00af", "%E2%80%AE", "r_1", "p_1", "rp_1", "");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8", ";", "",
      "text/plain", "application/json; charset=latin1", "application/json;;;", "\u00ff");
  private static final List<String> VALUES = List.of("\"x\"", "1", "-1", "200.5", "1e-400", "1e2", "99999999999999999999", "true",
      "null", "[]", "{}", "\"\\u200B\"", "\"\\u202E\"", "\"小鹿的粉丝群\"", "\"OPEN\"", "\"APPROVAL\"", "0", "\"" + "x".repeat(70) + "\"");
  private static final List<String> FIELDS = List.of("name", "cap", "joinMode", "rule", "familyId", "text", "groupId", "label", "maxUses",
      "type", "body", "kind", "amount", "currency", "count", "requests", "userId", "minutes", "phrase", "colour");

  @Test
  void tenThousandGeneratedRequests_neverA500_andEveryErrorIsTheJsonBody() throws IOException {
    Random random = new Random(14);
    List<String> templates = FanGroupsHttpServer.routes(FanGroups.builder().build(), null).routes().stream()
        .map(route -> route.substring(route.indexOf(' ') + 1)).toList();
    Map<Integer, Integer> statuses = new TreeMap<>();
    try (TestHost host = TestHost.start()) {
      int port = host.server.port();
      for (int i = 0; i < REQUESTS; i++) {
        byte[] request = request(random, templates);
        RawHttp.Answer answer = RawHttp.send(port, request, 5_000);
        statuses.merge(answer.status(), 1, Integer::sum);
        String shown = new String(request, 0, Math.min(300, request.length), StandardCharsets.ISO_8859_1);
        assertThat(answer.status()).as(shown).isBetween(200, 499);
        if (answer.status() >= 400) {
          JsonNode body = Json.tree(answer.body());
          assertThat(body.path("code").asText()).as(shown).isNotBlank();
          assertThat(body.path("message").asText()).as(shown).isNotBlank();
        }
      }
    }
    System.out.println("fuzz statuses: " + statuses);
    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
  }

  private static byte[] request(Random random, List<String> templates) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String method = pick(random, METHODS);
    String path = random.nextInt(10) == 0 ? "/" + pick(random, VARIABLES) : pick(random, templates);
    StringBuilder filled = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (!filled.isEmpty() || !segment.isEmpty()) {
        filled.append('/');
      }
      filled.append(segment.startsWith("{") ? pick(random, VARIABLES) : segment);
    }
    if (random.nextInt(5) == 0) {
      filled.append("?limit=").append(pick(random, VALUES).replace("\"", "")).append("&offset=%zz");
    }
    byte[] body = body(random);
    StringBuilder head = new StringBuilder(method).append(' ').append(filled.isEmpty() ? "/" : filled).append(" HTTP/1.1\r\nHost: x\r\n");
    if (random.nextInt(6) != 0) {
      head.append("X-User-Id: ").append(pick(random, List.of("xiaolu", "fan-1", "", " ", "a b", "%zz", "小鹿"))).append("\r\n");
    }
    if (random.nextBoolean()) {
      head.append("Content-Type: ").append(pick(random, CONTENT_TYPES)).append("\r\n");
    }
    if (random.nextInt(8) == 0) {
      head.append("Accept-Language: ").append(pick(random, List.of("zh-CN", "en", "*", ";q=x", "xx-YY,zz;q=0.1"))).append("\r\n");
    }
    boolean chunked = random.nextInt(6) == 0;
    if (chunked) {
      head.append("Transfer-Encoding: chunked\r\n");
    } else {
      int length = random.nextInt(10) == 0 ? body.length + random.nextInt(3) - 1 : body.length;
      head.append("Content-Length: ").append(Math.max(0, length)).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (chunked) {
      String size = random.nextInt(3) == 0 ? pick(random, List.of("ffffffff", "80000000", "123456789012345678", "zz", "-1"))
          : Integer.toHexString(body.length);
      out.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
      out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static byte[] body(Random random) {
    switch (random.nextInt(6)) {
      case 0:
        return new byte[0];
      case 1: {
        byte[] garbage = new byte[random.nextInt(40)];
        random.nextBytes(garbage);
        return garbage;
      }
      case 2: // invalid and overlong UTF-8 inside a JSON string
        return concat("{\"name\":\"", new byte[] {(byte) 0xC0, (byte) 0xAF, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}");
      default: {
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(5);
        for (int i = 0; i < fields; i++) {
          json.append(i == 0 ? "" : ",").append('"').append(pick(random, FIELDS)).append("\":").append(pick(random, VALUES));
        }
        return json.append(random.nextInt(20) == 0 ? "" : "}").toString().getBytes(StandardCharsets.UTF_8);
      }
    }
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(middle);
    out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
