package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.content.MessageContent;
import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pruning job on a store shared across processes: keyed commands' records go after their
 * retention, messages after theirs, history before a snapshot when the policy says so, and overdue
 * requests are found through the due-request index rather than by loading every group.
 */
class RetentionTest {
  private static final UserId OWNER = UserId.of("owner");
  private static final CommandContext AS_OWNER = CommandContext.of(OWNER);
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  private final InMemoryGroupStore shared = InMemoryGroupStore.create();
  private final ProcessClient client = new ProcessClient(shared);

  private FanGroups process(GroupStore store, RetentionPolicy policy) {
    return FanGroups.builder().store(store).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).clock(clock).retention(policy)
        .startPruning(false).build();
  }

  private long messagesStored(GroupId group) {
    return shared.read("group/" + group.value(), 0, Integer.MAX_VALUE).stream()
        .filter(e -> e.type().equals("MessagePosted")).count();
  }

  @Test
  void keyedRecords_areDeletedOnceTheirRetentionPassed_andTheKeyThenRunsAnew() {
    FanGroups fanGroups = process(client, RetentionPolicy.DEFAULT.withKeyedResults(Duration.ofHours(2)));
    GroupId group = fanGroups.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    for (int i = 0; i < 300; i++) {
      fanGroups.post(AS_OWNER.withIdempotencyKey("post-" + i), group, new MessageContent.Text("m" + i));
    }
    assertThat(shared.streams("idem/", null, 1_000)).hasSize(300);

    clock.advance(Duration.ofMinutes(119));
    assertThat(fanGroups.retention().pruneOnce().keyedRecordsDeleted()).as("before the retention ran out").isZero();
    clock.advance(Duration.ofMinutes(1));
    Retention.PruneReport report = fanGroups.retention().pruneOnce();

    assertThat(report.keyedRecordsDeleted()).isEqualTo(300);
    assertThat(shared.streams("idem/", null, 1_000)).isEmpty();
    assertThat(fanGroups.retention().status().total().keyedRecordsDeleted()).isEqualTo(300);
    fanGroups.post(AS_OWNER.withIdempotencyKey("post-0"), group, new MessageContent.Text("m0"));
    assertThat(messagesStored(group)).as("the key ran as a new command").isEqualTo(301);
  }

  @Test
  void messagesOlderThanTheirRetention_areDeleted_membersStay() {
    FanGroups fanGroups = process(client, RetentionPolicy.DEFAULT.withMessages(Duration.ofDays(30)).withSnapshotEvery(50));
    GroupId group = fanGroups.createGroup(AS_OWNER, GroupSettings.of("chatty", 200)).id();
    for (int i = 0; i < 10; i++) {
      fanGroups.apply(CommandContext.of("fan-" + i), group, JoinSource.BUTTON);
    }
    for (int day = 0; day < 90; day++) {
      for (int i = 0; i < 20; i++) {
        fanGroups.post(CommandContext.of("fan-" + (i % 10)), group, new MessageContent.Text("day " + day + " #" + i));
        clock.advance(Duration.ofMinutes(1));
      }
      clock.advance(Duration.ofDays(1).minusMinutes(20));
      fanGroups.retention().pruneOnce();
    }

    // Messages of the last 30 days stay (the day a message turns 30 days old it goes at the next pass).
    assertThat(messagesStored(group)).isBetween(30L * 20, 31L * 20);
    assertThat(fanGroups.retention().status().total().messagesDeleted()).isEqualTo(90 * 20 - messagesStored(group));
    FanGroups fresh = process(new ProcessClient(shared), RetentionPolicy.DEFAULT);
    assertThat(fresh.members(group)).hasSize(11);
    assertThat(fresh.group(group).lastSequence()).isEqualTo(1 + 10 + 90 * 20);
  }

  @Test
  void historyBeforeASnapshot_isDeletedWhenThePolicySaysSo_andTheGroupStillLoads() {
    RetentionPolicy policy = RetentionPolicy.DEFAULT.withHistory(RetentionPolicy.History.DELETE_BEFORE_SNAPSHOT);
    FanGroups fanGroups = process(client, policy);
    GroupId group = fanGroups.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    for (int i = 0; i < 40; i++) {
      fanGroups.apply(CommandContext.of("fan-" + i), group, JoinSource.BUTTON);
    }
    List<Member> before = fanGroups.members(group);
    long covered = fanGroups.retention().snapshot(group);
    fanGroups.apply(CommandContext.of("after"), group, JoinSource.BUTTON);

    Retention.PruneReport report = fanGroups.retention().pruneOnce();

    assertThat(report.historyEventsDeleted()).isEqualTo(covered);
    assertThat(shared.read("group/" + group.value(), 0, 100)).extracting(GroupStore.StoredEvent::sequence)
        .containsExactly(covered + 1);
    FanGroups fresh = process(new ProcessClient(shared), policy);
    assertThat(fresh.members(group)).hasSize(42).containsAll(before);
  }

  /**
   * Another process deleted history this process has cached the group before: its next read finds
   * events it has not folded missing, moves to the snapshot that covers them and keeps the cap. The
   * group's last event is kept, so that read always has an event to find the gap by.
   */
  @Test
  void historyDeletedPastAProcessesCachedState_theProcessMovesToTheSnapshot_andKeepsTheCap() {
    RetentionPolicy policy = RetentionPolicy.DEFAULT.withHistory(RetentionPolicy.History.DELETE_BEFORE_SNAPSHOT)
        .withSnapshotEvery(10);
    FanGroups other = process(client, policy);
    FanGroups behind = process(new ProcessClient(shared), policy);
    GroupId group = other.createGroup(AS_OWNER, GroupSettings.of("g", 12)).id();
    assertThat(behind.members(group)).as("cached at the group's first event").hasSize(1);
    for (int i = 0; i < 11; i++) {
      other.apply(CommandContext.of("fan-" + i), group, JoinSource.BUTTON);
    }
    other.retention().snapshot(group);

    assertThat(other.retention().pruneOnce().historyEventsDeleted()).as("all but the last of 12").isEqualTo(11);
    assertThat(shared.read("group/" + group.value(), 0, 100)).extracting(GroupStore.StoredEvent::sequence)
        .containsExactly(12L);
    assertThat(behind.members(group)).containsExactlyInAnyOrderElementsOf(other.members(group)).hasSize(12);
    Fixture.assertCode(ErrorCode.GROUP_FULL, () -> behind.apply(CommandContext.of("late"), group, JoinSource.BUTTON));
  }

  @Test
  void expireOverdueRequests_readsTheDueIndex_notEveryGroup() {
    FanGroups fanGroups = process(client, RetentionPolicy.DEFAULT);
    for (int i = 0; i < 300; i++) {
      fanGroups.createGroup(CommandContext.of("creator-" + i), GroupSettings.of("quiet " + i, 200));
    }
    GroupId picky = fanGroups.createGroup(AS_OWNER, GroupSettings.builder().name("picky").cap(50)
        .joinMode(JoinMode.APPROVAL).build()).id();
    fanGroups.apply(CommandContext.of("fan-1"), picky, JoinSource.BUTTON);
    fanGroups.apply(CommandContext.of("fan-2"), picky, JoinSource.BUTTON);
    clock.advance(FanGroups.Builder.DEFAULT_REQUEST_TTL);

    ProcessClient counting = new ProcessClient(shared);
    int expired = process(counting, RetentionPolicy.DEFAULT).expireOverdueRequests();

    assertThat(expired).isEqualTo(2);
    assertThat(fanGroups.pendingRequests(picky)).isEmpty();
    long reads = counting.calls.getOrDefault("read", new java.util.concurrent.atomic.AtomicInteger()).get();
    assertThat(reads).as("reads for 301 groups, one with 2 overdue requests").isLessThanOrEqualTo(5);
    assertThat(shared.streams("due/", null, 10)).as("the swept index entries").isEmpty();
    assertThat(process(new ProcessClient(shared), RetentionPolicy.DEFAULT).expireOverdueRequests()).isZero();
  }

  @Test
  void aKeyedRetryAfterTheAttemptTimeout_runsTheCommandOnce() {
    ProcessClient dying = new ProcessClient(shared);
    FanGroups first = FanGroups.builder().store(dying).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).startPruning(false)
        .keyedAttemptTimeout(Duration.ofSeconds(1)).build();
    FanGroups second = FanGroups.builder().store(new ProcessClient(shared)).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS)
        .startPruning(false).keyedAttemptTimeout(Duration.ofSeconds(1)).build();
    CommandContext keyed = AS_OWNER.withIdempotencyKey("create-after-crash");

    // The first process writes its start record, then dies: nothing tells the others it ended.
    dying.landThenFailWhen.set(ProcessClient.touches("idem/"));
    Fixture.assertCode(ErrorCode.STORE_UNAVAILABLE, () -> first.createGroup(keyed, GroupSettings.of("g", 200)));
    dying.down.set(true);

    // Within the timeout the retry waits for the attempt; once it counts as abandoned, the retry runs it.
    GroupInfo created = second.createGroup(keyed, GroupSettings.of("g", 200));
    assertThat(second.groupsOf(OWNER)).containsExactly(created);
    assertThat(second.createGroup(keyed, GroupSettings.of("g", 200))).as("a further retry: the first result")
        .isEqualTo(created);
  }
}
