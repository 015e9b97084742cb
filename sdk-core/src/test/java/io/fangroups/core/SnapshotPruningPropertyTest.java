package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.GroupState;
import io.fangroups.core.internal.format.PolicyCodec;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.Test;

/**
 * Commands, on-demand snapshots, pruning passes, relay drains and crashes (an instance replaced by a
 * fresh one, which loads from the store) in random order, with short retentions so that pruning
 * really deletes. After every crash and at the end: the state a fresh instance loads (snapshot and
 * tail) equals the fold of the group's whole history (kept aside as it was appended); and every
 * event retention deleted had been published before it was deleted.
 */
class SnapshotPruningPropertyTest {
  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
  private static final RetentionPolicy POLICY = RetentionPolicy.DEFAULT.withMessages(Duration.ofDays(2))
      .withHistory(RetentionPolicy.History.DELETE_BEFORE_SNAPSHOT).withSnapshotEvery(10);
  private static final WireFormat FORMAT = new WireFormat(new PolicyCodec(RuleCompiler.of(), Map.of(), false));

  @Test
  void stateFromSnapshotAndTail_isTheFoldOfTheWholeHistory_andNothingIsDeletedUnpublished() {
    qt().withExamples(40).forAll(lists().of(integers().between(0, 99)).ofSizeBetween(20, 160)).checkAssert(this::run);
  }

  private void run(List<Integer> ops) {
    Recording store = new Recording(InMemoryGroupStore.create());
    MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
    FanGroups sdk = instance(store, clock);
    GroupId group = sdk.createGroup(CommandContext.of("owner"), GroupSettings.of("g", 200)).id();
    for (int op : ops) {
      UserId fan = UserId.of("fan-" + (op % 7));
      try {
        switch (op / 10) {
          case 0, 1 -> sdk.apply(CommandContext.of(fan), group, JoinSource.BUTTON);
          case 2, 3, 4 -> sdk.post(CommandContext.of(fan), group, new MessageContent.Text("m" + op));
          case 5 -> sdk.leave(CommandContext.of(fan), group);
          case 6 -> sdk.mute(CommandContext.of("owner"), group, fan, Duration.ofHours(op % 5 + 1));
          case 7 -> sdk.retention().snapshot(group);
          case 8 -> {
            if (op % 2 == 0) {
              sdk.retention().pruneOnce();
            } else {
              sdk.relay().drainOnce();
            }
          }
          default -> {
            if (op % 3 == 0) {
              clock.advance(Duration.ofDays(1));
            } else { // a crash: the instance is gone, a fresh one loads the group from the store
              sdk.relay().close();
              sdk.retention().close();
              sdk = instance(store, clock);
              assertLoadedIsWholeHistory(store, clock, group);
            }
          }
        }
      } catch (FanGroupsException refused) {
        // A refusal (not a member, already a member, muted …) changes nothing.
      }
    }
    sdk.relay().drainOnce();
    sdk.retention().pruneOnce();
    assertLoadedIsWholeHistory(store, clock, group);
    assertThat(store.deletedUnpublished).as("events deleted before they were published").isEmpty();
    assertThat(store.published.keySet()).as("every event published (deduplicated)")
        .containsAll(store.history.keySet().stream().map(s -> group.value() + "/" + s).toList());
  }

  private static FanGroups instance(Recording store, MutableClock clock) {
    return FanGroups.builder().store(store).passcodeKeys(KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).clock(clock).retention(POLICY).startPruning(false)
        .startRelay(false).eventPublisher(event -> {
          store.published.put(event.eventId(), true);
          return CompletableFuture.completedFuture(null);
        }).build();
  }

  private static void assertLoadedIsWholeHistory(Recording store, MutableClock clock, GroupId group) {
    GroupRepository fresh = new GroupRepository(store, FORMAT, false, POLICY, clock);
    String loaded = fresh.read(group, s -> FORMAT.encodeSnapshot(s.toSnapshot()));
    GroupState folded = null;
    for (Map.Entry<Long, GroupStore.StoredEvent> e : store.history.entrySet()) {
      GroupEvent event = FORMAT.decode(group, e.getValue());
      folded = folded != null ? folded : new GroupState(group, event.occurredAt());
      folded.apply(event);
    }
    assertThat(loaded).as("state loaded from snapshot and tail").isEqualTo(FORMAT.encodeSnapshot(folded.toSnapshot()));
  }

  /** A store client that keeps every group event appended, and checks deletions against what was published. */
  static final class Recording extends ProcessClient {
    private final GroupStore store;
    final ConcurrentSkipListMap<Long, StoredEvent> history = new ConcurrentSkipListMap<>();
    final Map<String, Boolean> published = new ConcurrentHashMap<>();
    final List<String> deletedUnpublished = new ArrayList<>();

    Recording(GroupStore store) {
      super(store);
      this.store = store;
    }

    @Override
    public AppendResult append(List<StreamAppend> appends, List<UniqueKey> keys) {
      AppendResult result = super.append(appends, keys);
      if (result.isAppended()) {
        for (StreamAppend a : appends) {
          long sequence = a.expectedLastSequence();
          for (NewEvent e : a.events()) {
            sequence++;
            if (a.stream().startsWith("group/")) {
              history.put(sequence, new StoredEvent(sequence, e.type(), e.payload()));
            }
          }
        }
      }
      return result;
    }

    @Override
    public int deleteEvents(String stream, long throughSequence, Set<String> types) {
      String group = stream.substring("group/".length());
      for (StoredEvent e : store.read(stream, 0, Integer.MAX_VALUE)) {
        boolean deleted = e.sequence() <= throughSequence && (types.isEmpty() || types.contains(e.type()));
        if (deleted && !published.containsKey(group + "/" + e.sequence())) {
          deletedUnpublished.add(group + "/" + e.sequence() + " " + e.type());
        }
      }
      return super.deleteEvents(stream, throughSequence, types);
    }
  }
}
