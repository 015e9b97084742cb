package io.fangroups.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.RetentionPolicy;
import io.fangroups.core.UserId;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.core.redpacket.RedPacketState;
import io.fangroups.spi.EventPublisher;
import io.fangroups.testkit.Concurrently;
import io.fangroups.testkit.DeduplicatingConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, must-show 2: four SDK instances, each with its own pool, {@link MySqlGroupStore},
 * {@link MySqlAttemptLimiter} and {@link MySqlWallet}, on one MariaDB database, as four application
 * servers would be. Every instance snapshots its groups every 10 events and prunes every second while
 * the commands run; their relays publish to one consumer that deduplicates on event ids.
 */
class MySqlSeveralInstancesTest {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
  private static final CommandContext OWNER = CommandContext.of("creator");
  private static final String CNY = "CNY";
  private static final OutboxRelay.Options FAST_RELAY = new OutboxRelay.Options(2, Duration.ofMillis(500),
      Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(20));
  private static final RetentionPolicy KEEP_LITTLE = RetentionPolicy.DEFAULT.withMessages(Duration.ofHours(1))
      .withHistory(RetentionPolicy.History.DELETE_BEFORE_SNAPSHOT).withSnapshotEvery(10)
      .withPruneInterval(Duration.ofSeconds(1));

  private final List<FanGroups> instances = new ArrayList<>();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final DeduplicatingConsumer consumer = new DeduplicatingConsumer();
  private String database;

  @AfterEach
  void stopRelaysAndPruning() {
    instances.forEach(i -> i.relay().close());
    instances.forEach(i -> i.retention().close());
  }

  /** Four instances on one fresh database; each migrates at start-up, as a server does. */
  private void startInstances() {
    database = mysql.createDatabase();
    for (int i = 0; i < 4; i++) {
      HikariDataSource pool = mysql.poolOn(database, 6);
      MySqlMigrations.migrate(pool); // only the first applies anything
      pools.add(pool);
      instances.add(FanGroups.builder().store(new MySqlGroupStore(pool)).passcodeKeys(KEYS)
          .attemptLimiter(new MySqlAttemptLimiter(pool)).wallet(new MySqlWallet(pool))
          .eventPublisher(consumer).relayOptions(FAST_RELAY).retention(KEEP_LITTLE).startPruning(true)
          .build());
    }
  }

  @Test
  void fourInstances_2000Applicants_1000Redemptions_exactly500MembersAnd50Uses() throws Exception {
    startInstances();
    GroupId open = instances.get(0).createGroup(OWNER, GroupSettings.of("粉丝1群", GroupSettings.CAP_500)).id();
    GroupId coded = instances.get(1).createGroup(OWNER, GroupSettings.of("粉丝2群", GroupSettings.CAP_500)).id();
    IssuedPasscode code = instances.get(2).createPasscode(OWNER, PasscodeSpec.forGroup(coded).maxUses(50).build());

    Map<String, Integer> applied = concurrently(2000, i -> {
      instances.get(i % 4).apply(CommandContext.of("fan-" + i), open, JoinSource.BUTTON);
      return "JOINED";
    });
    Map<String, Integer> redeemed = concurrently(1000, i -> {
      instances.get(i % 4).redeemPasscode(CommandContext.of("coder-" + i), code.shareText(Locale.CHINA),
          ClientInfo.unknown());
      return "JOINED";
    });

    assertThat(applied).containsEntry("JOINED", 499).containsEntry("GROUP_FULL", 1501).hasSize(2);
    assertThat(redeemed).containsEntry("JOINED", 50).containsEntry("PASSCODE_EXHAUSTED", 950).hasSize(2);
    for (FanGroups instance : instances) {
      assertThat(instance.members(open)).as("members seen by every instance, the owner included").hasSize(500);
      assertThat(instance.members(coded)).hasSize(51);
      assertThat(instance.passcode(code.info().id()).uses()).isEqualTo(50);
    }
    assertPublishedOnceInOrder(List.of(open, coded));
  }

  /**
   * The fourth instance stops (its pool closes) after 150 attempts: its commands fail with
   * STORE_UNAVAILABLE, the other three fill the cap exactly, and take over its deliveries.
   */
  @Test
  void anInstanceStoppedMidRun_othersFillTheCapExactlyAndPublishEverythingOnce() throws Exception {
    startInstances();
    GroupId group = instances.get(0).createGroup(OWNER, GroupSettings.of("粉丝群", GroupSettings.CAP_500)).id();
    AtomicInteger attempts = new AtomicInteger();
    Set<UserId> joined = ConcurrentHashMap.newKeySet();
    Set<UserId> unknownOutcome = ConcurrentHashMap.newKeySet();

    Map<String, Integer> outcomes = concurrently(2000, i -> {
      if (attempts.incrementAndGet() == 150) {
        stop(3);
      }
      UserId fan = UserId.of("fan-" + i);
      try {
        instances.get(i % 4).apply(CommandContext.of(fan.value()), group, JoinSource.BUTTON);
        joined.add(fan);
        return "JOINED";
      } catch (FanGroupsException e) {
        if (e.code() == ErrorCode.STORE_UNAVAILABLE) {
          unknownOutcome.add(fan);
        }
        throw e;
      }
    });

    assertThat(outcomes.get("STORE_UNAVAILABLE")).as("the stopped instance's commands fail").isPositive();
    Set<UserId> members = instances.get(0).members(group).stream().map(Member::user).collect(Collectors.toSet());
    assertThat(members).as("the other three fill the cap exactly").hasSize(500).containsAll(joined);
    members.removeAll(joined);
    members.remove(UserId.of("creator"));
    assertThat(unknownOutcome).as("a member not told JOINED is one whose outcome was unknown").containsAll(members);
    assertPublishedOnceInOrder(List.of(group));
  }

  /**
   * A lucky packet of 100 shares, 2,000 claims through the four instances; the fourth stops after 600
   * of them. Exactly 100 claims, each paid once after the surviving relays drained, and the ledger
   * holds exactly the money deposited.
   */
  @Test
  void redPacketOf100_2000ClaimsOverFourInstancesOneStopped_exactly100PaidAndTheLedgerBalances() throws Exception {
    startInstances();
    MySqlWallet wallet = new MySqlWallet(pools.get(0));
    wallet.deposit("creator", CNY, 20_000);
    List<UserId> fans = IntStream.range(0, 499).mapToObj(i -> UserId.of("fan-" + i)).toList();
    GroupId group = instances.get(0).createGroup(OWNER, GroupSettings.of("红包群", GroupSettings.CAP_500)).id();
    Concurrently.run(8, thread -> {
      for (int m = thread; m < fans.size(); m += 8) {
        instances.get(m % 4).addMember(OWNER, group, fans.get(m));
      }
      return null;
    });
    RedPacketInfo packet = instances.get(1).sendRedPacket(OWNER, group, RedPacketSpec.lucky(20_000, CNY, 100));
    assertThat(wallet.balance("creator", CNY)).isZero();

    AtomicInteger attempts = new AtomicInteger();
    Queue<RedPacketClaim> claims = new ConcurrentLinkedQueue<>();
    Map<String, Integer> outcomes = concurrently(2000, i -> {
      if (attempts.incrementAndGet() == 600) {
        stop(3);
      }
      claims.add(instances.get(i % 4).claimRedPacket(CommandContext.of(fans.get(i * 7 % fans.size()).value()),
          packet.id()));
      return "CLAIMED";
    });

    // A claim through the stopping instance may be recorded and still fail to answer (its commit
    // reached the database as the pool closed), so the recorded claims are what must be exact.
    assertThat(outcomes.get("CLAIMED")).isBetween(90, 100);
    assertThat(outcomes).containsOnlyKeys("CLAIMED", "ALREADY_CLAIMED", "RED_PACKET_EMPTY", "STORE_UNAVAILABLE");
    RedPacketInfo seen = instances.get(0).redPacket(UserId.of("creator"), packet.id());
    List<RedPacketClaim> recorded = seen.claims();
    assertThat(seen.state()).isEqualTo(RedPacketState.EMPTIED);
    assertThat(recorded).as("exactly 100 claims, one per member").hasSize(100)
        .extracting(RedPacketClaim::user).doesNotHaveDuplicates();
    assertThat(recorded).extracting(RedPacketClaim::number)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
    assertThat(recorded.stream().mapToLong(RedPacketClaim::amount).sum()).isEqualTo(20_000);
    assertThat(recorded).as("every claim a caller was told of").containsAll(claims);

    assertPublishedOnceInOrder(List.of(group));
    awaitPaid(wallet, fans, 20_000);
    Map<UserId, Long> paid = recorded.stream().collect(Collectors.toMap(RedPacketClaim::user, RedPacketClaim::amount));
    for (UserId fan : fans) {
      assertThat(wallet.balance(fan.value(), CNY)).as("balance of %s", fan).isEqualTo(paid.getOrDefault(fan, 0L));
    }
    assertThat(wallet.held("rp/" + packet.id().value() + "/hold")).isZero();
    assertThat(Ledger.of(pools.get(0)).payments(packet.id().value())).as("one payment per claim, named by its number")
        .containsExactlyInAnyOrderElementsOf(recorded.stream()
            .map(c -> "rp/" + packet.id().value() + "/claim/" + c.number()).toList());
    assertThat(Ledger.of(pools.get(0)).total(CNY)).as("money in accounts and holds: what was deposited")
        .isEqualTo(20_000);
  }

  /** The instance dies: its relay and pruning stop, and its pool closes, so each store call it makes fails. */
  private void stop(int instance) {
    instances.get(instance).relay().close();
    instances.get(instance).retention().close();
    pools.get(instance).close();
  }

  /**
   * Once the running relays caught up: every event of each group (1 to its last sequence) published
   * once, in order; the events pruning left in the store are the last ones published; and a new
   * instance loads each group, from its snapshot and the events after it, with the same members.
   */
  private void assertPublishedOnceInOrder(List<GroupId> groups) throws InterruptedException {
    FanGroups reader = instances.get(0);
    FanGroups restarted = FanGroups.builder().store(new MySqlGroupStore(pools.get(0))).passcodeKeys(KEYS)
        .attemptLimiter(new MySqlAttemptLimiter(pools.get(0))).startPruning(false).startRelay(false).build();
    for (GroupId group : groups) {
      long last = reader.group(group).lastSequence();
      consumer.await(group.value(), last, 60);
      assertThat(consumer.sequences(group.value())).as("events of %s published once each, in order", group)
          .isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
      List<EventPublisher.PublishedEvent> stored = reader.publishedEvents(group, 0, 10_000);
      assertThat(stored).as("the events still stored: the last ones published, as published")
          .isEqualTo(consumer.events(group.value()).subList((int) last - stored.size(), (int) last));
      assertThat(restarted.members(group)).containsExactlyInAnyOrderElementsOf(reader.members(group));
    }
    assertThat(consumer.outOfOrder()).as("deliveries that skipped ahead of an unpublished event").isZero();
  }

  /** Waits (at most 60 s) until the fans' balances add up to {@code total}: the relays paid every claim. */
  private static void awaitPaid(MySqlWallet wallet, List<UserId> fans, long total) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (fans.stream().mapToLong(f -> wallet.balance(f.value(), CNY)).sum() < total
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static Map<String, Integer> concurrently(int attempts, IntFunction<String> attempt) throws Exception {
    return Concurrently.outcomes(attempts, 16, attempt, FanGroupsException.class, e -> e.code().name());
  }
}
