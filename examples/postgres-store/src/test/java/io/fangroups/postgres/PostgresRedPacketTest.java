package io.fangroups.postgres;

import static io.fangroups.postgres.RedPacketServers.CNY;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.core.redpacket.RedPacketState;
import io.fangroups.testkit.Concurrently;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 on PostgreSQL: a lucky packet claimed through four SDK instances, each with its own pool,
 * store and {@link PostgresWallet} on one database, as four application servers would be.
 */
class PostgresRedPacketTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private final List<FanGroups> servers = new ArrayList<>();

  @AfterEach
  void stopRelays() {
    servers.forEach(s -> s.relay().close());
  }

  /**
   * 10,000 attempts: each of the 499 members about 19 times, and 500 by strangers. The claims are
   * decided under the group's lock across the instances; the payments go through the relays after.
   */
  @Test
  void luckyPacketOf100_10000ClaimsOverFourInstances_exactly100PaidOnceSummingToTheAmount() {
    String database = postgres.createDatabase();
    List<HikariDataSource> pools = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      HikariDataSource pool = postgres.pool(database, 6);
      pools.add(pool);
      servers.add(RedPacketServers.sdk(pool, new PostgresWallet(pool),
          b -> b.startRelay(false).startRedPacketSweep(false).startPruning(false)));
    }
    PostgresWallet wallet = new PostgresWallet(pools.get(0));
    Ledger ledger = new Ledger(pools.get(0));
    List<UserId> fans = RedPacketServers.users("fan", 499);
    GroupId group = RedPacketServers.filledGroup(servers, "creator", fans);
    wallet.deposit("creator", CNY, 20_000);

    RedPacketInfo packet = servers.get(1).sendRedPacket(CommandContext.of("creator"), group,
        RedPacketSpec.lucky(20_000, CNY, 100));
    assertThat(wallet.balance("creator", CNY)).isZero();
    assertThat(wallet.held(RedPacketServers.holdOf(packet.id()))).isEqualTo(20_000);

    Queue<RedPacketClaim> claims = new ConcurrentLinkedQueue<>();
    Map<String, Integer> outcomes = Concurrently.outcomes(10_000, 16, i -> {
      String claimer = i % 20 == 19 ? "stranger-" + i : fans.get(i * 7 % fans.size()).value();
      claims.add(servers.get(i % 4).claimRedPacket(CommandContext.of(claimer), packet.id()));
      return "CLAIMED";
    }, FanGroupsException.class, e -> e.code().name());

    assertThat(outcomes).containsEntry("CLAIMED", 100).containsEntry("NOT_A_MEMBER", 500)
        .containsOnlyKeys("CLAIMED", "NOT_A_MEMBER", "ALREADY_CLAIMED", "RED_PACKET_EMPTY");
    assertThat(claims).extracting(RedPacketClaim::user).doesNotHaveDuplicates();
    assertThat(claims).extracting(RedPacketClaim::number).containsExactlyInAnyOrderElementsOf(
        IntStream.rangeClosed(1, 100).boxed().toList());
    assertThat(claims.stream().mapToLong(RedPacketClaim::amount).sum()).isEqualTo(20_000);
    for (FanGroups server : servers) {
      RedPacketInfo seen = server.redPacket(UserId.of("creator"), packet.id());
      assertThat(seen.state()).isEqualTo(RedPacketState.EMPTIED);
      assertThat(seen.claims()).as("the claims every instance reads back, in order")
          .isEqualTo(claims.stream().sorted(Comparator.comparingInt(RedPacketClaim::number)).toList());
    }

    drain(servers);

    Map<UserId, Long> paid = claims.stream().collect(Collectors.toMap(RedPacketClaim::user, RedPacketClaim::amount));
    paid.forEach((user, amount) -> assertThat(wallet.balance(user.value(), CNY)).as("balance of %s", user)
        .isEqualTo(amount));
    assertThat(fans.stream().mapToLong(f -> wallet.balance(f.value(), CNY)).sum()).isEqualTo(20_000);
    assertThat(wallet.held(RedPacketServers.holdOf(packet.id()))).isZero();
    assertThat(ledger.transfers("PAY")).as("one payment per claim, named by its number")
        .extracting(Ledger.Transfer::id).containsExactlyInAnyOrderElementsOf(claims.stream()
            .map(c -> "rp/" + packet.id().value() + "/claim/" + c.number()).toList());
    assertThat(ledger.total(CNY)).isEqualTo(20_000);
  }

  /** Runs every instance's relay on this thread until a round over all of them delivers nothing. */
  static void drain(List<FanGroups> servers) {
    int delivered;
    do {
      delivered = servers.stream().mapToInt(s -> s.relay().drainOnce()).sum();
    } while (delivered > 0);
  }
}
