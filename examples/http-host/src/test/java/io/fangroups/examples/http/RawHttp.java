package io.fangroups.examples.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Bytes sent as they are over a socket, so malformed framing reaches the server; the response read whole. */
final class RawHttp {
  /**
   * What came back: the status (0 when the server closed without answering) and the body.
   *
   * @param status the HTTP status, 0 for none
   * @param body the response body
   */
  record Answer(int status, String body) {}

  private RawHttp() {}

  /** Sends {@code request} on a new connection and reads until the server closes it or {@code timeoutMs} passes. */
  static Answer send(int port, byte[] request, int timeoutMs) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(timeoutMs);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
        socket.shutdownOutput();
      } catch (IOException closedEarly) {
        // the server may answer and close before it has read everything (a huge header, say)
      }
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          received.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no complete answer within " + timeoutMs + " ms to "
            + new String(request, 0, Math.min(200, request.length), StandardCharsets.ISO_8859_1), e);
      } catch (IOException reset) {
        // a reset after the answer: keep what came
      }
      return parse(received.toString(StandardCharsets.UTF_8));
    }
  }

  private static Answer parse(String response) {
    if (!response.startsWith("HTTP/1.1 ")) {
      return new Answer(0, response);
    }
    int status = Integer.parseInt(response.substring(9, 12));
    int bodyAt = response.indexOf("\r\n\r\n");
    return new Answer(status, bodyAt < 0 ? "" : response.substring(bodyAt + 4));
  }
}
