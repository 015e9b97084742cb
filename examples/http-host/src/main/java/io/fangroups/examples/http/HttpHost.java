package io.fangroups.examples.http;

import io.fangroups.core.FanGroups;
import io.fangroups.core.InMemoryWallet;
import io.fangroups.micrometer.FanGroupsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * Runs the REST service with the demo social graph and a demo wallet in which the creator
 * {@code xiaolu} has money for red packets:
 * {@code mvn -B -q -pl examples/http-host -am -DskipTests package exec:java}, port 8080 unless
 * {@code -Dport=} says otherwise; in memory unless {@link HostStorage} is configured for PostgreSQL
 * ({@code -Dexec.args=--embedded-postgres} for a one-command demo on a real database).
 */
public final class HttpHost {
  /** The demo creator, whom the README's curl lines act as. */
  static final String DEMO_CREATOR = "xiaolu";
  /** What {@link #DEMO_CREATOR} has in the demo wallet at start: ¥1,000.00, in fen. */
  static final long DEMO_CREATOR_FEN = 100_000;

  private HttpHost() {}

  /**
   * The demo's payment system: an {@link InMemoryWallet} (nothing survives a restart) in which
   * {@link #DEMO_CREATOR} has {@link #DEMO_CREATOR_FEN} fen; everyone else starts at 0.
   */
  static InMemoryWallet demoWallet() {
    InMemoryWallet wallet = InMemoryWallet.create();
    wallet.deposit(DEMO_CREATOR, "CNY", DEMO_CREATOR_FEN);
    return wallet;
  }

  /** Starts the server and serves until the process is stopped (Ctrl-C or SIGTERM stops it cleanly). */
  public static void main(String[] args) throws InterruptedException {
    HostStorage storage = HostStorage.open(HostStorage.Settings.from(args, System::getProperty, System::getenv));
    Running host = Running.start(Integer.getInteger("port", 8080), storage);
    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "fangroups-http-shutdown"));
    // Printed rather than logged: under "mvn -q exec:java" the SDK's log lines go to Maven's quiet logger.
    System.out.println("fan groups over HTTP at " + host.server().uri() + " (send X-User-Id; see README 'Call it over HTTP')");
    System.out.printf("demo wallet: %s has %d fen (CNY) for red packets, everyone else 0%n", DEMO_CREATOR, DEMO_CREATOR_FEN);
    System.out.println("metrics (Prometheus text) at " + host.server().uri() + "/metrics; state " + storage.description());
    Thread.currentThread().join(); // serve until the process is stopped
  }

  /**
   * The demo service with its metrics: its storage ({@link HostStorage}), the demo social graph and
   * wallet, and {@code FanGroupsMetrics} on a Prometheus registry served at {@code GET /metrics}.
   *
   * @param server the HTTP server
   * @param fanGroups the SDK instance it serves
   * @param metrics the registry {@code /metrics} shows
   * @param storage where the state is kept, closed last
   */
  record Running(FanGroupsHttpServer server, FanGroups fanGroups, PrometheusMeterRegistry metrics, HostStorage storage)
      implements AutoCloseable {
    /** How long {@link #close()} waits for the relay to hand over what was committed. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

    /** In memory. */
    static Running start(int port) {
      return start(port, HostStorage.open(HostStorage.Settings.IN_MEMORY));
    }

    static Running start(int port, HostStorage storage) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      FanGroupsMetrics metrics = FanGroupsMetrics.create(registry);
      FanGroups fanGroups = storage.wire(FanGroups.builder()).factSource(DemoSocialGraph.withDemoFans())
          .clock(Clock.systemUTC()).observer(metrics).build();
      metrics.bindTo(fanGroups);
      return new Running(FanGroupsHttpServer.start(fanGroups, port, registry), fanGroups, registry, storage);
    }

    /**
     * Stops cleanly: no new calls and running ones finish, then the relay hands over what was
     * committed (up to {@link #DRAIN_TIMEOUT}) and stops, then the registry and the storage (its
     * pool, an embedded database) close.
     */
    @Override
    public void close() {
      server.close();
      long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
      while (!fanGroups.relay().status().caughtUp() && System.nanoTime() < deadline) {
        fanGroups.relay().drainOnce();
      }
      fanGroups.relay().close();
      metrics.close();
      storage.close();
    }
  }
}
