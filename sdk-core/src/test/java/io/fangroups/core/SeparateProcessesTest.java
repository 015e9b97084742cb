package io.fangroups.core;

import static io.fangroups.core.Fixture.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.FactSource;
import io.fangroups.testkit.Concurrently;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several SDK instances that share nothing but the store's data, as separate processes on one
 * database do: every promise must come from the store's atomic append, not from a lock or cache
 * they share.
 */
class SeparateProcessesTest {
  private static final UserId OWNER = UserId.of("owner");
  private static final CommandContext AS_OWNER = CommandContext.of(OWNER);

  private final InMemoryGroupStore store = InMemoryGroupStore.create();
  private final ProcessClient[] clients = new ProcessClient[3];
  private final FanGroups[] processes = new FanGroups[3];

  SeparateProcessesTest() {
    startProcesses(RetentionPolicy.DEFAULT);
  }

  /** (Re)builds the three processes, keeping what {@code policy} says; pruning runs when a test says so. */
  private void startProcesses(RetentionPolicy policy) {
    for (int i = 0; i < processes.length; i++) {
      clients[i] = new ProcessClient(store);
      processes[i] = FanGroups.builder().store(clients[i]).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).groupsPerCreator(5)
          .policy("vip-only", VIP_ONLY).retention(policy).startPruning(false).build();
    }
  }

  private static final AdmissionPolicy VIP_ONLY = applicant -> applicant.user().value().startsWith("vip")
      ? AdmissionDecision.allow() : AdmissionDecision.deny("VIPs only", "NOT_VIP");

  @ParameterizedTest
  @EnumSource(PruningLoop.Kept.class)
  void openJoins_fromThreeProcesses_fillTheCapExactly(PruningLoop.Kept kept) throws Exception {
    startProcesses(kept.policy);
    GroupId group = processes[0].createGroup(AS_OWNER, GroupSettings.of("big", 500)).id();

    Map<String, Integer> outcomes = whilePruning(() -> concurrently(2000, i -> {
      processes[i % 3].apply(CommandContext.of("fan-" + i), group, JoinSource.BUTTON);
      return "JOINED";
    }));

    assertThat(outcomes).containsEntry("JOINED", 499).containsEntry("GROUP_FULL", 1501).hasSize(2);
    for (FanGroups p : processes) {
      assertThat(p.members(group)).as("every process sees the same members").hasSize(500);
    }
    assertKept(kept, group, 1 + 499);
  }

  @ParameterizedTest
  @EnumSource(PruningLoop.Kept.class)
  void passcodeRedemptions_fromThreeProcesses_takeExactlyTheUses(PruningLoop.Kept kept) throws Exception {
    startProcesses(kept.policy);
    GroupId group = processes[0].createGroup(AS_OWNER, GroupSettings.of("big", 500)).id();
    IssuedPasscode code = processes[1].createPasscode(AS_OWNER, PasscodeSpec.forGroup(group).maxUses(50).build());

    Map<String, Integer> outcomes = whilePruning(() -> concurrently(1000, i -> {
      processes[i % 3].redeemPasscode(CommandContext.of("fan-" + i), code.shareText(Locale.CHINA), ClientInfo.unknown());
      return "JOINED";
    }));

    assertThat(outcomes).containsEntry("JOINED", 50).containsEntry("PASSCODE_EXHAUSTED", 950).hasSize(2);
    assertThat(processes[2].passcode(code.info().id()).uses()).isEqualTo(50);
    assertThat(processes[0].group(group).memberCount()).isEqualTo(51);
    assertKept(kept, group, 2 + 50); // created, the code issued, 50 joins
  }

  @Test
  void oneApplicant_fromThreeProcesses_getsOnePendingRequest() throws Exception {
    GroupId group = processes[0].createGroup(AS_OWNER, GroupSettings.builder().name("picky").cap(200)
        .joinMode(JoinMode.APPROVAL).build()).id();

    Map<String, Integer> outcomes = concurrently(30, i -> {
      processes[i % 3].apply(CommandContext.of("same-fan"), group, JoinSource.BUTTON);
      return "PENDING";
    });

    assertThat(outcomes).containsEntry("PENDING", 1).containsEntry("REQUEST_ALREADY_PENDING", 29);
    assertThat(processes[2].pendingRequests(group)).hasSize(1);
    RequestId request = processes[1].pendingRequests(group).get(0).id();
    assertThat(processes[2].approve(AS_OWNER, request).user()).isEqualTo(UserId.of("same-fan"));
  }

  @Test
  void groupCreations_fromThreeProcesses_keepTheQuota() throws Exception {
    Map<String, Integer> outcomes = concurrently(40, i -> {
      processes[i % 3].createGroup(AS_OWNER, GroupSettings.of("g" + i, 200));
      return "CREATED";
    });

    assertThat(outcomes).containsEntry("CREATED", 5).containsEntry("QUOTA_EXCEEDED", 35);
    assertThat(processes[1].groupsOf(OWNER)).hasSize(5);
    GroupId disbanded = processes[1].groupsOf(OWNER).get(0).id();
    processes[2].disband(AS_OWNER, disbanded);
    assertThat(processes[0].groupsOf(OWNER)).hasSize(4);
    assertThat(processes[0].createGroup(AS_OWNER, GroupSettings.of("again", 200)).owner()).isEqualTo(OWNER);
  }

  @Test
  void transferOwnership_racingTheNewOwnersFirstGroupElsewhere_isDecidedAgain() {
    UserId bob = UserId.of("bob");
    GroupId group = processes[0].createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    processes[0].apply(CommandContext.of(bob), group, JoinSource.BUTTON);

    // The transfer expects bob to own no group yet; another process creates his first one just before it lands.
    clients[0].before = () -> processes[1].createGroup(CommandContext.of(bob), GroupSettings.of("bob's own", 200));
    clients[0].beforeWhen.set(ProcessClient.touches("creator/bob"));

    processes[0].transferOwnership(AS_OWNER, group, bob);

    assertThat(processes[1].groupsOf(bob)).extracting(GroupInfo::settings).extracting(GroupSettings::name)
        .containsExactlyInAnyOrder("g", "bob's own");
    assertThat(processes[1].group(group).owner()).isEqualTo(bob);
  }

  @Test
  void policies_crossProcessesAsData() {
    AdmissionPolicy unnamed = applicant -> AdmissionDecision.allow();
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> processes[0].createGroup(AS_OWNER,
        GroupSettings.builder().name("lambda").policy(unnamed).build()));

    GroupId vip = processes[0].createGroup(AS_OWNER, GroupSettings.builder().name("vip").policy(VIP_ONLY).build()).id();
    assertThat(processes[1].apply(CommandContext.of("vip-1"), vip, JoinSource.BUTTON).joined()).isTrue();
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> processes[2].apply(CommandContext.of("fan-1"), vip, JoinSource.BUTTON));

    String rule = "{\"version\":1,\"unknown\":\"review\",\"rule\":{\"fact\":\"fan_club_level\",\"op\":\">=\",\"value\":3}}";
    FanGroups withFacts = FanGroups.builder().store(new ProcessClient(store)).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS)
        .factSource(query -> java.util.concurrent.CompletableFuture.completedFuture(Map.of(
            "fan-2", FactSource.UserFacts.of(Map.of("fan_club_level", 4)),
            "fan-3", FactSource.UserFacts.of(Map.of("fan_club_level", 1)))))
        .build();
    GroupId ruled = processes[0].createGroup(AS_OWNER, GroupSettings.builder().name("ruled")
        .policy(AdmissionPolicy.rule(RuleCompiler.of().compile(rule))).build()).id();
    assertThat(withFacts.apply(CommandContext.of("fan-2"), ruled, JoinSource.BUTTON).joined()).isTrue();
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> withFacts.apply(CommandContext.of("fan-3"), ruled, JoinSource.BUTTON));
    assertThat(withFacts.group(ruled).settings().policy().toString())
        .isEqualTo(processes[0].group(ruled).settings().policy().toString());
  }

  @Test
  void storeFailures_leaveNothingHalfApplied() {
    GroupId group = processes[0].createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();

    clients[1].failNextAppends.set(1);
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> processes[1].apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON));
    assertThat(processes[2].member(group, UserId.of("fan-1"))).as("a failed append wrote nothing").isEmpty();

    clients[1].landThenFail.set(true);
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> processes[1].apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON));
    assertThat(processes[1].member(group, UserId.of("fan-2"))).as("the process re-reads what landed").isPresent();
    assertCode(ErrorCode.ALREADY_MEMBER, () -> processes[1].apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON));

    clients[1].down.set(true);
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> processes[1].group(group));
    clients[1].down.set(false);
    assertThat(processes[1].group(group).memberCount()).isEqualTo(2);
    assertGapless(group, 2);
  }

  @Test
  void keyedRetries_onAnotherProcess_returnTheFirstResult() {
    CommandContext keyed = AS_OWNER.withIdempotencyKey("create-1");
    GroupInfo created = processes[0].createGroup(keyed, GroupSettings.of("g", 200));
    assertThat(processes[1].createGroup(keyed, GroupSettings.of("g", 200))).isEqualTo(created);
    assertThat(processes[2].groupsOf(OWNER)).hasSize(1);

    CommandContext fan = CommandContext.of("fan-1").withIdempotencyKey("apply-1");
    JoinResult joined = processes[0].apply(fan, created.id(), JoinSource.BUTTON);
    assertThat(processes[2].apply(fan, created.id(), JoinSource.BUTTON)).isEqualTo(joined);
    assertThat(processes[1].events(created.id(), 0, 100)).hasSize(2);

    CommandContext issue = AS_OWNER.withIdempotencyKey("code-1");
    IssuedPasscode code = processes[1].createPasscode(issue, PasscodeSpec.forGroup(created.id()).build());
    assertThat(processes[2].createPasscode(issue, PasscodeSpec.forGroup(created.id()).build())).isEqualTo(code);
    assertThat(processes[0].livePasscodes(created.id())).hasSize(1);
    for (String idem : store.streams("idem/", null, 100)) {
      store.read(idem, 0, 100).forEach(e -> assertThat(e.payload()).as("a clear code in the store").doesNotContain(code.code()));
    }

    assertCode(ErrorCode.IDEMPOTENCY_KEY_REUSED, () -> processes[2].createGroup(keyed, GroupSettings.of("other", 200)));
  }

  @Test
  void keyedRetry_afterAFailedFirstAttempt_runsAgainElsewhere() {
    GroupId group = processes[0].createGroup(AS_OWNER, GroupSettings.of("pair", 2)).id();
    processes[0].apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON);
    CommandContext fan = CommandContext.of("fan-2").withIdempotencyKey("apply-2");
    assertCode(ErrorCode.GROUP_FULL, () -> processes[1].apply(fan, group, JoinSource.BUTTON));
    processes[2].leave(CommandContext.of("fan-1"), group);
    assertThat(processes[2].apply(fan, group, JoinSource.BUTTON).joined()).isTrue();
  }

  @Test
  void keyedRetry_afterAnUnexpectedFailureThatChangedNothing_runsElsewhere() {
    // An id generator that hands out a used id fails the creation with an IllegalStateException,
    // not a refusal: the record must still say nothing landed, or the retry waits and is refused.
    FanGroups usedIds = ProcessClient.process(store).idGenerator(kind -> "same-" + kind).build();
    usedIds.createGroup(CommandContext.of("other"), GroupSettings.of("holds the id", 200));
    CommandContext keyed = CommandContext.of("fan-9").withIdempotencyKey("create-9");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> usedIds.createGroup(keyed, GroupSettings.of("mine", 200)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("used");

    assertThat(processes[1].createGroup(keyed, GroupSettings.of("mine", 200)).owner()).isEqualTo(UserId.of("fan-9"));
    assertThat(processes[2].groupsOf(UserId.of("fan-9"))).hasSize(1);
  }

  @Test
  void oneKey_onThreeProcessesAtOnce_runsOnce() throws Exception {
    CommandContext keyed = AS_OWNER.withIdempotencyKey("create-once");
    Map<GroupInfo, Integer> results = new ConcurrentHashMap<>();
    concurrently(30, i -> {
      results.merge(processes[i % 3].createGroup(keyed, GroupSettings.of("once", 200)), 1, Integer::sum);
      return "CREATED";
    });
    assertThat(results).hasSize(1).containsValue(30);
    assertThat(processes[0].groupsOf(OWNER)).hasSize(1);
  }

  @Test
  void relay_leavesIdleGroupsAlone_afterOnePass() {
    ProcessClient client = new ProcessClient(store);
    List<Long> published = new java.util.concurrent.CopyOnWriteArrayList<>();
    FanGroups process = FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).startRelay(false)
        .eventPublisher(e -> {
          published.add(e.sequence());
          return java.util.concurrent.CompletableFuture.completedFuture(null);
        }).build();
    List<GroupId> groups = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      groups.add(process.createGroup(CommandContext.of("creator-" + i), GroupSettings.of("g" + i, 200)).id());
    }
    assertThat(process.relay().drainOnce()).isEqualTo(50);

    client.calls.clear();
    assertThat(process.relay().drainOnce()).as("nothing new").isZero();
    assertThat(client.calls.keySet()).as("store calls for 50 idle groups").containsOnly("changed");
    assertThat(client.calls.get("changed")).hasValue(1);

    process.apply(CommandContext.of("fan-1"), groups.get(7), JoinSource.BUTTON);
    client.calls.clear();
    assertThat(process.relay().drainOnce()).isEqualTo(1);
    assertThat(client.calls.get("tryLease")).as("leases taken: only the group with a new event").hasValue(1);
    assertThat(published).hasSize(51).endsWith(2L);
  }

  @Test
  void sharedStore_needsSharedPasscodeKeys() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FanGroups.builder().store(new ProcessClient(store)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("passcodeKeys");
  }

  /** Runs {@code work} while the first process prunes again and again. */
  private <T> T whilePruning(Callable<T> work) throws Exception {
    try (PruningLoop pruning = PruningLoop.start(processes[0], () -> { })) {
      return work.call();
    }
  }

  /**
   * The group's events as retention left them: its last sequence as expected, the events still
   * stored gapless up to it (all of them when history is kept), a new process loading the same
   * members from the snapshot and what followed, and, when history is not kept, some deleted.
   */
  private void assertKept(PruningLoop.Kept kept, GroupId group, int expectedEvents) {
    GroupInfo info = processes[2].group(group);
    assertThat(info.lastSequence()).isEqualTo(expectedEvents);
    List<GroupEvent> stored = processes[2].events(group, 0, 10_000);
    assertThat(stored).extracting(GroupEvent::sequence).as("the events still stored, gapless to the last")
        .isEqualTo(LongStream.rangeClosed(expectedEvents - stored.size() + 1, expectedEvents).boxed().toList());
    FanGroups restarted = ProcessClient.process(store).retention(kept.policy).startPruning(false).build();
    assertThat(restarted.members(group)).containsExactlyInAnyOrderElementsOf(processes[1].members(group));
    if (kept == PruningLoop.Kept.EVERYTHING) {
      assertThat(stored).hasSize(expectedEvents);
    } else {
      assertThat(processes[0].retention().status().total().historyEventsDeleted()).as("history deleted meanwhile")
          .isPositive();
    }
  }

  private void assertGapless(GroupId group, int expectedEvents) {
    List<GroupEvent> events = processes[2].events(group, 0, 10_000);
    assertThat(events).hasSize(expectedEvents);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).sequence()).isEqualTo(i + 1);
    }
  }

  private static Map<String, Integer> concurrently(int attempts, IntFunction<String> attempt) throws Exception {
    return Concurrently.outcomes(attempts, 8, attempt, FanGroupsException.class, e -> e.code().name());
  }

}
