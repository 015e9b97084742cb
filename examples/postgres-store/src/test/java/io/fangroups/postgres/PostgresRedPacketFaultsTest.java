package io.fangroups.postgres;

import static io.fangroups.postgres.RedPacketServers.CNY;
import static io.fangroups.postgres.RedPacketServers.holdOf;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.summingLong;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.event.ParkedDelivery;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.core.redpacket.RedPacketState;
import io.fangroups.testkit.Concurrently;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 on PostgreSQL, money under faults: four SDK instances, each with its own pool, store and
 * {@link PostgresWallet}, where 30% of wallet calls fail ({@link FlakyWallet}); one instance dies
 * mid-run, in the middle of a send, and another's relay is closed while it pays claims. Once the
 * wallet is healthy and the relays caught up, the ledger must show every hold paid and released to
 * the fen, every claim paid once, and no money made or lost.
 */
class PostgresRedPacketFaultsTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private static final Instant NEW_YEARS_EVE = Instant.parse("2026-02-16T14:00:00Z");
  /** A one-second delivery timeout (also the wait for a hold), fast retries, parked after 3 failed attempts. */
  private static final OutboxRelay.Options FAST_RELAY = new OutboxRelay.Options(2, Duration.ofSeconds(1),
      Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(20)).withMaxAttempts(3);
  /** How long a dead relay's lease on a group outlives it (twice the delivery timeout and a second). */
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final long DEPOSIT = 150_000;
  private static final long DYING_DEPOSIT = 10_000;
  private static final long DYING_AMOUNT = 5_000;

  private final List<FanGroups> servers = new ArrayList<>();
  private final List<FlakyWallet> wallets = new ArrayList<>();
  private final List<HikariDataSource> pools = new ArrayList<>();

  @AfterEach
  void stopRelays() {
    servers.forEach(s -> s.relay().close());
  }

  @Test
  void walletFailing30Percent_anInstanceDyingMidSend_aRelayClosed_everyHoldPaidOrReleasedToTheFen() {
    MutableClock clock = MutableClock.of(NEW_YEARS_EVE);
    String database = postgres.createDatabase();
    for (int i = 0; i < 4; i++) {
      HikariDataSource pool = postgres.pool(database, 6);
      FlakyWallet wallet = new FlakyWallet(new PostgresWallet(pool), new Random(1_000 + i), 0.3);
      pools.add(pool);
      wallets.add(wallet);
      servers.add(RedPacketServers.sdk(pool, wallet,
          b -> b.clock(clock).relayOptions(FAST_RELAY).startRedPacketSweep(false).startPruning(false)));
    }
    PostgresWallet bank = new PostgresWallet(pools.get(0));
    Ledger ledger = new Ledger(pools.get(0));
    List<UserId> senders = RedPacketServers.users("sender", 4);
    UserId dying = UserId.of("sender-on-the-dying-server");
    List<UserId> fans = RedPacketServers.users("fan", 195);
    GroupId group = RedPacketServers.filledGroup(servers, "creator",
        Stream.of(senders, List.of(dying), fans).flatMap(List::stream).toList());
    senders.forEach(s -> bank.deposit(s.value(), CNY, DEPOSIT));
    bank.deposit(dying.value(), CNY, DYING_DEPOSIT);

    List<RedPacketId> sent = new CopyOnWriteArrayList<>();
    IntFunction<String> send = n -> {
      RedPacketSpec spec = RedPacketSpec.lucky(1_000 + n * 997L % 19_000, CNY, 5 + n * 7 % 46)
          .withLifetime(Duration.ofMinutes(10));
      sent.add(servers.get(n % 4).sendRedPacket(CommandContext.of(senders.get(n % 4).value()), group, spec).id());
      return "SENT";
    };
    AtomicReference<ErrorCode> dyingSend = new AtomicReference<>();
    Map<String, Integer> firstSends = outcomes(8, 4, send);
    Map<String, Integer> outcomes = outcomes(3_000, 12, i -> {
      if (i == 1_000) {
        return dieMidSend(group, dying, dyingSend);
      }
      if (i == 2_000) {
        servers.get(1).relay().close(); // while the claims' payments are being delivered
        return "RELAY_CLOSED";
      }
      if (i % 40 == 0) {
        return send.apply(8 + i / 40);
      }
      UserId fan = fans.get(i * 13 % fans.size());
      servers.get(i % 4).claimRedPacket(CommandContext.of(fan.value()), sent.get(i * 31 % sent.size()));
      return "CLAIMED";
    });

    assertThat(firstSends.get("SENT")).as("first sends recorded despite the failing wallet").isPositive();
    assertThat(outcomes).containsKeys("CLAIMED", "SENT", "STORE_UNAVAILABLE");
    assertThat(wallets.stream().mapToInt(FlakyWallet::failed).sum()).as("wallet calls failed").isPositive();
    assertThat(dyingSend).as("the send its server died in").hasValue(ErrorCode.STORE_UNAVAILABLE);
    assertThat(bank.balance(dying.value(), CNY)).as("held for the send that died")
        .isEqualTo(DYING_DEPOSIT - DYING_AMOUNT);

    clock.advance(Duration.ofMinutes(1));
    assertThat(servers.get(0).expireRedPacketsOnce()).as("refunds before any packet expired").isZero();
    assertThat(bank.balance(dying.value(), CNY)).as("still held: the sweep waits out the dead send's grace")
        .isEqualTo(DYING_DEPOSIT - DYING_AMOUNT);
    clock.advance(Duration.ofHours(1));
    int refunds = servers.get(0).expireRedPacketsOnce(); // the wallet still fails: some releases of dead sends fail
    wallets.forEach(FlakyWallet::heal);
    refunds += servers.get(2).expireRedPacketsOnce(); // releases what the first sweep could not
    List<FanGroups> survivors = List.of(servers.get(0), servers.get(1), servers.get(2));
    survivors.forEach(s -> s.relay().close()); // from here on the relays run on this thread only
    int retried = quiesce(survivors);

    List<RedPacketInfo> recorded = recordedPackets(servers.get(0), group);
    assertThat(recorded).extracting(RedPacketInfo::id).containsAll(sent);
    assertThat(recorded).extracting(RedPacketInfo::state).containsOnly(RedPacketState.EMPTIED, RedPacketState.REFUNDED);
    assertThat(refunds).as("packets refunded at expiry").isPositive();
    assertThat(recorded).filteredOn(p -> p.state() == RedPacketState.REFUNDED).hasSize(refunds);

    assertThat(ledger.transfers("PAY")).as("each claim paid once, to its claimer, from its packet's hold")
        .containsExactlyInAnyOrderElementsOf(recorded.stream().flatMap(p -> p.claims().stream()
            .map(c -> new Ledger.Transfer("rp/" + p.id().value() + "/claim/" + c.number(), "PAY", holdOf(p.id()),
                c.user().value(), c.amount(), CNY))).toList());
    Map<String, Long> paid = sumByHold(ledger.transfers("PAY"));
    Map<String, Long> released = sumByHold(ledger.transfers("RELEASE"));
    List<Ledger.Transfer> holds = ledger.transfers("HOLD");
    assertThat(holds).as("every hold paid and released to the fen").allSatisfy(h -> assertThat(
        paid.getOrDefault(h.id(), 0L) + released.getOrDefault(h.id(), 0L)).as(h.id()).isEqualTo(h.amount()));
    for (RedPacketInfo p : recorded) {
      assertThat(holds).as("the hold of recorded packet %s", p.id())
          .contains(new Ledger.Transfer(holdOf(p.id()), "HOLD", null, p.sender().value(), p.amount(), CNY));
      assertThat(released.getOrDefault(holdOf(p.id()), 0L)).as("released from %s", p.id()).isEqualTo(p.refunded());
    }
    Set<String> holdIds = holds.stream().map(Ledger.Transfer::id).collect(Collectors.toSet());
    assertThat(ledger.holds()).as("holds with something left, or released before they arrived but held after")
        .allMatch(h -> h.remaining() == 0 && (h.account() != null) == holdIds.contains(h.id()));
    assertThat(ledger.total(CNY)).as("all the money: the deposits").isEqualTo(senders.size() * DEPOSIT + DYING_DEPOSIT);
    assertThat(servers.get(0).relay().parked(1)).as("still parked after %d retries", retried).isEmpty();

    for (UserId sender : senders) {
      long claimedFromThem = recorded.stream().filter(p -> p.sender().equals(sender))
          .flatMap(p -> p.claims().stream()).mapToLong(RedPacketClaim::amount).sum();
      assertThat(bank.balance(sender.value(), CNY)).as("balance of %s", sender).isEqualTo(DEPOSIT - claimedFromThem);
    }
    assertThat(bank.balance(dying.value(), CNY)).as("the sender whose send died, whole again").isEqualTo(DYING_DEPOSIT);
    Map<String, Long> claimedBy = recorded.stream().flatMap(p -> p.claims().stream())
        .collect(groupingBy(c -> c.user().value(), summingLong(RedPacketClaim::amount)));
    assertThat(fans).allSatisfy(f -> assertThat(bank.balance(f.value(), CNY)).as("balance of %s", f)
        .isEqualTo(claimedBy.getOrDefault(f.value(), 0L)));
  }

  /**
   * The last server dies in the middle of a send: the wallet holds the money, then the server's pool
   * closes before the packet is recorded (and its relay stops, as its threads would).
   */
  private String dieMidSend(GroupId group, UserId sender, AtomicReference<ErrorCode> outcome) {
    wallets.get(3).afterNextHold(pools.get(3)::close);
    try {
      servers.get(3).sendRedPacket(CommandContext.of(sender.value()), group, RedPacketSpec.lucky(DYING_AMOUNT, CNY, 10));
      return "SENT";
    } catch (FanGroupsException e) {
      outcome.set(e.code());
      throw e;
    } finally {
      servers.get(3).relay().close();
    }
  }

  /**
   * Drains the relays and retries parked deliveries, on this thread, until a round delivers nothing
   * once the dead server's leases lapsed (at most 30 s); returns the parked deliveries retried.
   */
  private static int quiesce(List<FanGroups> relays) {
    long leasesLapsed = System.nanoTime() + LEASE.toNanos();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int retried = 0;
    while (System.nanoTime() < deadline) {
      int progress = 0;
      for (FanGroups server : relays) {
        progress += server.relay().drainOnce();
        for (ParkedDelivery parked : server.relay().parked(1_000)) {
          if (server.relay().retry(parked)) {
            progress++;
            retried++;
          }
        }
      }
      if (progress == 0 && System.nanoTime() > leasesLapsed) {
        break;
      }
      sleep(50);
    }
    return retried;
  }

  private static List<RedPacketInfo> recordedPackets(FanGroups server, GroupId group) {
    List<GroupEvent> events = server.events(group, 0, 10_000);
    assertThat(events).as("the group's whole log in one page").hasSizeLessThan(10_000);
    return events.stream().map(GroupEvent::change).filter(GroupChange.RedPacketSent.class::isInstance)
        .map(c -> server.redPacket(UserId.of("creator"), ((GroupChange.RedPacketSent) c).packet())).toList();
  }

  private static Map<String, Long> sumByHold(List<Ledger.Transfer> transfers) {
    return transfers.stream().collect(groupingBy(Ledger.Transfer::holdId, summingLong(Ledger.Transfer::amount)));
  }

  private static Map<String, Integer> outcomes(int attempts, int threads, IntFunction<String> attempt) {
    return Concurrently.outcomes(attempts, threads, attempt, FanGroupsException.class, e -> e.code().name());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
