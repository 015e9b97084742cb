package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "The cap holds": thousands of overlapping join attempts through every path never admit more than
 * the cap, and every attempt that does not end in a membership is refused with the full-code.
 */
class CapacityConcurrencyTest {
  private static final int ATTEMPTS = 10_000;
  private static final int THREADS = 8;
  private static final int CAP = 500;

  /** Requests made before the start gate, approved by owner and admin while the attempts run. */
  private static final int PRE_APPLIED = 100;

  /** Every third applicant (and every early applicant "p…") needs review; the others are allowed straight in. */
  private static final AdmissionPolicy REVIEW_SOME = applicant ->
      applicant.user().value().startsWith("p") || Integer.parseInt(applicant.user().value().substring(1)) % 3 == 1
          ? AdmissionDecision.review("reviewed", "SAMPLED")
          : AdmissionDecision.allow();

  private static final UserId OWNER = UserId.of("owner");
  private static final UserId ADMIN = UserId.of("admin");

  private ExecutorService pool;

  @BeforeEach
  void startPool() {
    pool = Executors.newFixedThreadPool(THREADS);
  }

  @AfterEach
  void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("pool stopped").isTrue();
  }

  /** How one attempt ended. */
  private enum Outcome { JOINED, FULL_AT_APPLY, FULL_AT_ADD, FULL_AT_APPROVAL }

  @Test
  void apply_approve_addMember_concurrentlyOnOneGroup_neverExceedCap() throws Exception {
    FanGroups fg = FanGroups.builder().build();
    GroupId group = groupWithAdmin(fg, fg);
    preApply(fg, group);

    Attempts attempts = hammer(i -> mixedAttempt(fg, fg, group, i));

    approveRemainingPreApplied(fg, group);
    assertCapHeldWithMixedPaths(fg, group, attempts);
  }

  @Test
  void apply_approve_addMember_fromTwoInstancesSharingOneStore_neverExceedCap() throws Exception {
    InMemoryGroupStore store = InMemoryGroupStore.create();
    FanGroups first = FanGroups.builder().store(store).build();
    FanGroups second = FanGroups.builder().store(store).build();
    GroupId group = groupWithAdmin(first, second);
    preApply(second, group);

    // Even attempts go through the first instance and are decided by the second, odd ones the reverse.
    Attempts attempts = hammer(i -> i % 2 == 0
        ? mixedAttempt(first, second, group, i)
        : mixedAttempt(second, first, group, i));

    approveRemainingPreApplied(second, group);
    assertCapHeldWithMixedPaths(first, group, attempts);
    assertThat(second.members(group)).as("both instances see the same members").isEqualTo(first.members(group));
    assertThat(second.group(group)).isEqualTo(first.group(group));
  }

  @Test
  void applyToFamily_concurrently_fillsBothGroupsExactlyToTheirCaps() throws Exception {
    FanGroups fg = FanGroups.builder().build();
    CommandContext owner = CommandContext.of(OWNER);
    Family family = fg.createFamily(owner, "fans");
    GroupId big = fg.createGroup(owner, GroupSettings.builder().name("big").cap(GroupSettings.CAP_500)
        .family(family.id()).build()).id();
    GroupId small = fg.createGroup(owner, GroupSettings.builder().name("small").cap(GroupSettings.CAP_200)
        .family(family.id()).build()).id();
    Map<UserId, GroupId> landedIn = new ConcurrentHashMap<>();

    Attempts attempts = hammer(i -> {
      UserId user = UserId.of("u" + i);
      try {
        JoinResult result = fg.applyToFamily(CommandContext.of(user), family.id(), JoinSource.BUTTON);
        assertThat(result.joined()).as("allow-all family admits at once").isTrue();
        assertThat(landedIn.put(user, result.group())).as("user %s admitted twice", user).isNull();
        return Outcome.JOINED;
      } catch (FanGroupsException e) {
        if (e.code() != ErrorCode.FAMILY_FULL) {
          throw new AssertionError("attempt " + i + " refused with " + e.code() + " instead of FAMILY_FULL", e);
        }
        return Outcome.FULL_AT_APPLY;
      }
    });

    // 700 seats in all; the owner holds one in each group, so 698 applicants get in.
    int seatsForApplicants = GroupSettings.CAP_500 + GroupSettings.CAP_200 - 2;
    assertThat(attempts.count(Outcome.JOINED)).as("applicants admitted to the family (caps 500 + 200 minus the owner's seats)")
        .isEqualTo(seatsForApplicants);
    assertThat(attempts.count(Outcome.FULL_AT_APPLY)).as("applicants refused with FAMILY_FULL")
        .isEqualTo(ATTEMPTS - seatsForApplicants);
    assertThat(fg.members(big)).as("members of the group capped at 500").hasSize(GroupSettings.CAP_500);
    assertThat(fg.members(small)).as("members of the group capped at 200").hasSize(GroupSettings.CAP_200);
    assertThat(fg.group(big).freeSeats()).isZero();
    assertThat(fg.group(small).freeSeats()).isZero();
    assertThat(landedIn.values().stream().filter(big::equals).count()).isEqualTo(GroupSettings.CAP_500 - 1);
    assertThat(landedIn.values().stream().filter(small::equals).count()).isEqualTo(GroupSettings.CAP_200 - 1);

    Set<UserId> inBig = users(fg.members(big));
    Set<UserId> inSmall = users(fg.members(small));
    Set<UserId> inBoth = new HashSet<>(inBig);
    inBoth.retainAll(inSmall);
    assertThat(inBoth).as("only the owner is in both groups of the family").containsExactly(OWNER);
    for (Map.Entry<UserId, GroupId> e : landedIn.entrySet()) {
      assertThat(fg.member(e.getValue(), e.getKey())).as("%s is a member where applyToFamily said", e.getKey()).isPresent();
    }
    assertEventLog(fg, big, GroupSettings.CAP_500);
    assertEventLog(fg, small, GroupSettings.CAP_200);
  }

  // ---------------------------------------------------------------- the mixed scenario

  /** A group capped at {@value #CAP}, OPEN with {@link #REVIEW_SOME}, with one admin besides the owner. */
  private static GroupId groupWithAdmin(FanGroups creating, FanGroups other) {
    CommandContext owner = CommandContext.of(OWNER);
    GroupId group = creating.createGroup(owner, GroupSettings.builder().name("capped").cap(CAP)
        .joinMode(JoinMode.OPEN).policy(REVIEW_SOME).build()).id();
    other.addMember(owner, group, ADMIN);
    other.appointAdmin(owner, group, ADMIN);
    assertThat(creating.can(group, ADMIN, Capability.APPROVE_REQUESTS)).isTrue();
    assertThat(creating.can(group, ADMIN, Capability.ADD_MEMBERS)).isTrue();
    return group;
  }

  private final Queue<RequestId> leftPending = new ConcurrentLinkedQueue<>();
  private final Set<UserId> admitted = ConcurrentHashMap.newKeySet();
  private final List<RequestId> preApplied = new ArrayList<>();
  private final AtomicInteger preTaken = new AtomicInteger();
  private final AtomicInteger preApproved = new AtomicInteger();
  private final AtomicInteger preFull = new AtomicInteger();

  /** {@value #PRE_APPLIED} users apply before the gate opens; each gets a pending request. */
  private void preApply(FanGroups fg, GroupId group) {
    for (int k = 0; k < PRE_APPLIED; k++) {
      JoinResult r = fg.apply(CommandContext.of("p" + k), group, JoinSource.BUTTON);
      assertThat(r.joined()).isFalse();
      preApplied.add(r.request().orElseThrow().id());
    }
    assertThat(fg.pendingRequests(group)).hasSize(PRE_APPLIED);
  }

  /**
   * Approves the next early request, as the owner or the admin: it becomes a membership, or, with
   * the group full, GROUP_FULL and the request stays pending. Does nothing once all were taken.
   */
  private void approveNextPreApplied(FanGroups deciding, GroupId group, CommandContext decider) {
    int k = preTaken.getAndIncrement();
    if (k >= PRE_APPLIED) {
      return;
    }
    RequestId request = preApplied.get(k);
    try {
      Member m = deciding.approve(decider, request);
      joined(m, UserId.of("p" + k), JoinSource.BUTTON);
      preApproved.incrementAndGet();
    } catch (FanGroupsException e) {
      full(e, "approving early request p" + k, Outcome.FULL_AT_APPROVAL);
      leftPending.add(request);
      preFull.incrementAndGet();
    }
  }

  /** After the run the group is full: every early request not yet approved is refused GROUP_FULL. */
  private void approveRemainingPreApplied(FanGroups fg, GroupId group) {
    while (preTaken.get() < PRE_APPLIED) {
      approveNextPreApplied(fg, group, CommandContext.of(OWNER));
    }
    assertThat(preApproved.get() + preFull.get()).isEqualTo(PRE_APPLIED);
  }

  /**
   * Attempt {@code i}: i % 3 == 0 an admin add (by the owner or the admin), i % 3 == 1 an
   * application that needs review followed by an approval (by the owner or the admin), otherwise a
   * direct open join. {@code applying} serves the applicant, {@code deciding} the owner and admin.
   */
  private Outcome mixedAttempt(FanGroups applying, FanGroups deciding, GroupId group, int i) {
    UserId user = UserId.of("u" + i);
    CommandContext decider = CommandContext.of((i / 3) % 2 == 0 ? OWNER : ADMIN);
    switch (i % 3) {
      case 0 -> {
        try {
          Member m = deciding.addMember(decider, group, user);
          return joined(m, user, JoinSource.ADMIN_ADD);
        } catch (FanGroupsException e) {
          return full(e, i, Outcome.FULL_AT_ADD);
        }
      }
      case 1 -> {
        if (i % 60 == 1) {
          // Now and then the decider also approves one of the early requests, racing everything else.
          approveNextPreApplied(deciding, group, decider);
        }
        JoinResult applied;
        try {
          applied = applying.apply(CommandContext.of(user), group, JoinSource.BUTTON);
        } catch (FanGroupsException e) {
          return full(e, i, Outcome.FULL_AT_APPLY);
        }
        assertThat(applied.joined()).as("a reviewed applicant waits for approval").isFalse();
        RequestId request = applied.request().orElseThrow().id();
        try {
          Member m = deciding.approve(decider, request);
          assertThat(m.request()).contains(request);
          return joined(m, user, JoinSource.BUTTON);
        } catch (FanGroupsException e) {
          Outcome outcome = full(e, i, Outcome.FULL_AT_APPROVAL);
          leftPending.add(request);
          return outcome;
        }
      }
      default -> {
        try {
          JoinResult applied = applying.apply(CommandContext.of(user), group, JoinSource.BUTTON);
          assertThat(applied.joined()).as("an allowed applicant joins an OPEN group at once").isTrue();
          return joined(applied.member().orElseThrow(), user, JoinSource.BUTTON);
        } catch (FanGroupsException e) {
          return full(e, i, Outcome.FULL_AT_APPLY);
        }
      }
    }
  }

  private Outcome joined(Member member, UserId user, JoinSource source) {
    assertThat(member.user()).isEqualTo(user);
    assertThat(member.role()).isEqualTo(Role.MEMBER);
    assertThat(member.source()).isEqualTo(source);
    assertThat(admitted.add(user)).as("%s admitted twice", user).isTrue();
    return Outcome.JOINED;
  }

  private static Outcome full(FanGroupsException e, Object attempt, Outcome outcome) {
    if (e.code() != ErrorCode.GROUP_FULL) {
      throw new AssertionError("attempt " + attempt + " (" + outcome + ") refused with " + e.code()
          + " instead of GROUP_FULL", e);
    }
    return outcome;
  }

  private void assertCapHeldWithMixedPaths(FanGroups fg, GroupId group, Attempts attempts) {
    System.out.println("outcomes: " + attempts.counts() + ", early requests approved " + preApproved
        + ", refused GROUP_FULL " + preFull);
    int freeSeatsAtStart = CAP - 2; // owner and admin
    assertThat(attempts.count(Outcome.JOINED) + preApproved.get())
        .as("attempts and early requests that ended in a membership (cap %d minus owner and admin)", CAP)
        .isEqualTo(freeSeatsAtStart);
    // The seats run out long before the last early requests are approved: the cap is checked at approval.
    assertThat(preFull.get()).as("early requests refused GROUP_FULL at approval").isPositive();
    assertThat(attempts.total()).as("attempts answered").isEqualTo(ATTEMPTS);
    assertThat(admitted).hasSize(freeSeatsAtStart);

    List<Member> members = fg.members(group);
    assertThat(members).as("members of the group capped at %d", CAP).hasSize(CAP);
    assertThat(users(members)).as("no user twice").hasSize(CAP);
    assertThat(users(members)).containsAll(admitted).contains(OWNER, ADMIN);
    assertThat(members.stream().filter(m -> m.role() == Role.OWNER)).hasSize(1);
    assertThat(fg.group(group).memberCount()).isEqualTo(CAP);
    assertThat(fg.group(group).freeSeats()).isZero();

    // Each path contributed; under contention the split varies, but none is starved entirely.
    assertThat(members.stream().filter(m -> m.source() == JoinSource.ADMIN_ADD)).isNotEmpty();
    assertThat(members.stream().filter(m -> m.request().isPresent())).isNotEmpty();
    assertThat(members.stream().filter(m -> m.source() == JoinSource.BUTTON && m.request().isEmpty())).isNotEmpty();

    // An approval refused for lack of a seat leaves its request pending.
    assertThat(leftPending).hasSize((int) attempts.count(Outcome.FULL_AT_APPROVAL) + preFull.get());
    for (RequestId id : leftPending) {
      JoinRequest request = fg.request(id);
      assertThat(request.status()).as("request %s after a GROUP_FULL approval", id).isEqualTo(RequestStatus.PENDING);
      assertThat(fg.member(group, request.applicant())).isEmpty();
    }
    assertThat(fg.pendingRequests(group)).extracting(JoinRequest::id).containsExactlyInAnyOrderElementsOf(leftPending);

    assertEventLog(fg, group, CAP);
  }

  /**
   * The log is gapless from 1, and members = 1 (the owner, from GroupCreated) + MemberJoined -
   * MemberLeft; nobody leaves here, so there are exactly cap - 1 MemberJoined events.
   */
  private static void assertEventLog(FanGroups fg, GroupId group, int cap) {
    List<GroupEvent> log = new ArrayList<>();
    long after = 0;
    while (true) {
      List<GroupEvent> page = fg.events(group, after, 10_000);
      if (page.isEmpty()) {
        break;
      }
      log.addAll(page);
      after = page.get(page.size() - 1).sequence();
    }
    for (int i = 0; i < log.size(); i++) {
      assertThat(log.get(i).sequence()).as("sequence at position %d", i).isEqualTo(i + 1L);
      assertThat(log.get(i).group()).isEqualTo(group);
    }
    assertThat(log).isNotEmpty();
    assertThat(log.get(0).change()).isInstanceOf(GroupChange.GroupCreated.class);
    assertThat(fg.group(group).lastSequence()).isEqualTo(log.size());
    long joinedEvents = log.stream().filter(e -> e.change() instanceof MemberJoined).count();
    long leftEvents = log.stream().filter(e -> e.change() instanceof MemberLeft).count();
    assertThat(leftEvents).isZero();
    assertThat(joinedEvents).isEqualTo(cap - 1L);
    assertThat(1 + joinedEvents - leftEvents).isEqualTo(fg.members(group).size());
    Set<UserId> joinedUsers = new HashSet<>();
    for (GroupEvent e : log) {
      if (e.change() instanceof MemberJoined j) {
        assertThat(joinedUsers.add(j.member().user())).as("%s joined twice in the log", j.member().user()).isTrue();
      }
    }
  }

  // ---------------------------------------------------------------- harness

  /** Outcome counts of all attempts. */
  private record Attempts(Map<Outcome, AtomicInteger> counts) {
    long count(Outcome o) {
      return counts.get(o).get();
    }

    long total() {
      return counts.values().stream().mapToLong(AtomicInteger::get).sum();
    }
  }

  /** A function of the attempt number that reports how the attempt ended. */
  private interface Attempt {
    Outcome run(int attempt);
  }

  /**
   * Runs {@link #ATTEMPTS} attempts on {@link #THREADS} workers released together by a start gate;
   * the workers take attempt numbers from a shared counter, so the paths interleave.
   */
  private Attempts hammer(Attempt attempt) throws Exception {
    Map<Outcome, AtomicInteger> counts = new ConcurrentHashMap<>();
    for (Outcome o : Outcome.values()) {
      counts.put(o, new AtomicInteger());
    }
    AtomicInteger next = new AtomicInteger();
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      workers.add(pool.submit(() -> {
        ready.countDown();
        start.await();
        for (int i = next.getAndIncrement(); i < ATTEMPTS; i = next.getAndIncrement()) {
          counts.get(attempt.run(i)).incrementAndGet();
        }
        return null;
      }));
    }
    assertThat(ready.await(10, TimeUnit.SECONDS)).as("all workers ready").isTrue();
    start.countDown();
    for (Future<?> w : workers) {
      try {
        w.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        fail("a worker failed: " + e.getCause(), e.getCause());
      }
    }
    return new Attempts(counts);
  }

  private static Set<UserId> users(List<Member> members) {
    Set<UserId> users = new HashSet<>();
    members.forEach(m -> users.add(m.user()));
    return users;
  }
}
