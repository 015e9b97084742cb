package io.fangroups.examples.http;

import io.fangroups.core.FanGroups;
import java.time.Clock;

/**
 * Runs the REST service on the in-memory defaults with the demo social graph:
 * {@code mvn -B -q -pl examples/http-host -am -DskipTests package exec:java}, port 8080 unless
 * {@code -Dport=} says otherwise.
 */
public final class HttpHost {
  private HttpHost() {}

  /** Starts the server and serves until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    int port = Integer.getInteger("port", 8080);
    Clock clock = Clock.systemUTC();
    DemoSocialGraph socialGraph = DemoSocialGraph.withDemoFans();
    FanGroups fanGroups = FanGroups.builder().factSource(socialGraph).clock(clock).build();
    FanGroupsHttpServer server = FanGroupsHttpServer.start(fanGroups, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fangroups-http-shutdown"));
    // Printed rather than logged: under "mvn -q exec:java" the SDK's log lines go to Maven's quiet logger.
    System.out.println("fan groups over HTTP at " + server.uri() + " (send X-User-Id; see README 'Call it over HTTP')");
    Thread.currentThread().join(); // serve until the process is stopped
  }
}
