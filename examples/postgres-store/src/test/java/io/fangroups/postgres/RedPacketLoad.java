package io.fangroups.postgres;

import static io.fangroups.postgres.RedPacketServers.CNY;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The documented load command for issue 12's "claims per second on PostgreSQL": lucky packets of
 * 20,000 fen in 100 shares sent into hot groups of 500 members, claimed by distinct members until
 * each is empty (then its sender sends the next), through 1 or 4 SDK instances, each with its own
 * pool, {@link PostgresGroupStore} and {@link PostgresWallet} on one embedded PostgreSQL; the relays
 * pay the claims in the background meanwhile. Prints a Markdown table.
 *
 * <pre>mvn -B -q -pl examples/postgres-store -am -DskipTests package exec:java@load -Dload.main=io.fangroups.postgres.RedPacketLoad [-Dload.seconds=20 -Dload.threads=8 -Dload.groups=2]</pre>
 */
public final class RedPacketLoad {
  private static final int SHARES = 100;
  private static final long AMOUNT = 20_000;

  private RedPacketLoad() {}

  /** One configuration's figures over the measured interval. */
  private record Result(int instances, double claimsPerSecond, double paymentsPerSecond, long packets, long refused,
      long unpaidAtEnd) {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("load.seconds", 20);
    int threads = Integer.getInteger("load.threads", 8);
    int groups = Integer.getInteger("load.groups", 2);
    List<Result> results = new ArrayList<>();
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      for (int instances : new int[] {1, 4}) {
        results.add(run(server, instances, threads, groups, seconds));
      }
    }
    System.out.printf("%nLucky packets of %,d fen in %d shares, %d client threads over %d hot groups of 500 members"
        + " (each claimed through every instance), %d s measured after %d s warm-up%n%n", AMOUNT, SHARES, threads, groups,
        seconds, warmUp(seconds));
    System.out.println("| SDK instances | claims/s | payments/s (relays) | packets sent | refused attempts | claims unpaid at the end |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      System.out.printf("| %d | %,.0f | %,.0f | %,d | %,d | %,d |%n", r.instances(), r.claimsPerSecond(),
          r.paymentsPerSecond(), r.packets(), r.refused(), r.unpaidAtEnd());
    }
  }

  private static int warmUp(int seconds) {
    return Math.max(1, seconds / 4);
  }

  private static Result run(EmbeddedPostgres server, int instances, int threads, int groupCount, int seconds)
      throws Exception {
    String database = "rp_load_" + instances;
    try (var c = server.getPostgresDatabase().getConnection(); var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + database);
    }
    List<HikariDataSource> pools = new ArrayList<>();
    List<FanGroups> sdks = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.getJdbcUrl("postgres", database));
        config.setUsername("postgres");
        config.setMaximumPoolSize(threads / instances + 3); // the client threads, the relay's and the payments
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        sdks.add(RedPacketServers.sdk(pool, new PostgresWallet(pool), b -> b.startRedPacketSweep(false)));
      }
      PostgresWallet bank = new PostgresWallet(pools.get(0));
      Ledger ledger = new Ledger(pools.get(0));
      List<UserId> fans = RedPacketServers.users("fan", 499);
      Hot[] hot = new Hot[groupCount];
      for (int g = 0; g < groupCount; g++) {
        String owner = "creator-" + g;
        bank.deposit(owner, CNY, 1_000_000_000_000L);
        hot[g] = new Hot(owner, RedPacketServers.filledGroup(sdks, owner, fans), fans);
        hot[g].next(sdks.get(0));
      }
      return measure(sdks, ledger, hot, threads, seconds);
    } finally {
      sdks.forEach(s -> s.relay().close());
      pools.forEach(HikariDataSource::close);
    }
  }

  /** A hot group and its current packet, replaced by the next once every share was taken. */
  private static final class Hot {
    final String owner;
    final GroupId group;
    final List<UserId> members;
    final AtomicReference<Packet> current = new AtomicReference<>();
    final AtomicLong packets = new AtomicLong();

    Hot(String owner, GroupId group, List<UserId> members) {
      this.owner = owner;
      this.group = group;
      this.members = members;
    }

    /** Sends the next packet unless another thread replaced {@code empty} already. */
    synchronized void replace(Packet empty, FanGroups sdk) {
      if (current.get() == empty) {
        next(sdk);
      }
    }

    void next(FanGroups sdk) {
      RedPacketId id = sdk.sendRedPacket(CommandContext.of(owner), group, RedPacketSpec.lucky(AMOUNT, CNY, SHARES)).id();
      current.set(new Packet(id, ThreadLocalRandom.current().nextInt(members.size())));
      packets.incrementAndGet();
    }
  }

  /** A packet being claimed: claimers are taken in turn from the members, from a random one on. */
  private record Packet(RedPacketId id, int firstClaimer, AtomicInteger claimers) {
    Packet(RedPacketId id, int firstClaimer) {
      this(id, firstClaimer, new AtomicInteger());
    }
  }

  private static Result measure(List<FanGroups> sdks, Ledger ledger, Hot[] hot, int threads, int seconds)
      throws Exception {
    AtomicLong claims = new AtomicLong();
    AtomicLong allClaims = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    long warmUpEnd = System.nanoTime() + Duration.ofSeconds(warmUp(seconds)).toNanos();
    long end = warmUpEnd + Duration.ofSeconds(seconds).toNanos();
    long[] paidAtStart = new long[1];
    long[] packetsAtStart = new long[1];
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    Future<?> marker = pool.submit(() -> {
      Thread.sleep(Math.max(0, (warmUpEnd - System.nanoTime()) / 1_000_000));
      paidAtStart[0] = ledger.count("PAY");
      packetsAtStart[0] = packets(hot);
      return null;
    });
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        // Thread t on instance t mod n and group (t / n) mod groups: with 4 instances, each group
        // is claimed through every instance, so the instances race for its stream.
        FanGroups sdk = sdks.get(thread % sdks.size());
        Hot group = hot[thread / sdks.size() % hot.length];
        long now;
        while ((now = System.nanoTime()) < end) {
          Packet packet = group.current.get();
          int n = packet.claimers().getAndIncrement();
          if (n >= SHARES) {
            group.replace(packet, sdk);
            continue;
          }
          UserId claimer = group.members.get((packet.firstClaimer() + n) % group.members.size());
          try {
            sdk.claimRedPacket(CommandContext.of(claimer.value()), packet.id());
            allClaims.incrementAndGet();
            if (now > warmUpEnd) {
              claims.incrementAndGet();
            }
          } catch (FanGroupsException e) {
            if (e.code() != ErrorCode.RED_PACKET_EMPTY && e.code() != ErrorCode.STORE_UNAVAILABLE) {
              throw e;
            }
            refused.incrementAndGet();
          }
        }
        return null;
      }));
    }
    marker.get();
    for (Future<?> f : futures) {
      f.get();
    }
    long paidAtEnd = ledger.count("PAY");
    pool.shutdown();
    long paid = paidAtEnd - paidAtStart[0];
    long unpaid = allClaims.get() - paidAtEnd;
    return new Result(sdks.size(), claims.get() / (double) seconds, paid / (double) seconds,
        packets(hot) - packetsAtStart[0], refused.get(), unpaid);
  }

  private static long packets(Hot[] hot) {
    long sum = 0;
    for (Hot h : hot) {
      sum += h.packets.get();
    }
    return sum;
  }
}
