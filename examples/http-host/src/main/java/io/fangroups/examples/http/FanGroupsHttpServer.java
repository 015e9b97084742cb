package io.fangroups.examples.http;

import com.sun.net.httpserver.HttpServer;
import io.fangroups.core.FanGroups;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The fan-groups REST service on the JDK's {@link HttpServer}: every route of the README's "Call it
 * over HTTP" section, JSON in and out, on one {@link FanGroups}. Start it with {@link #start}, stop
 * it with {@link #close()}.
 */
public final class FanGroupsHttpServer implements AutoCloseable {
  private static final int THREADS = 8;

  private final HttpServer server;
  private final ExecutorService workers;

  private FanGroupsHttpServer(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
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
    ExecutorService workers = Executors.newFixedThreadPool(THREADS, daemonThreads());
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      server.createContext("/", router);
      server.setExecutor(workers);
      server.start();
      return new FanGroupsHttpServer(server, workers);
    } catch (IOException e) {
      workers.shutdown();
      throw new UncheckedIOException("cannot listen on port " + port, e);
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
    return server.getAddress().getPort();
  }

  /** The base URI on this machine, e.g. {@code http://localhost:8080}. */
  public URI uri() {
    return URI.create("http://localhost:" + port());
  }

  /** Stops accepting calls, lets running ones finish for up to a second, and stops the workers. */
  @Override
  public void close() {
    server.stop(1);
    workers.shutdown();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "fangroups-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
