package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.event.OutboxRelay;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Findings of the second review (keyed bulk commands after a store failure, relay status), kept as regression tests. */
class Review2FindingsTest {
  private static final UserId OWNER = UserId.of("owner");
  private static final CommandContext AS_OWNER = CommandContext.of(OWNER);

  private final InMemoryGroupStore shared = InMemoryGroupStore.create();

  private List<RequestId> twoPending(FanGroups p) {
    GroupId group = p.createGroup(AS_OWNER, GroupSettings.builder().name("picky").cap(50)
        .joinMode(JoinMode.APPROVAL).build()).id();
    RequestId r1 = p.apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON).request().orElseThrow().id();
    RequestId r2 = p.apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON).request().orElseThrow().id();
    return List.of(r1, r2);
  }

  /**
   * F1: a keyed bulk command whose first item's append lands but reports a failure: the bulk goes on,
   * but the KeyedAttempt's `next` was not moved past the CommandLanded mark that landed, so every
   * later item's append conflicts on the idem stream and is refused with "another process took this
   * idempotency key over" on a healthy store, with no other process involved.
   */
  @Test
  void keyedBulk_afterOneOutcomeUnknownItem_refusesTheOtherItemsOnAHealthyStore() {
    ProcessClient client = new ProcessClient(shared);
    FanGroups p1 = FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).build();
    List<RequestId> ids = twoPending(p1);

    client.landThenFailWhen.set(ProcessClient.touches("group/"));
    BulkResult result = p1.rejectAll(AS_OWNER.withIdempotencyKey("bulk-1"), ids);

    assertThat(result.items().get(0).error()).contains(ErrorCode.STORE_UNAVAILABLE);
    assertThat(result.items().get(1).error()).as("item 2: the store was healthy; message=" + result.items().get(1).message())
        .isEmpty();
  }

  /**
   * F2: same run; the bulk returned a result, but its CommandFinished was appended at the stale
   * position, conflicted, and the false return was ignored (no `ended` either): another process's
   * retry with the key waits 10 s and is told the attempt "is still running", then (after 60 s) to
   * read the state, instead of getting the stored result.
   */
  @Test
  void keyedBulk_resultIsLost_andARetryElsewhereBlocks() {
    ProcessClient c1 = new ProcessClient(shared);
    FanGroups p1 = FanGroups.builder().store(c1).passcodeKeys(ProcessClient.KEYS).build();
    FanGroups p2 = FanGroups.builder().store(new ProcessClient(shared)).passcodeKeys(ProcessClient.KEYS).build();
    List<RequestId> ids = twoPending(p1);

    c1.landThenFailWhen.set(ProcessClient.touches("group/"));
    CommandContext keyed = AS_OWNER.withIdempotencyKey("bulk-2");
    p1.rejectAll(keyed, ids);

    long t0 = System.nanoTime();
    try {
      BulkResult again = p2.rejectAll(keyed, ids);
      assertThat(again).isNotNull();
    } catch (FanGroupsException e) {
      throw new AssertionError("retry in another process failed after " + (System.nanoTime() - t0) / 1_000_000
          + " ms: " + e.code() + " " + e.getMessage(), e);
    }
  }

  /**
   * F3: status() reads the heads first and each cursor afterwards; a cursor that moved past the head
   * meanwhile (events appended and delivered between the two reads) makes the lag negative.
   */
  @Test
  void status_lagNeverNegative_whenCursorsMovePastTheHeadsItRead() {
    ProcessClient other = new ProcessClient(shared);
    FanGroups otherProcess = FanGroups.builder().store(other).passcodeKeys(ProcessClient.KEYS).startRelay(false)
        .eventPublisher(e -> CompletableFuture.completedFuture(null)).build();
    GroupId group = otherProcess.createGroup(AS_OWNER, GroupSettings.of("g", 50)).id();

    ProcessClient staleHeads = new ProcessClient(shared);
    FanGroups me = FanGroups.builder().store(staleHeads).passcodeKeys(ProcessClient.KEYS).startRelay(false)
        .eventPublisher(e -> CompletableFuture.completedFuture(null)).build();
    assertThat(me.relay().status().eventsBehind()).isEqualTo(1);

    staleHeads.afterHeads.set(() -> { // another process commits and relays while the heads are on their way back
      otherProcess.apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON);
      otherProcess.apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON);
      otherProcess.relay().drainOnce();
    });
    OutboxRelay.Status status = me.relay().status();
    assertThat(status.eventsBehind()).as("events behind").isGreaterThanOrEqualTo(0);
  }
}
