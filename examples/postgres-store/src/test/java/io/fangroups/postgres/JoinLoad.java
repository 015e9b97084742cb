package io.fangroups.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.InMemoryGroupStore;
import io.fangroups.core.JoinSource;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.spi.GroupStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The documented load command for issue 6's "joins per second on the PostgreSQL store": open joins
 * by distinct fans, spread over a few hot groups of 2,000 seats, each written through every instance (a full group is replaced by a new one),
 * through 1 or 4 SDK instances with a pool each on one embedded PostgreSQL, and the same on the
 * in-memory store for comparison. Prints one line per configuration.
 *
 * <pre>mvn -B -q -pl examples/postgres-store -am -DskipTests package exec:java@load [-Dload.seconds=20 -Dload.threads=8 -Dload.groups=2 -Dload.spread=false]</pre>
 */
public final class JoinLoad {
  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");

  private static final boolean SPREAD = Boolean.getBoolean("load.spread");

  private JoinLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("load.seconds", 20);
    int threads = Integer.getInteger("load.threads", 8);
    int groups = Integer.getInteger("load.groups", 2);
    System.out.printf("open joins, %d threads over %d hot groups of 2,000 seats (%s), %d s measured after %d s warm-up%n",
        threads, groups, SPREAD ? "spread: no group shared by threads" : "contended: each written through every instance",
        seconds, Math.max(1, seconds / 4));
    InMemoryGroupStore memory = InMemoryGroupStore.create();
    report("in-memory store, 1 instance", run(List.of(FanGroups.builder().store(memory).build()), threads, groups, seconds));
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      for (int instances : new int[] {1, 4}) {
        List<HikariDataSource> pools = new ArrayList<>();
        List<FanGroups> sdks = new ArrayList<>();
        String database = "load_" + instances;
        try (var c = server.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
          s.execute("CREATE DATABASE " + database);
        }
        for (int i = 0; i < instances; i++) {
          HikariConfig config = new HikariConfig();
          config.setJdbcUrl(server.getJdbcUrl("postgres", database));
          config.setUsername("postgres");
          config.setMaximumPoolSize(Math.max(2, threads / instances + 1));
          HikariDataSource pool = new HikariDataSource(config);
          PostgresMigrations.migrate(pool);
          pools.add(pool);
          GroupStore store = new PostgresGroupStore(pool);
          sdks.add(FanGroups.builder().store(store).passcodeKeys(KEYS).attemptLimiter(new PostgresAttemptLimiter(pool)).build());
        }
        try {
          report("PostgreSQL store, " + instances + " instance" + (instances > 1 ? "s" : ""),
              run(sdks, threads, groups, seconds));
        } finally {
          pools.forEach(HikariDataSource::close);
        }
      }
    }
  }

  /** Prints one configuration's line of the table. */
  public static void report(String what, double joinsPerSecond) {
    System.out.printf("%-32s %,10.0f joins/s%n", what, joinsPerSecond);
  }

  /**
   * Joins per second over the measured interval, every thread joining distinct fans; the loop
   * mysql-store's MySqlJoinLoad runs too.
   */
  public static double run(List<FanGroups> sdks, int threads, int groups, int seconds) throws Exception {
    AtomicLong joins = new AtomicLong();
    AtomicLong fans = new AtomicLong();
    GroupId[] hot = new GroupId[groups];
    Object creating = new Object();
    FanGroups creator = sdks.get(0);
    for (int g = 0; g < groups; g++) {
      hot[g] = newGroup(creator);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long warmUpEnd = System.nanoTime() + Duration.ofSeconds(Math.max(1, seconds / 4)).toNanos();
    long end = warmUpEnd + Duration.ofSeconds(seconds).toNanos();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        // Contended (default): each group is written by threads on every instance, so instances race
        // for its stream. Spread: thread t on instance t % n and group t % groups, no group shared.
        int slot = SPREAD ? thread % groups : thread / sdks.size() % groups;
        FanGroups sdk = sdks.get(thread % sdks.size());
        long now;
        while ((now = System.nanoTime()) < end) {
          GroupId group = hot[slot];
          try {
            sdk.apply(CommandContext.of("fan-" + fans.incrementAndGet()), group, JoinSource.BUTTON);
            if (now > warmUpEnd) {
              joins.incrementAndGet();
            }
          } catch (FanGroupsException e) {
            if (e.code() != ErrorCode.GROUP_FULL) {
              throw e;
            }
            synchronized (creating) {
              if (hot[slot].equals(group)) {
                hot[slot] = newGroup(creator);
              }
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return joins.get() / (double) seconds;
  }

  private static final AtomicLong CREATORS = new AtomicLong();

  /** A new group of 2,000 seats, each under a new creator so no quota is reached. */
  private static GroupId newGroup(FanGroups sdk) {
    long n = CREATORS.incrementAndGet();
    return sdk.createGroup(CommandContext.of("creator-" + n), GroupSettings.of("load " + n, GroupSettings.MAX_CAP)).id();
  }
}
