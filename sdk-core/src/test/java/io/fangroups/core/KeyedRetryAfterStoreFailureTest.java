package io.fangroups.core;

import static io.fangroups.core.Fixture.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A keyed command whose store call fails with its outcome unknown (the write landed, but the call
 * reported a failure) on a store shared by several processes: a retry with the same key, here or in
 * another process, never runs a change that landed a second time, runs a command that never got
 * further than its start record, and gets the first result when there is one.
 */
class KeyedRetryAfterStoreFailureTest {
  private static final UserId OWNER = UserId.of("owner");
  private static final CommandContext AS_OWNER = CommandContext.of(OWNER);

  private final InMemoryGroupStore shared = InMemoryGroupStore.create();
  private final ProcessClient firstClient = new ProcessClient(shared);
  private final FanGroups first = FanGroups.builder().store(firstClient).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).build();
  private final FanGroups second = ProcessClient.process(shared).build();

  @Test
  void createGroup_retryElsewhereAfterTheChangeLandedButTheCallFailed_doesNotRunItTwice() {
    CommandContext keyed = AS_OWNER.withIdempotencyKey("create-1");

    firstClient.landThenFailWhen.set(ProcessClient.touches("group/"));
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> first.createGroup(keyed, GroupSettings.of("g", 200)));
    assertThat(second.groupsOf(OWNER)).as("the first attempt landed").hasSize(1);

    // The change landed but its result was lost: the retry does not run it again; it says to read the state.
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> second.createGroup(keyed, GroupSettings.of("g", 200)));
    assertThat(second.groupsOf(OWNER)).as("groups after the keyed retry").hasSize(1);
  }

  @Test
  void createGroup_retryAfterOnlyTheStartRecordLanded_runsTheCommand() {
    CommandContext keyed = AS_OWNER.withIdempotencyKey("create-2");

    firstClient.landThenFailWhen.set(ProcessClient.touches("idem/"));
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> first.createGroup(keyed, GroupSettings.of("g", 200)));
    assertThat(first.groupsOf(OWNER)).as("nothing ran").isEmpty();

    GroupInfo created = first.createGroup(keyed, GroupSettings.of("g", 200));
    assertThat(created.owner()).isEqualTo(OWNER);
    assertThat(second.groupsOf(OWNER)).containsExactly(created);
  }

  @Test
  void rejectAll_afterAnItemWhoseOutcomeIsUnknown_decidesTheNextItem() {
    List<RequestId> ids = twoPendingRequests();

    firstClient.landThenFailWhen.set(ProcessClient.touches("group/"));
    BulkResult result = first.rejectAll(AS_OWNER.withIdempotencyKey("bulk-1"), ids);

    assertThat(result.items().get(0).outcome()).isEqualTo(BulkResult.Outcome.FAILED);
    assertThat(result.items().get(0).error()).contains(ErrorCode.STORE_UNAVAILABLE);
    assertThat(result.items().get(1).outcome()).as("item 2, on a healthy store; message=" + result.items().get(1).message())
        .isEqualTo(BulkResult.Outcome.REJECTED);
    assertThat(first.request(ids.get(1)).status()).isEqualTo(RequestStatus.REJECTED);
  }

  @Test
  void rejectAll_retryElsewhereAfterAnItemWhoseOutcomeIsUnknown_returnsTheFirstResult() {
    List<RequestId> ids = twoPendingRequests();

    firstClient.landThenFailWhen.set(ProcessClient.touches("group/"));
    CommandContext keyed = AS_OWNER.withIdempotencyKey("bulk-2");
    BulkResult result = first.rejectAll(keyed, ids);

    assertThat(second.rejectAll(keyed, ids)).isEqualTo(result);
  }

  private List<RequestId> twoPendingRequests() {
    GroupId group = first.createGroup(AS_OWNER, GroupSettings.builder().name("picky").cap(50)
        .joinMode(JoinMode.APPROVAL).build()).id();
    RequestId r1 = first.apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON).request().orElseThrow().id();
    RequestId r2 = first.apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON).request().orElseThrow().id();
    return List.of(r1, r2);
  }
}
