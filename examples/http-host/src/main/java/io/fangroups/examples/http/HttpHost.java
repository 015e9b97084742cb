package io.fangroups.examples.http;

import io.fangroups.core.FanGroups;
import io.fangroups.core.InMemoryWallet;
import java.time.Clock;

/**
 * Runs the REST service on the in-memory defaults with the demo social graph and a demo wallet in
 * which the creator {@code xiaolu} has money for red packets:
 * {@code mvn -B -q -pl examples/http-host -am -DskipTests package exec:java}, port 8080 unless
 * {@code -Dport=} says otherwise.
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

  /** Starts the server and serves until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    int port = Integer.getInteger("port", 8080);
    Clock clock = Clock.systemUTC();
    DemoSocialGraph socialGraph = DemoSocialGraph.withDemoFans();
    FanGroups fanGroups = FanGroups.builder().factSource(socialGraph).wallet(demoWallet()).clock(clock)
        .build();
    FanGroupsHttpServer server = FanGroupsHttpServer.start(fanGroups, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fangroups-http-shutdown"));
    // Printed rather than logged: under "mvn -q exec:java" the SDK's log lines go to Maven's quiet logger.
    System.out.println("fan groups over HTTP at " + server.uri() + " (send X-User-Id; see README 'Call it over HTTP')");
    System.out.printf("demo wallet: %s has %d fen (CNY) for red packets, everyone else 0%n", DEMO_CREATOR, DEMO_CREATOR_FEN);
    Thread.currentThread().join(); // serve until the process is stopped
  }
}
