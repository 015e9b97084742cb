package io.fangroups.examples.http;

import io.fangroups.core.FanGroups;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * The fan-groups REST service on Jetty 12 (its core API, no servlets): every route of the README's
 * "Call it over HTTP" section, JSON in and out, on one {@link FanGroups}. Start it with
 * {@link #start}, stop it with {@link #close()}.
 *
 * <p>Why Jetty: it is maintained, reads requests without holding a thread while a client is slow
 * (non-blocking parsing), and has the limits a service exposed to clients needs. Set here: a
 * bounded pool of {@value #MAX_THREADS} threads, an idle timeout of {@value #IDLE_TIMEOUT_MS} ms,
 * request headers up to {@value #MAX_HEADER_BYTES} bytes, at most {@value #MAX_CONNECTIONS}
 * connections, and an error handler that answers the server's own refusals (a bad URI or framing,
 * headers too large) with the same JSON error body as the routes.
 */
public final class FanGroupsHttpServer implements AutoCloseable {
  static final int MAX_THREADS = 64;
  static final int IDLE_TIMEOUT_MS = 10_000;
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_CONNECTIONS = 2_000;

  private final Server server;
  private final ServerConnector connector;

  private FanGroupsHttpServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts serving {@code fanGroups} on {@code port} (0 picks a free one) of the loopback interface
   * only: the service trusts {@code X-User-Id}, so it must sit behind the host's authentication
   * before it listens anywhere else.
   */
  public static FanGroupsHttpServer start(FanGroups fanGroups, int port) {
    return start(fanGroups, port, null);
  }

  /**
   * As {@link #start(FanGroups, int)}, with {@code GET /metrics} serving {@code metrics} in
   * Prometheus' text format when it is not null (wire {@code FanGroupsMetrics} on the same registry).
   */
  public static FanGroupsHttpServer start(FanGroups fanGroups, int port, @Nullable PrometheusMeterRegistry metrics) {
    Objects.requireNonNull(fanGroups, "fanGroups");
    Router router = routes(fanGroups, metrics);
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
    threads.setName("fangroups-http");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
    server.setHandler(new org.eclipse.jetty.server.Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        try {
          router.handle(new JettyExchange(request, response, callback));
        } catch (IOException | RuntimeException e) {
          callback.failed(e); // the response could not be written; Jetty answers 500 if it still can
        }
        return true;
      }
    });
    server.setErrorHandler(FanGroupsHttpServer::serverError);
    server.setStopTimeout(1_000);
    try {
      server.start();
    } catch (Exception e) {
      throw new UncheckedIOException("cannot listen on port " + port, e instanceof IOException io ? io : new IOException(e));
    }
    return new FanGroupsHttpServer(server, connector);
  }

  /** The server's own refusals (bad URI, bad framing, headers too large …) as the documented JSON body. */
  private static boolean serverError(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 400;
    Object reason = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    String code = switch (status) {
      case 404 -> "ROUTE_NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 413 -> "BODY_TOO_LARGE";
      case 414 -> "URI_TOO_LONG";
      case 431 -> "HEADERS_TOO_LARGE";
      case 500 -> "INTERNAL";
      default -> "BAD_REQUEST";
    };
    String message = status == 500 ? "the server failed; the failure was logged"
        : "the server could not read the request" + (reason == null ? "" : ": " + reason);
    byte[] body = Json.write(new ErrorBody(code, message, null));
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  /** A Jetty request and response as an {@link Exchange}; the response completes the handler's callback. */
  private record JettyExchange(Request request, Response response, Callback callback) implements Exchange {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String rawPath() {
      return request.getHttpURI().getPath();
    }

    @Override
    public @Nullable String rawQuery() {
      return request.getHttpURI().getQuery();
    }

    @Override
    public @Nullable String header(String name) {
      return request.getHeaders().get(name);
    }

    @Override
    public String remoteAddress() {
      return Request.getRemoteAddr(request);
    }

    @Override
    public InputStream body() {
      return Request.asInputStream(request);
    }

    @Override
    public void setHeader(String name, String value) {
      response.getHeaders().put(name, value);
    }

    @Override
    public void respond(int status, byte[] body) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
      response.write(true, ByteBuffer.wrap(body), callback);
    }
  }

  /** Every route the server answers; {@code metrics} adds {@code GET /metrics}. */
  static Router routes(FanGroups fanGroups, @Nullable PrometheusMeterRegistry metrics) {
    Router router = new Router();
    new GroupRoutes(fanGroups, new EligibilityPreview(fanGroups)).register(router);
    new JoinRoutes(fanGroups).register(router);
    new PasscodeRoutes(fanGroups).register(router);
    new RequestRoutes(fanGroups).register(router);
    new ContentRoutes(fanGroups).register(router);
    new EventRoutes(fanGroups).register(router);
    new RedPacketRoutes(fanGroups).register(router);
    new OperatorRoutes(fanGroups).register(router);
    new OpenApiRoutes().register(router);
    if (metrics != null) {
      new MetricsRoutes(metrics).register(router);
    }
    return router;
  }

  /** The port it listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The base URI on this machine, e.g. {@code http://localhost:8080}. */
  public URI uri() {
    return URI.create("http://localhost:" + port());
  }

  /** Stops accepting calls, lets running ones finish for up to a second, and stops the threads. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (java.util.concurrent.TimeoutException e) {
      // Idle keep-alive connections outlived the graceful second; they are closed all the same.
    } catch (Exception e) {
      throw new IllegalStateException("the HTTP server did not stop cleanly", e);
    }
  }
}
