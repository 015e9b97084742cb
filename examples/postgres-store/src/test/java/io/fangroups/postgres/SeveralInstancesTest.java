package io.fangroups.postgres;

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
import io.fangroups.spi.EventPublisher;
import io.fangroups.testkit.Concurrently;
import io.fangroups.testkit.DeduplicatingConsumer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, must-shows 1 and 3: four SDK instances, each with its own pool and store object, on one
 * PostgreSQL database, as four application servers would be. Every instance snapshots its groups
 * every 10 events and prunes every second, deleting history a snapshot covers once it was
 * published, while the commands and deliveries run: the consumer's deduplicated copy is the archive.
 */
class SeveralInstancesTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
  private static final CommandContext OWNER = CommandContext.of("creator");
  private static final OutboxRelay.Options FAST_RELAY = new OutboxRelay.Options(2, Duration.ofMillis(500),
      Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(20));
  /** Keeps little, pruned every second: messages an hour, other events until a snapshot covers them. */
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

  /** Four instances on one fresh database, pruning it; their relays publish to one idempotent consumer. */
  private void startInstances(boolean relays) {
    database = postgres.createDatabase();
    for (int i = 0; i < 4; i++) {
      instances.add(newInstance(relays));
    }
  }

  /** One more instance on the database, with a pool of its own (kept in {@link #pools}, in start order). */
  private FanGroups newInstance(boolean relay) {
    HikariDataSource pool = postgres.pool(database, 4);
    PostgresMigrations.migrate(pool); // every instance migrates at start-up; only the first applies anything
    pools.add(pool);
    return FanGroups.builder().store(new PostgresGroupStore(pool)).passcodeKeys(KEYS)
        .attemptLimiter(new PostgresAttemptLimiter(pool))
        .eventPublisher(consumer).relayOptions(FAST_RELAY).startRelay(relay)
        .retention(KEEP_LITTLE).startPruning(true).build();
  }

  /** What the pruning of the given instances deleted so far. */
  private static long historyDeleted(List<FanGroups> pruning) {
    return pruning.stream().mapToLong(i -> i.retention().status().total().historyEventsDeleted()).sum();
  }

  @Test
  void fourInstances_2000Applicants_1000Redemptions_holdCapAndUsesExactly() throws Exception {
    startInstances(true);
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

    long deletedWhileRunning = historyDeleted(instances);

    assertThat(applied).containsEntry("JOINED", 499).containsEntry("GROUP_FULL", 1501).hasSize(2);
    assertThat(redeemed).containsEntry("JOINED", 50).containsEntry("PASSCODE_EXHAUSTED", 950).hasSize(2);
    for (FanGroups instance : instances) {
      assertThat(instance.members(open)).as("members seen by every instance").hasSize(500);
      assertThat(instance.members(coded)).hasSize(51);
      assertThat(instance.passcode(code.info().id()).uses()).isEqualTo(50);
    }
    assertPublishedOnceInOrder(List.of(open, coded));
    assertThat(deletedWhileRunning).as("history the instances' pruning deleted while the commands ran")
        .isPositive();
  }

  /**
   * The fourth instance stops after 150 attempts; from attempt 300 a replacement takes its share of
   * the commands, loading the group from its snapshot and the events after it in the middle of the run.
   */
  @Test
  void anInstanceStoppedMidRun_othersKeepTheInvariantsAndDrainItsOutbox() throws Exception {
    startInstances(false);
    GroupId group = instances.get(0).createGroup(OWNER, GroupSettings.of("粉丝群", GroupSettings.CAP_500)).id();
    FanGroups replacement = newInstance(false); // has not read the group yet
    instances.get(3).relay().start(); // only the instance that will stop publishes at first
    awaitPublished(group, 1); // so that pruning has something published it may delete
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger membersAtStop = new AtomicInteger(-1);
    AtomicBoolean replaced = new AtomicBoolean();
    AtomicInteger joinedThroughTheReplacement = new AtomicInteger();
    Set<UserId> joined = ConcurrentHashMap.newKeySet();
    Set<UserId> unknownOutcome = ConcurrentHashMap.newKeySet();

    Map<String, Integer> outcomes = concurrently(2000, i -> {
      int attempt = attempts.incrementAndGet();
      if (attempt == 150) {
        pools.get(3).close(); // the instance dies mid-run: every store call it makes now fails
        membersAtStop.set(instances.get(0).members(group).size());
      } else if (attempt == 300) {
        replaced.set(true);
      }
      UserId fan = UserId.of("fan-" + i);
      FanGroups instance = i % 4 == 3 && replaced.get() ? replacement : instances.get(i % 4);
      try {
        instance.apply(CommandContext.of(fan.value()), group, JoinSource.BUTTON);
        joined.add(fan);
        if (instance == replacement) {
          joinedThroughTheReplacement.incrementAndGet();
        }
        return "JOINED";
      } catch (FanGroupsException e) {
        if (e.code() == ErrorCode.STORE_UNAVAILABLE) {
          unknownOutcome.add(fan);
        }
        throw e;
      }
    });

    assertThat(membersAtStop.get()).as("the group still had seats when the instance stopped").isBetween(1, 499);
    assertThat(outcomes.get("STORE_UNAVAILABLE")).as("the stopped instance's commands fail").isPositive();
    FanGroups survivor = instances.get(0);
    Set<UserId> members = survivor.members(group).stream().map(Member::user).collect(Collectors.toSet());
    assertThat(members).as("the other three and the replacement fill the cap exactly").hasSize(500);
    assertThat(members).containsAll(joined);
    members.removeAll(joined);
    members.remove(UserId.of("creator"));
    assertThat(unknownOutcome).as("a member not told JOINED is one whose outcome was unknown").containsAll(members);

    assertThat(joinedThroughTheReplacement.get()).as("fans the replacement admitted").isPositive();
    instances.get(3).relay().close();
    instances.add(replacement);
    int publishedByTheStopped = consumer.sequences(group.value()).size();
    List<FanGroups> running = List.of(instances.get(0), instances.get(1), instances.get(2), replacement);
    running.get(1).retention().pruneOnce(); // with no relay running: what is unpublished must stay
    long deletedWhilePending = historyDeleted(running);
    running.forEach(i -> i.relay().start()); // they take over its groups (its leases lapse)
    assertPublishedOnceInOrder(List.of(group));
    assertThat(consumer.sequences(group.value()).size()).as("events the other instances published after the stop")
        .isGreaterThan(publishedByTheStopped);
    assertThat(deletedWhilePending).as("history deleted before the others took the deliveries over")
        .isPositive();
  }

  /**
   * Once the relays caught up: every event of each group (1 to its last sequence) published once, in
   * order, to the consumer; the events pruning left in the store are the ones published; and a new
   * instance loads each group, from its snapshot and the events after it, with the same members.
   */
  private void assertPublishedOnceInOrder(List<GroupId> groups) throws InterruptedException {
    FanGroups reader = instances.get(0);
    FanGroups restarted = FanGroups.builder().store(new PostgresGroupStore(pools.get(0))).passcodeKeys(KEYS)
        .attemptLimiter(new PostgresAttemptLimiter(pools.get(0)))
        .startPruning(false).build();
    for (GroupId group : groups) {
      long last = reader.group(group).lastSequence();
      awaitPublished(group, last);
      assertThat(consumer.sequences(group.value())).as("events of %s published once each, in order", group)
          .isEqualTo(LongStream.rangeClosed(1, last).boxed().toList());
      assertThat(consumer.ids(group.value()))
          .isEqualTo(LongStream.rangeClosed(1, last).mapToObj(s -> group.value() + "/" + s).toList());
      List<EventPublisher.PublishedEvent> stored = reader.publishedEvents(group, 0, 10_000);
      assertThat(stored).as("the events still stored: the last ones published, as published")
          .isEqualTo(consumer.events(group.value()).subList((int) last - stored.size(), (int) last));
      assertThat(restarted.members(group)).containsExactlyInAnyOrderElementsOf(reader.members(group));
    }
    assertThat(consumer.outOfOrder()).as("deliveries that skipped ahead of an unpublished event").isZero();
  }

  /** Waits (at most 60 s) until the consumer has the group's first {@code events} events. */
  private void awaitPublished(GroupId group, long events) throws InterruptedException {
    consumer.await(group.value(), events, 60);
  }

  private static Map<String, Integer> concurrently(int attempts, IntFunction<String> attempt) throws Exception {
    return Concurrently.outcomes(attempts, 16, attempt, FanGroupsException.class, e -> e.code().name());
  }
}
