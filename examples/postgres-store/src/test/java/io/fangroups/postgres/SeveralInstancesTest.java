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
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.spi.EventPublisher;
import io.fangroups.testkit.Concurrently;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 6, must-shows 1 and 3: four SDK instances, each with its own pool and store object, on one
 * PostgreSQL database, as four application servers would be.
 */
class SeveralInstancesTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
  private static final CommandContext OWNER = CommandContext.of("creator");
  private static final OutboxRelay.Options FAST_RELAY = new OutboxRelay.Options(2, Duration.ofMillis(500),
      Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMillis(20));

  private final List<FanGroups> instances = new ArrayList<>();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final IdempotentConsumer consumer = new IdempotentConsumer();

  @AfterEach
  void stopRelays() {
    instances.forEach(i -> i.relay().close());
  }

  /** Four instances on one fresh database; their relays publish to one idempotent consumer. */
  private void startInstances(boolean relays) {
    String database = postgres.createDatabase();
    for (int i = 0; i < 4; i++) {
      HikariDataSource pool = postgres.pool(database, 4);
      PostgresMigrations.migrate(pool); // every instance migrates at start-up; only the first applies anything
      pools.add(pool);
      instances.add(FanGroups.builder().store(new PostgresGroupStore(pool)).passcodeKeys(KEYS)
          .eventPublisher(consumer).relayOptions(FAST_RELAY).startRelay(relays).build());
    }
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

    assertThat(applied).containsEntry("JOINED", 499).containsEntry("GROUP_FULL", 1501).hasSize(2);
    assertThat(redeemed).containsEntry("JOINED", 50).containsEntry("PASSCODE_EXHAUSTED", 950).hasSize(2);
    for (FanGroups instance : instances) {
      assertThat(instance.members(open)).as("members seen by every instance").hasSize(500);
      assertThat(instance.members(coded)).hasSize(51);
      assertThat(instance.passcode(code.info().id()).uses()).isEqualTo(50);
    }
    assertGaplessAndPublishedOnceInOrder(List.of(open, coded));
  }

  @Test
  void anInstanceStoppedMidRun_othersKeepTheInvariantsAndDrainItsOutbox() throws Exception {
    startInstances(false);
    GroupId group = instances.get(0).createGroup(OWNER, GroupSettings.of("粉丝群", GroupSettings.CAP_500)).id();
    instances.get(3).relay().start(); // only the instance that will stop publishes at first
    AtomicInteger attempts = new AtomicInteger();
    AtomicInteger membersAtStop = new AtomicInteger(-1);
    Set<UserId> joined = ConcurrentHashMap.newKeySet();
    Set<UserId> unknownOutcome = ConcurrentHashMap.newKeySet();

    Map<String, Integer> outcomes = concurrently(2000, i -> {
      if (attempts.incrementAndGet() == 150) {
        pools.get(3).close(); // the instance dies mid-run: every store call it makes now fails
        membersAtStop.set(instances.get(0).members(group).size());
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

    assertThat(membersAtStop.get()).as("the group still had seats when the instance stopped").isBetween(1, 499);
    assertThat(outcomes.get("STORE_UNAVAILABLE")).as("the stopped instance's commands fail").isPositive();
    FanGroups survivor = instances.get(0);
    Set<UserId> members = survivor.members(group).stream().map(Member::user).collect(Collectors.toSet());
    assertThat(members).as("the other three fill the cap exactly").hasSize(500);
    assertThat(members).containsAll(joined);
    members.removeAll(joined);
    members.remove(UserId.of("creator"));
    assertThat(unknownOutcome).as("a member not told JOINED is one whose outcome was unknown").containsAll(members);

    instances.get(3).relay().close();
    int publishedByTheStopped = consumer.sequences(group).size();
    instances.subList(0, 3).forEach(i -> i.relay().start()); // they take over its groups (its leases lapse)
    assertGaplessAndPublishedOnceInOrder(List.of(group));
    assertThat(consumer.sequences(group).size()).as("events the other instances published after the stop")
        .isGreaterThan(publishedByTheStopped);
  }

  /** Events gapless per group, and (once the relays caught up) each published, in order, to the consumer. */
  private void assertGaplessAndPublishedOnceInOrder(List<GroupId> groups) throws InterruptedException {
    FanGroups reader = instances.get(0);
    for (GroupId group : groups) {
      List<GroupEvent> events = reader.events(group, 0, 10_000);
      for (int i = 0; i < events.size(); i++) {
        assertThat(events.get(i).sequence()).isEqualTo(i + 1);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (consumer.sequences(group).size() < events.size() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      List<Long> published = consumer.sequences(group);
      assertThat(published).as("events of %s published once each, in order", group)
          .isEqualTo(events.stream().map(GroupEvent::sequence).toList());
      assertThat(consumer.ids(group)).isEqualTo(events.stream().map(GroupEvent::eventId).toList());
    }
    assertThat(consumer.outOfOrder.get()).as("deliveries that skipped ahead of an unpublished event").isZero();
  }

  /** A consumer that keeps each event id once and notes any delivery ahead of its group's next sequence. */
  static final class IdempotentConsumer implements EventPublisher {
    private final Map<String, List<EventPublisher.PublishedEvent>> byGroup = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicInteger outOfOrder = new AtomicInteger();

    @Override
    public synchronized CompletionStage<Void> publish(PublishedEvent event) {
      List<PublishedEvent> log = byGroup.computeIfAbsent(event.groupId(), g -> new ArrayList<>());
      if (seen.add(event.eventId())) {
        if (event.sequence() != log.size() + 1) {
          outOfOrder.incrementAndGet();
        }
        log.add(event);
      }
      return CompletableFuture.completedFuture(null);
    }

    synchronized List<Long> sequences(GroupId group) {
      return byGroup.getOrDefault(group.value(), List.of()).stream().map(PublishedEvent::sequence).toList();
    }

    synchronized List<String> ids(GroupId group) {
      return byGroup.getOrDefault(group.value(), List.of()).stream().map(PublishedEvent::eventId).toList();
    }
  }

  private static Map<String, Integer> concurrently(int attempts, IntFunction<String> attempt) throws Exception {
    return Concurrently.outcomes(attempts, 16, attempt, FanGroupsException.class, e -> e.code().name());
  }
}
