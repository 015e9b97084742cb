package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.core.content.MessageContent;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Loading a group reads its latest snapshot and the events after it, never its whole history; a
 * snapshot another version wrote is not trusted (the group is rebuilt from its events), and a
 * group whose history was deleted without a readable snapshot fails loudly instead of loading wrong.
 */
class SnapshotLoadTest {
  private static final UserId OWNER = UserId.of("owner");
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  private final InMemoryGroupStore shared = InMemoryGroupStore.create();
  private final RetentionPolicy everyHundred = RetentionPolicy.DEFAULT.withSnapshotEvery(100);

  private FanGroups process(ProcessClient client) {
    return FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).clock(clock).retention(everyHundred)
        .startPruning(false).build();
  }

  /** A group with 30 members and {@code messages} posts after them. */
  private GroupId busyGroup(FanGroups fanGroups, int messages) {
    GroupId group = fanGroups.createGroup(CommandContext.of(OWNER), GroupSettings.of("busy", 200)).id();
    for (int i = 0; i < 30; i++) {
      fanGroups.apply(CommandContext.of("fan-" + i), group, JoinSource.BUTTON);
    }
    for (int i = 0; i < messages; i++) {
      fanGroups.post(CommandContext.of("fan-" + (i % 30)), group, new MessageContent.Text("hello " + i));
      clock.advance(Duration.ofSeconds(1));
    }
    return group;
  }

  @Test
  void firstCommandInAFreshProcess_readsTheSnapshotAndAShortTail() {
    GroupId group = busyGroup(process(new ProcessClient(shared)), 2_000);
    EventCounting fresh = new EventCounting(shared);
    FanGroups later = process(fresh);

    later.apply(CommandContext.of("late-fan"), group, JoinSource.BUTTON);

    assertThat(fresh.snapshotReads.get()).as("snapshot reads").isEqualTo(1);
    assertThat(fresh.eventsRead.get()).as("events read to load a group of %s events", 2_032)
        .isLessThanOrEqualTo(100);
    assertThat(later.members(group)).hasSize(32);
  }

  @Test
  void snapshotAndTail_answerAsTheWholeHistoryDoes() {
    FanGroups writer = process(new ProcessClient(shared));
    GroupId group = busyGroup(writer, 250);
    writer.retention().snapshot(group);
    writer.post(CommandContext.of("fan-1"), group, new MessageContent.Text("after the snapshot"));

    GroupInfo fromSnapshot = process(new ProcessClient(shared)).group(group);
    // A store that never returns a snapshot: the group is folded from event 1.
    GroupInfo fromHistory = process(new NoSnapshots(shared)).group(group);
    assertThat(fromSnapshot).isEqualTo(fromHistory);
    assertThat(process(new ProcessClient(shared)).members(group))
        .isEqualTo(process(new NoSnapshots(shared)).members(group));
  }

  @Test
  void aSnapshotOfAnotherFormatVersion_isNotTrusted() {
    FanGroups writer = process(new ProcessClient(shared));
    GroupId group = busyGroup(writer, 50);
    long last = writer.group(group).lastSequence();
    // Claims to cover everything, but says nothing true: another version's layout.
    shared.saveSnapshot("group/" + group.value(), last, "{\"v\":1,\"layout\":7,\"members\":[]}");

    assertThat(process(new ProcessClient(shared)).members(group)).hasSize(31);
  }

  @Test
  void historyDeletedWithoutAReadableSnapshot_failsLoudly() {
    FanGroups writer = process(new ProcessClient(shared));
    GroupId group = busyGroup(writer, 20);
    shared.deleteEvents("group/" + group.value(), 5, Set.of());

    assertThatThrownBy(() -> process(new NoSnapshots(shared)).group(group))
        .hasMessageContaining("cannot be rebuilt");
  }

  /** A client that counts snapshot reads and the events its reads return. */
  static final class EventCounting extends ProcessClient {
    final AtomicLong eventsRead = new AtomicLong();
    final AtomicLong snapshotReads = new AtomicLong();

    EventCounting(io.fangroups.spi.GroupStore shared) {
      super(shared);
    }

    @Override
    public List<StoredEvent> read(String stream, long afterSequence, int limit) {
      List<StoredEvent> events = super.read(stream, afterSequence, limit);
      if (stream.startsWith("group/")) {
        eventsRead.addAndGet(events.size());
      }
      return events;
    }

    @Override
    public java.util.Optional<Snapshot> snapshot(String stream) {
      snapshotReads.incrementAndGet();
      return super.snapshot(stream);
    }
  }

  /** A client on which no snapshot was ever saved. */
  static final class NoSnapshots extends ProcessClient {
    NoSnapshots(io.fangroups.spi.GroupStore shared) {
      super(shared);
    }

    @Override
    public java.util.Optional<Snapshot> snapshot(String stream) {
      return java.util.Optional.empty();
    }

    @Override
    public void saveSnapshot(String stream, long sequence, String payload) {}
  }
}
