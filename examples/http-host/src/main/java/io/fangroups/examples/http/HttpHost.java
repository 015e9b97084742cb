package io.fangroups.examples.http;

import io.fangroups.core.FanGroups;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the REST service on the in-memory defaults with the demo social graph:
 * {@code mvn -B -q -pl examples/http-host -am -DskipTests package exec:java}, port 8080 unless
 * {@code -Dport=} says otherwise.
 */
public final class HttpHost {
  private static final Logger log = LoggerFactory.getLogger(HttpHost.class);

  private HttpHost() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.getInteger("port", 8080);
    Clock clock = Clock.systemUTC();
    DemoSocialGraph socialGraph = DemoSocialGraph.withDemoFans();
    FanGroups fanGroups = FanGroups.builder().factSource(socialGraph).clock(clock).build();
    FanGroupsHttpServer server = FanGroupsHttpServer.start(fanGroups, socialGraph, clock, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "fangroups-http-shutdown"));
    log.info("fan groups over HTTP at {} (send X-User-Id; see README 'Call it over HTTP')", server.uri());
    Thread.currentThread().join(); // serve until the process is stopped
  }
}
