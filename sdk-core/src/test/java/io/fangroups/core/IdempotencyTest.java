package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IdempotencyTest extends Fixture {

  @Test
  void retry_returnsFirstResultAndChangesNothing() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    CommandContext ctx = as(user("fan")).withIdempotencyKey("tap-1");
    JoinResult first = groups.apply(ctx, g.id(), JoinSource.BUTTON);
    JoinResult retry = groups.apply(ctx, g.id(), JoinSource.BUTTON);
    assertThat(retry).isEqualTo(first);
    assertThat(groups.group(g.id()).lastSequence()).isEqualTo(2);
  }

  @Test
  void sameKeyDifferentCommand_isRefused() {
    GroupInfo a = group("a", 200, JoinMode.OPEN);
    GroupInfo b = group("b", 200, JoinMode.OPEN);
    CommandContext ctx = as(user("fan")).withIdempotencyKey("k");
    groups.apply(ctx, a.id(), JoinSource.BUTTON);
    assertCode(ErrorCode.IDEMPOTENCY_KEY_REUSED, () -> groups.apply(ctx, b.id(), JoinSource.BUTTON));
  }

  @Test
  void keysAreScopedPerActor() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    groups.apply(as(user("a")).withIdempotencyKey("k"), g.id(), JoinSource.BUTTON);
    assertThat(groups.apply(as(user("b")).withIdempotencyKey("k"), g.id(), JoinSource.BUTTON).joined()).isTrue();
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(3);
  }

  @Test
  void failedCommand_isNotRemembered() {
    GroupInfo g = group("g", 2, JoinMode.OPEN);
    groups.apply(as(user("a")), g.id(), JoinSource.BUTTON);
    CommandContext ctx = as(user("b")).withIdempotencyKey("k");
    assertCode(ErrorCode.GROUP_FULL, () -> groups.apply(ctx, g.id(), JoinSource.BUTTON));
    groups.leave(as(user("a")), g.id());
    assertThat(groups.apply(ctx, g.id(), JoinSource.BUTTON).joined()).isTrue();
  }

  @Test
  void failedCommand_isNotRemembered_onASharedStoreEither() {
    FanGroups inMemory = FanGroups.builder().clock(clock).build();
    FanGroups onShared = ProcessClient.process(InMemoryGroupStore.create()).clock(clock).build();
    for (FanGroups fg : List.of(inMemory, onShared)) {
      CommandContext keyed = as(user("fan")).withIdempotencyKey("k");
      assertCode(ErrorCode.GROUP_NOT_FOUND, () -> fg.apply(keyed, GroupId.of("nope"), JoinSource.BUTTON));
      GroupId real = fg.createGroup(asCreator(), GroupSettings.of("g", 10)).id();
      assertThat(fg.apply(keyed, real, JoinSource.BUTTON).joined()).as(fg.toString()).isTrue();
    }
  }

  @Test
  void approve_keyedRetryAfterNotEligible_isRefusedTheSameWay() {
    AtomicReference<Verdict> verdict = new AtomicReference<>(Verdict.REVIEW);
    AdmissionPolicy policy = a -> new AdmissionDecision(verdict.get(), List.of(), "");
    GroupInfo g = groups.createGroup(asCreator(), GroupSettings.builder().name("g").policy(policy).build());
    RequestId r = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    verdict.set(Verdict.DENY);
    CommandContext ctx = asCreator().withIdempotencyKey("k1");
    assertThat(Refusal.codeOf(() -> groups.approve(ctx, r))).isEqualTo(ErrorCode.NOT_ELIGIBLE);
    assertThat(Refusal.codeOf(() -> groups.approve(ctx, r))).as("same key, same command: same answer")
        .isEqualTo(ErrorCode.NOT_ELIGIBLE);
    assertThat(groups.request(r).status()).isEqualTo(RequestStatus.PENDING);
  }

  /** A policy the host builds anew for each request, as a lambda: equal policies, distinct objects. */
  private static AdmissionPolicy minLevel(int level) {
    return a -> level > 0 ? AdmissionDecision.allow() : AdmissionDecision.deny("", "LEVEL");
  }

  @Test
  void createGroup_keyedRetryWithRebuiltEqualSettings_returnsTheFirstResult() {
    CommandContext ctx = asCreator().withIdempotencyKey("create-1");
    GroupInfo first = groups.createGroup(ctx, GroupSettings.builder().name("g").policy(minLevel(3)).build());
    // the host's HTTP retry handler deserialises the same request again
    GroupInfo retry = groups.createGroup(ctx, GroupSettings.builder().name("g").policy(minLevel(3)).build());
    assertThat(retry).isEqualTo(first);
    assertThat(groups.groupsOf(creator)).extracting(GroupInfo::id).containsExactly(first.id());
  }

  @Test
  void concurrentRetries_applyOnce() throws Exception {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    CommandContext ctx = as(user("fan")).withIdempotencyKey("double-tap");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<JoinResult>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> groups.apply(ctx, g.id(), JoinSource.BUTTON)));
      }
      JoinResult first = results.get(0).get();
      for (Future<JoinResult> r : results) {
        assertThat(r.get()).isEqualTo(first);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(2);
    assertThat(groups.group(g.id()).lastSequence()).isEqualTo(2);
  }

  @Test
  void bulkApprove_retry_returnsSameItems() {
    GroupInfo g = group("g", 200, JoinMode.APPROVAL);
    RequestId r = groups.apply(as(user("a")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    CommandContext ctx = asCreator().withIdempotencyKey("bulk-1");
    BulkResult first = groups.approveAll(ctx, List.of(r));
    assertThat(groups.approveAll(ctx, List.of(r))).isEqualTo(first);
    assertThat(first.count(BulkResult.Outcome.APPROVED)).isEqualTo(1);
  }

  @Test
  void sharedStore_sharesIdempotencyAcrossInstances() {
    InMemoryGroupStore store = InMemoryGroupStore.create();
    FanGroups one = FanGroups.builder().clock(clock).store(store).build();
    FanGroups two = FanGroups.builder().clock(clock).store(store).build();
    GroupInfo g = one.createGroup(asCreator(), GroupSettings.of("g", 200));
    CommandContext ctx = as(user("fan")).withIdempotencyKey("k");
    JoinResult first = one.apply(ctx, g.id(), JoinSource.BUTTON);
    assertThat(two.apply(ctx, g.id(), JoinSource.BUTTON)).isEqualTo(first);
    assertThat(two.group(g.id()).memberCount()).isEqualTo(2);
  }
}
