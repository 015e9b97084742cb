package io.fangroups.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.spi.GroupStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part of {@link StateAtScale}: events published per second from PostgreSQL by a relay reading one
 * event per query (as before issue 11) and one reading 500, on the same data in the same run.
 */
final class RelayThroughput {
  private static final int GROUPS = 20;
  private static final int POSTS = 1_000;

  private RelayThroughput() {}

  static void run(EmbeddedPostgres server) throws Exception {
    System.out.printf("== relay throughput: %d groups of about %,d committed events each, one relay (2 threads),"
        + " a publisher that completes at once%n", GROUPS, POSTS);
    for (int batch : new int[] {1, 500}) {
      try (HikariDataSource db = StateAtScale.database(server, "relay_" + batch)) {
        GroupStore store = new PostgresGroupStore(db);
        FanGroups writer = FanGroups.builder().store(store).passcodeKeys(StateAtScale.KEYS).attemptLimiter(new PostgresAttemptLimiter(db)).startPruning(false).build();
        long total = 0;
        for (int g = 0; g < GROUPS; g++) {
          GroupId group = StateAtScale.groupWithMembers(writer, "r" + g, 5);
          StateAtScale.bulkPosts(writer, store, group, "owner-r" + g, POSTS - 7, null);
          total += store.lastSequence("group/" + group.value());
        }
        Set<String> published = ConcurrentHashMap.newKeySet();
        AtomicLong calls = new AtomicLong();
        long start = System.nanoTime();
        FanGroups relaying = FanGroups.builder().store(new PostgresGroupStore(db)).passcodeKeys(StateAtScale.KEYS).attemptLimiter(new PostgresAttemptLimiter(db))
            .startPruning(false).relayOptions(OutboxRelay.Options.DEFAULT.withReadBatch(batch))
            .eventPublisher(event -> {
              calls.incrementAndGet();
              published.add(event.eventId());
              return CompletableFuture.completedFuture(null);
            }).build();
        while (published.size() < total) {
          if (System.nanoTime() - start > 600_000_000_000L) {
            throw new IllegalStateException("not caught up after 10 minutes: " + published.size() + " of " + total);
          }
          Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        relaying.relay().close();
        System.out.printf("  readBatch %3d: %,d events published in %.1f s = %,.0f events/s (%,d publish calls)%n",
            batch, total, seconds, total / seconds, calls.get());
      }
    }
  }
}
