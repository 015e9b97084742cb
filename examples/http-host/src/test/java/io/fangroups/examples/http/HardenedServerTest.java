package io.fangroups.examples.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's own refusals as the documented JSON body, and slow clients that cannot starve
 * others (issue 14's list: one-byte connections, odd chunk sizes, bad URIs, huge headers).
 */
class HardenedServerTest {
  private final TestHost host = TestHost.start();
  private final int port = host.server.port();

  @AfterEach
  void stop() {
    host.close();
  }

  private static byte[] ascii(String request) {
    return request.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A 4xx with a JSON body that has a code and a message. */
  private static void assertJsonRefusal(RawHttp.Answer answer) {
    assertThat(answer.status()).as(answer.body()).isBetween(400, 499);
    JsonNode body = Json.tree(answer.body());
    assertThat(body.path("code").asText()).isNotBlank();
    assertThat(body.path("message").asText()).isNotBlank();
  }

  @Test
  void oddChunkSizes_areJson400_andNeverHang() throws IOException {
    for (String size : List.of("80000000", "ffffffff", "123456789012345678", "zz", "-1")) {
      RawHttp.Answer answer = RawHttp.send(port, ascii("POST /groups HTTP/1.1\r\nHost: x\r\nX-User-Id: xiaolu\r\n"
          + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + size + "\r\n{}\r\n0\r\n\r\n"),
          5_000);
      assertJsonRefusal(answer);
    }
  }

  @Test
  void badUris_hugeContentLength_hugeHeaders_emptyContentType_areJson4xx() throws IOException {
    assertJsonRefusal(RawHttp.send(port, ascii("GET /groups/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 5_000));
    assertJsonRefusal(RawHttp.send(port, ascii("GET /groups/\u00c0\u00af HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), 5_000));
    assertJsonRefusal(RawHttp.send(port, ascii("GET /groups/%C0%AF HTTP/1.1\r\nHost: x\r\nX-User-Id: a\r\nConnection: close\r\n\r\n"), 5_000));
    assertJsonRefusal(RawHttp.send(port, ascii("POST /groups HTTP/1.1\r\nHost: x\r\nX-User-Id: xiaolu\r\n"
        + "Content-Type: application/json\r\nContent-Length: 99999999999999999999\r\nConnection: close\r\n\r\n{}"), 5_000));
    assertJsonRefusal(RawHttp.send(port, ascii("GET /groups HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(1024 * 1024)
        + "\r\nConnection: close\r\n\r\n"), 5_000));
    assertJsonRefusal(RawHttp.send(port, ascii("POST /groups HTTP/1.1\r\nHost: x\r\nX-User-Id: xiaolu\r\n"
        + "Content-Type: ;\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"), 5_000));
  }

  @Test
  void invalidOrOverlongUtf8InABody_is400_andNothingIsCreated() throws IOException {
    for (byte[] bad : List.of(new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})) {
      byte[] json = concat(ascii("{\"name\":\"a"), bad, ascii("b\"}"));
      byte[] request = concat(ascii("POST /groups HTTP/1.1\r\nHost: x\r\nX-User-Id: xiaolu\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + json.length + "\r\nConnection: close\r\n\r\n"), json, new byte[0]);
      RawHttp.Answer answer = RawHttp.send(port, request, 5_000);
      assertJsonRefusal(answer);
      assertThat(answer.status()).isEqualTo(400);
    }
    assertThat(host.as("xiaolu").get("/creators/xiaolu/groups").json().path("groups").size()).isZero();
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] out = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }

  /** 200 connections trickle a request's header a byte at a time while a normal client goes on being served. */
  @Test
  void slowClients_doNotStarveOthers() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.getOutputStream().write(ascii("GET /groups/g HTT"));
        slow.add(socket);
      }
      TestHost.Request creator = host.as("xiaolu");
      for (int round = 0; round < 10; round++) {
        for (Socket socket : slow) {
          OutputStream out = socket.getOutputStream();
          out.write('P'); // one more byte each round: never a whole request line
        }
        long started = System.nanoTime();
        TestHost.Response response = creator.post("/groups", "{\"name\":\"g" + round + "\"}");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(response.status()).isEqualTo(201);
        assertThat(took).as("round %d", round).isLessThan(Duration.ofSeconds(1));
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }
}
