package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Applicant;
import io.fangroups.core.event.GroupChange.GroupCreated;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange.OwnershipTransferred;
import io.fangroups.core.event.GroupChange.RoleChanged;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.spi.IdGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * A state-machine property: random sequences of commands by random actors, over a small universe
 * where caps, bans, TTLs and the admin limit are hit often, never break the membership invariants.
 * Each sequence runs its first part one step at a time (invariants after every step, refusals of
 * actors lacking the capability checked against a reference model folded from the event log), then
 * a batch concurrently on four threads; commands alternate between two {@link FanGroups} instances
 * sharing one {@link InMemoryGroupStore}.
 */
class MembershipStateMachineTest {
  private static final int EXAMPLES = 1_000;
  private static final int ADMIN_LIMIT = 1;
  private static final int GROUPS_PER_CREATOR = 3;
  private static final Duration REQUEST_TTL = Duration.ofHours(2);

  private static final UserId CREATOR = UserId.of("c");
  private static final List<UserId> USERS = List.of(CREATOR, UserId.of("u1"), UserId.of("u2"), UserId.of("u3"),
      UserId.of("u4"), UserId.of("u5"), UserId.of("u6"), UserId.of("u7"));
  /** Actor indices past the users mean "one of the group's admins" or (the rest) "the group's owner". */
  private static final int ADMIN_OF_GROUP = USERS.size();
  private static final int ACTOR_CHOICES = USERS.size() + 4;

  /** u7 is denied, odd users are reviewed, the rest allowed. */
  private static final AdmissionPolicy PICKY = new AdmissionPolicy() {
    @Override
    public AdmissionDecision evaluate(Applicant a) {
      String id = a.user().value();
      if (id.equals("u7")) {
        return AdmissionDecision.deny("not a fan", "NOT_FOLLOWING");
      }
      return id.equals("u1") || id.equals("u3") || id.equals("u5")
          ? AdmissionDecision.review("new follower", "DAYS_FOLLOWING_TOO_LOW")
          : AdmissionDecision.allow();
    }

    @Override
    public String toString() {
      return "PICKY";
    }
  };
  private static final List<AdmissionPolicy> POLICIES =
      List.of(AdmissionPolicy.allowAll(), AdmissionPolicy.requireApproval(), PICKY);
  private static final List<JoinMode> MODES =
      List.of(JoinMode.OPEN, JoinMode.APPROVAL, JoinMode.OPEN, JoinMode.CLOSED, JoinMode.APPROVAL, JoinMode.PASSCODE_ONLY);
  private static final List<Duration> SPANS = List.of(Duration.ofMinutes(10), Duration.ofMinutes(50),
      Duration.ofHours(3), Duration.ofDays(1));
  private static final List<Duration> BANS = List.of(Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofDays(2),
      ChronoUnit.FOREVER.getDuration());

  /** Commands; joins and approvals are listed more than once so caps fill up. */
  enum Kind {
    CREATE_GROUP, APPLY, APPLY_TO_FAMILY, APPROVE, REJECT, APPROVE_ALL, WITHDRAW, ADD_MEMBER, LEAVE, KICK, BAN, UNBAN,
    MUTE, UNMUTE, APPOINT_ADMIN, DISMISS_ADMIN, TRANSFER_OWNERSHIP, UPDATE_SETTINGS, PAUSE_JOINS, DISBAND,
    ADVANCE_CLOCK, EXPIRE_OVERDUE
  }

  private static final List<Kind> WEIGHTED;

  static {
    List<Kind> kinds = new ArrayList<>(List.of(Kind.values()));
    kinds.addAll(List.of(Kind.APPLY, Kind.APPLY, Kind.APPLY, Kind.APPLY_TO_FAMILY, Kind.APPROVE, Kind.APPROVE,
        Kind.ADD_MEMBER, Kind.ADD_MEMBER, Kind.APPROVE_ALL, Kind.LEAVE, Kind.BAN, Kind.APPOINT_ADMIN, Kind.APPOINT_ADMIN,
        Kind.DISMISS_ADMIN, Kind.DISMISS_ADMIN));
    WEIGHTED = List.copyOf(kinds);
  }

  /** One generated command: indices into the universe, resolved against the state when it runs. */
  record Step(Kind kind, int actor, int group, int target, int param, boolean keyed) {
    @Override
    public String toString() {
      return kind + "(a" + actor + ",g" + group + ",t" + target + ",p" + param + (keyed ? ",key" : "") + ")";
    }
  }

  /** A sequence: a sequential part, then a batch run concurrently. */
  record Scenario(List<Step> sequential, List<Step> concurrent) {
    @Override
    public String toString() {
      return "sequential=" + sequential + " concurrent=" + concurrent;
    }
  }

  private static ExecutorService pool;
  /** Outcomes seen over all sequences, "KIND:ok" or "KIND:CODE", to show the property is not vacuous. */
  private static final Map<String, LongAdder> SEEN = new ConcurrentHashMap<>();

  private static void seen(String what) {
    SEEN.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stopPool() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void commandSequences_randomActorsSequentialAndConcurrent_keepMembershipInvariants() {
    qt().withExamples(EXAMPLES).withShrinkCycles(300).forAll(scenarios()).checkAssert(s -> new Run(s, false).execute());

    System.out.println("outcomes over " + EXAMPLES + " sequences: " + new java.util.TreeMap<>(SEEN));
    // The universe is small enough that every interesting situation happens many times.
    assertThat(SEEN).containsKeys("APPLY:GROUP_FULL", "APPLY_TO_FAMILY:FAMILY_FULL", "ADD_MEMBER:GROUP_FULL",
        "APPROVE:ok", "APPROVE_ALL:item:APPROVED", "APPROVE:REQUEST_NOT_PENDING", "APPROVE_ALL:ok", "APPLY:BANNED",
        "ADD_MEMBER:BANNED", "BAN:ok", "UNBAN:ok", "MUTE:ok", "KICK:ok", "LEAVE:ok", "WITHDRAW:ok", "REJECT:ok",
        "APPOINT_ADMIN:ok", "APPOINT_ADMIN:ADMIN_LIMIT_REACHED", "DISMISS_ADMIN:ok", "TRANSFER_OWNERSHIP:ok",
        "UPDATE_SETTINGS:ok", "UPDATE_SETTINGS:CAP_BELOW_MEMBER_COUNT", "APPLY:JOINS_PAUSED", "DISBAND:ok",
        "APPLY:GROUP_DISBANDED", "KICK:NOT_PERMITTED", "ADD_MEMBER:NOT_PERMITTED", "LEAVE:NOT_A_MEMBER",
        "LEAVE:OWNER_CANNOT_LEAVE", "WITHDRAW:NOT_PERMITTED", "CREATE_GROUP:QUOTA_EXCEEDED", "APPLY:NOT_ELIGIBLE",
        "keyed retry", "keyed retry of a refusal", "expired");
  }

  /**
   * The same property with the two instances as separate processes: they share the store's data and
   * nothing else (no cache, lock or idempotency record in memory), as two servers on one database.
   */
  @Test
  void commandSequences_twoSeparateProcesses_keepMembershipInvariants() {
    qt().withExamples(EXAMPLES / 4).withShrinkCycles(300).forAll(scenarios()).checkAssert(s -> new Run(s, true).execute());
  }

  /** A sequential part of 15 to 45 steps, then 4 to 12 steps run concurrently. */
  private static Gen<Scenario> scenarios() {
    Gen<Step> step = in -> new Step(WEIGHTED.get(pick(in, WEIGHTED.size())), pick(in, ACTOR_CHOICES),
        pick(in, 6), pick(in, USERS.size()), pick(in, 1000), pick(in, 4) == 0);
    return lists().of(step).ofSizeBetween(15, 45).zip(lists().of(step).ofSizeBetween(4, 12), Scenario::new);
  }

  private static int pick(org.quicktheories.core.RandomnessSource in, int bound) {
    return (int) in.next(Constraint.between(0, bound - 1));
  }

  // ---------------------------------------------------------------- one sequence

  /** One command resolved against the current state: the exact call, its actor and what it needs. */
  private record Call(Step step, String text, UserId actor, GroupId group, Capability needs, Command command,
      RequestId requestId, UserId target) {
    Call(Step step, String text, UserId actor, GroupId group, Capability needs, Command command) {
      this(step, text, actor, group, needs, command, null, null);
    }

    Call(Step step, String text, UserId actor, GroupId group, Capability needs, UserId target, Command command) {
      this(step, text, actor, group, needs, command, null, target);
    }
  }

  @FunctionalInterface
  private interface Command {
    Object run(FanGroups fg, CommandContext ctx);
  }

  /** Codes a refusal for lack of a capability (or a membership) may carry. */
  private static final Set<ErrorCode> REFUSED = EnumSet.of(ErrorCode.NOT_PERMITTED, ErrorCode.NOT_A_MEMBER);

  private static final class Run {
    final Scenario scenario;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final InMemoryGroupStore store = InMemoryGroupStore.create();
    final FanGroups[] instances = new FanGroups[2];
    final List<GroupId> groups = Collections.synchronizedList(new ArrayList<>());
    final Map<RequestId, GroupId> requests = new ConcurrentHashMap<>();
    final StringBuilder trace = new StringBuilder();
    final FamilyId family;

    Run(Scenario scenario, boolean separateProcesses) {
      this.scenario = scenario;
      AtomicLong counter = new AtomicLong();
      IdGenerator ids = kind -> kind + "-" + counter.incrementAndGet();
      for (int i = 0; i < 2; i++) {
        FanGroups.Builder builder = separateProcesses ? ProcessClient.process(store).policy("picky", PICKY)
            : FanGroups.builder().store(store);
        // Keyed results outlive every clock jump here: two racing runs of one keyed command must agree
        // even when a step moves the clock a day between them (past the default 24 h they may not).
        instances[i] = builder.clock(clock).idGenerator(ids).adminLimit(ADMIN_LIMIT)
            .groupsPerCreator(GROUPS_PER_CREATOR).requestTtl(REQUEST_TTL)
            .retention(RetentionPolicy.DEFAULT.withKeyedResults(Duration.ofDays(3_650))).build();
      }
      CommandContext creator = CommandContext.of(CREATOR);
      family = instances[0].createFamily(creator, "family").id();
      groups.add(instances[0].createGroup(creator, GroupSettings.builder().name("g-small").cap(3)
          .family(family).build()).id());
      groups.add(instances[1].createGroup(creator, GroupSettings.builder().name("g-picky").cap(4)
          .policy(PICKY).family(family).build()).id());
      trace.append("setup: family ").append(family).append(", groups ").append(groups).append('\n');
    }

    void execute() {
      try {
        checkInvariants("after setup");
        List<Step> steps = scenario.sequential();
        for (int i = 0; i < steps.size(); i++) {
          sequentialStep(i, steps.get(i));
          checkInvariants("after step " + i);
        }
        concurrentBatch(scenario.concurrent());
        checkInvariants("after the concurrent batch");
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("invariant broken (" + e.getMessage() + ")\ncommands run:\n" + trace, e);
      }
    }

    FanGroups fg(int i) {
      return instances[i % 2];
    }

    // ------------------------------------------------------------ sequential part

    void sequentialStep(int index, Step step) {
      FanGroups fg = fg(index);
      Call call = resolve(fg, step);
      if (call == null) {
        trace.append(index).append(": ").append(step).append(" -> skipped (nothing to act on)\n");
        return;
      }
      CommandContext ctx = call.actor() == null ? null : CommandContext.of(call.actor());
      if (ctx != null && step.keyed()) {
        ctx = ctx.withIdempotencyKey("k" + index);
      }
      // Judge the actor before the command, from the reference model, and check can() agrees.
      boolean lacking = false;
      boolean disbanded = false;
      if (call.group() != null && call.needs() != null) {
        Model model = Model.of(events(fg, call.group()));
        lacking = !model.can(call.actor(), call.needs());
        disbanded = model.disbanded;
        assertThat(fg.can(call.group(), call.actor(), call.needs()))
            .as("can(%s, %s, %s) against the model", call.group(), call.actor(), call.needs()).isEqualTo(!lacking);
      } else if (step.kind() == Kind.LEAVE || step.kind() == Kind.WITHDRAW) {
        // Not a capability, but the same kind of right: only a member leaves, only the applicant withdraws.
        Model model = Model.of(events(fg, call.group()));
        disbanded = model.disbanded;
        lacking = step.kind() == Kind.LEAVE
            ? !model.roles.containsKey(call.actor())
            : !fg.request(call.requestId()).applicant().equals(call.actor());
      }
      fg.expireOverdueRequests(); // as a host's schedule does: a refusal below then has nothing to expire first
      Map<GroupId, Long> before = sequences(fg);
      trace.append(index).append(": ").append(call.text()).append(ctx != null && step.keyed() ? " [key]" : "");
      Object result;
      try {
        result = call.command().run(fg, ctx);
      } catch (FanGroupsException e) {
        trace.append(" -> ").append(e.code()).append('\n');
        seen(step.kind() + ":" + e.code());
        assertThat(sequences(fg)).as("a refused %s changed nothing", call.text()).isEqualTo(before);
        if (lacking) {
          assertRefusedForLack(e.code(), disbanded, call);
        }
        assertThat(e.getMessage()).as("the message of %s", e.code()).startsWith(e.code() + ": ");
        assertThat(e.getMessage().substring(e.code().name().length() + 2)).as("what %s says", e.code()).isNotBlank();
        if (ctx != null && step.keyed()) {
          // A refused command is not remembered: its retry runs again, on the same state, to the same refusal.
          Map<GroupId, Long> afterFirst = sequences(fg);
          try {
            Object retried = call.command().run(fg(index + 1), ctx);
            throw new AssertionError("the retry of refused " + call.text() + " succeeded with " + brief(retried));
          } catch (FanGroupsException again) {
            trace.append("   retry with the same key -> ").append(again.code()).append('\n');
            assertThat(again.code()).as("retry of refused %s", call.text()).isEqualTo(e.code());
          }
          assertThat(sequences(fg)).as("retry of refused %s", call.text()).isEqualTo(afterFirst);
          seen("keyed retry of a refusal");
        }
        return;
      } catch (RuntimeException e) {
        trace.append(" -> ").append(e).append('\n');
        throw new AssertionError(call.text() + " threw " + e + " instead of a FanGroupsException", e);
      }
      trace.append(" -> ").append(brief(result)).append('\n');
      seen(step.kind() + ":ok");
      if (result instanceof BulkResult bulk) {
        bulk.items().forEach(item -> seen(step.kind() + ":item:" + item.outcome()));
      }
      if (lacking) {
        if (step.kind() == Kind.APPROVE_ALL) {
          BulkResult bulk = (BulkResult) result;
          for (BulkResult.Item item : bulk.items()) {
            assertThat(item.outcome()).as("approveAll by %s, who lacks %s", call.actor(), call.needs())
                .isNotIn(BulkResult.Outcome.APPROVED, BulkResult.Outcome.REJECTED, BulkResult.Outcome.NOT_ELIGIBLE);
            assertRefusedForLack(item.error().orElseThrow(), disbanded, call);
          }
          assertThat(sequences(fg)).as("approveAll by an actor lacking the capability changed nothing")
              .isEqualTo(before);
        } else {
          throw new AssertionError(call.text() + " succeeded although " + call.actor() + " lacks " + (call.needs() == null ? "the right to" : call.needs()));
        }
      }
      remember(result);
      checkSuccess(fg, call, result);
      if (ctx != null && step.keyed()) {
        Map<GroupId, Long> afterFirst = sequences(fg);
        Object retried = call.command().run(fg(index + 1), ctx);
        trace.append("   retry with the same key on the other instance -> ").append(brief(retried)).append('\n');
        assertThat(retried).as("idempotent retry of %s", call.text()).isEqualTo(result);
        assertThat(sequences(fg)).as("idempotent retry of %s added events", call.text()).isEqualTo(afterFirst);
        seen("keyed retry");
        // The same key for a different command is refused and changes nothing.
        GroupId first = groups.get(0);
        Command other = step.kind() == Kind.UNMUTE
            ? (f, c) -> f.unban(c, first, CREATOR)
            : (f, c) -> f.unmute(c, first, CREATOR);
        try {
          Object reused = other.run(fg(index + 1), ctx);
          throw new AssertionError("key of " + call.text() + " reused for another command returned " + brief(reused));
        } catch (FanGroupsException e) {
          assertThat(e.code()).as("key of %s reused for another command", call.text())
              .isEqualTo(ErrorCode.IDEMPOTENCY_KEY_REUSED);
        }
        assertThat(sequences(fg)).as("a reused key changed something").isEqualTo(afterFirst);
      }
    }

    void assertRefusedForLack(ErrorCode code, boolean disbanded, Call call) {
      Set<ErrorCode> allowed = EnumSet.copyOf(REFUSED);
      if (disbanded) {
        allowed.add(ErrorCode.GROUP_DISBANDED);
      }
      assertThat(code).as("%s by %s, who lacks %s", call.text(), call.actor(), call.needs()).isIn(allowed);
    }

    /** What a successful command must have done, read back through the API. */
    void checkSuccess(FanGroups fg, Call call, Object result) {
      Step s = call.step();
      switch (s.kind()) {
        case APPLY, APPLY_TO_FAMILY -> {
          JoinResult r = (JoinResult) result;
          if (r.joined()) {
            assertThat(fg.member(r.group(), call.actor())).as("%s joined", call.actor()).isEqualTo(r.member());
          } else {
            assertThat(fg.pendingRequests(r.group())).extracting(JoinRequest::applicant).contains(call.actor());
          }
        }
        case ADD_MEMBER -> assertThat(fg.member(call.group(), call.target())).contains((Member) result);
        case APPROVE -> assertThat(fg.member(call.group(), ((Member) result).user())).contains((Member) result);
        case LEAVE -> assertThat(fg.member(call.group(), call.actor())).isEmpty();
        case KICK -> assertThat(fg.member(call.group(), call.target())).isEmpty();
        case BAN -> {
          assertThat(fg.member(call.group(), call.target())).isEmpty();
          assertThat(fg.bannedUntil(call.group(), call.target())).isPresent();
        }
        case UNBAN -> assertThat(fg.bannedUntil(call.group(), call.target())).isEmpty();
        case MUTE -> assertThat(fg.mutedUntil(call.group(), call.target())).isPresent();
        case UNMUTE -> assertThat(fg.mutedUntil(call.group(), call.target())).isEmpty();
        case APPOINT_ADMIN -> assertThat(fg.member(call.group(), call.target()).map(Member::role))
            .contains(Role.ADMIN);
        case DISMISS_ADMIN -> assertThat(fg.member(call.group(), call.target()).map(Member::role))
            .contains(Role.MEMBER);
        case TRANSFER_OWNERSHIP -> assertThat(fg.group(call.group()).owner()).isEqualTo(call.target());
        case DISBAND -> assertThat(fg.group(call.group()).status()).isEqualTo(GroupStatus.DISBANDED);
        default -> { }
      }
    }

    void remember(Object result) {
      if (result instanceof JoinResult r) {
        r.request().ifPresent(q -> requests.put(q.id(), q.group()));
      } else if (result instanceof GroupInfo info && !groups.contains(info.id())) {
        groups.add(info.id());
      }
    }

    // ------------------------------------------------------------ concurrent part

    void concurrentBatch(List<Step> steps) {
      List<Call> calls = new ArrayList<>();
      List<CommandContext> contexts = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        Call call = resolve(fg(i), steps.get(i));
        if (call == null) {
          continue;
        }
        CommandContext ctx = call.actor() == null ? null : CommandContext.of(call.actor());
        if (ctx != null && steps.get(i).keyed()) {
          ctx = ctx.withIdempotencyKey("c" + i);
          // The same keyed command twice, racing itself.
          calls.add(call);
          contexts.add(ctx);
        }
        calls.add(call);
        contexts.add(ctx);
      }
      trace.append("concurrently on 4 threads: ");
      calls.forEach(c -> trace.append(c.text()).append("; "));
      trace.append('\n');
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < calls.size(); i++) {
        Call call = calls.get(i);
        CommandContext ctx = contexts.get(i);
        FanGroups fg = fg(i);
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return call.command().run(fg, ctx);
          } catch (FanGroupsException e) {
            return e;
          }
        }));
      }
      start.countDown();
      Map<CommandContext, Object> firstResultByKey = new HashMap<>();
      for (int i = 0; i < futures.size(); i++) {
        Object outcome;
        try {
          outcome = futures.get(i).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new AssertionError(calls.get(i).text() + " threw " + e.getCause()
              + " instead of a FanGroupsException", e.getCause());
        } catch (Exception e) {
          throw new AssertionError("concurrent " + calls.get(i).text() + " did not finish: " + e, e);
        }
        trace.append("  ").append(calls.get(i).text()).append(" -> ")
            .append(outcome instanceof FanGroupsException f ? f.code() : brief(outcome)).append('\n');
        if (outcome instanceof FanGroupsException) {
          continue;
        }
        remember(outcome);
        CommandContext ctx = contexts.get(i);
        if (ctx != null && ctx.idempotencyKey().isPresent()) {
          Object first = firstResultByKey.putIfAbsent(ctx, outcome);
          if (first != null) {
            assertThat(outcome).as("both racing runs of keyed %s", calls.get(i).text()).isEqualTo(first);
          }
        }
      }
    }

    // ------------------------------------------------------------ resolving a step

    Call resolve(FanGroups fg, Step s) {
      GroupId g = groups.get(s.group() % groups.size());
      UserId actor = actor(fg, s, g);
      UserId target = target(fg, s, g);
      int p = s.param();
      switch (s.kind()) {
        case CREATE_GROUP -> {
          UserId creator = p % 2 == 0 ? CREATOR : actor;
          GroupSettings settings = GroupSettings.builder().name("g" + p).cap(2 + p % 4).joinMode(MODES.get(p % 3))
              .policy(POLICIES.get(p / 3 % 3)).family(p % 5 < 2 ? family : null).build();
          return new Call(s, creator + ":createGroup(cap " + settings.cap() + ", " + settings.joinMode() + ", "
              + settings.policy() + (settings.family().isPresent() ? ", family" : "") + ")", creator, null, null,
              (f, c) -> f.createGroup(c, settings));
        }
        case APPLY -> {
          JoinSource source = p % 2 == 0 ? JoinSource.BUTTON : JoinSource.INVITE;
          return new Call(s, actor + ":apply(" + g + ", " + source + ")", actor, g, null, (f, c) -> f.apply(c, g, source));
        }
        case APPLY_TO_FAMILY -> {
          return new Call(s, actor + ":applyToFamily(" + family + ")", actor, null, null,
              (f, c) -> f.applyToFamily(c, family, JoinSource.BUTTON));
        }
        case APPROVE, REJECT, WITHDRAW -> {
          Optional<RequestId> chosen = request(fg, g, p);
          if (chosen.isEmpty()) {
            return null;
          }
          RequestId r = chosen.get();
          GroupId rg = requests.get(r);
          if (s.kind() == Kind.APPROVE) {
            return new Call(s, actor + ":approve(" + r + " of " + rg + ")", actor, rg, Capability.APPROVE_REQUESTS,
                (f, c) -> f.approve(c, r));
          }
          if (s.kind() == Kind.REJECT) {
            return new Call(s, actor + ":reject(" + r + " of " + rg + ")", actor, rg, Capability.APPROVE_REQUESTS,
                (f, c) -> f.reject(c.withReason("not now"), r));
          }
          UserId withdrawer = p % 3 == 0 ? actor : fg.request(r).applicant();
          return new Call(s, withdrawer + ":withdraw(" + r + " of " + rg + ")", withdrawer, rg, null,
              (f, c) -> f.withdraw(c, r), r, null);
        }
        case APPROVE_ALL -> {
          List<RequestId> ids = new ArrayList<>();
          fg.pendingRequests(g).forEach(q -> ids.add(q.id()));
          request(fg, g, p + 1).filter(r -> g.equals(requests.get(r)) && !ids.contains(r)).ifPresent(ids::add);
          if (ids.isEmpty()) {
            return null;
          }
          List<RequestId> fixed = List.copyOf(ids);
          return new Call(s, actor + ":approveAll(" + fixed + " of " + g + ")", actor, g, Capability.APPROVE_REQUESTS,
              (f, c) -> f.approveAll(c, fixed));
        }
        case ADD_MEMBER -> {
          return new Call(s, actor + ":addMember(" + g + ", " + target + ")", actor, g, Capability.ADD_MEMBERS,
              target, (f, c) -> f.addMember(c, g, target));
        }
        case LEAVE -> {
          return new Call(s, actor + ":leave(" + g + ")", actor, g, null, (f, c) -> {
            f.leave(c, g);
            return null;
          });
        }
        case KICK -> {
          return new Call(s, actor + ":kick(" + g + ", " + target + ")", actor, g, Capability.KICK, target, (f, c) -> {
            f.kick(c, g, target);
            return null;
          });
        }
        case BAN -> {
          Duration d = BANS.get(p % BANS.size());
          return new Call(s, actor + ":ban(" + g + ", " + target + ", " + d + ")", actor, g, Capability.BAN, target, (f, c) -> {
            f.ban(c, g, target, d);
            return null;
          });
        }
        case UNBAN -> {
          return new Call(s, actor + ":unban(" + g + ", " + target + ")", actor, g, Capability.BAN,
              target, (f, c) -> f.unban(c, g, target));
        }
        case MUTE -> {
          Duration d = BANS.get(p % BANS.size());
          return new Call(s, actor + ":mute(" + g + ", " + target + ", " + d + ")", actor, g, Capability.MUTE, target, (f, c) -> {
            f.mute(c, g, target, d);
            return null;
          });
        }
        case UNMUTE -> {
          return new Call(s, actor + ":unmute(" + g + ", " + target + ")", actor, g, Capability.MUTE,
              target, (f, c) -> f.unmute(c, g, target));
        }
        case APPOINT_ADMIN -> {
          return new Call(s, actor + ":appointAdmin(" + g + ", " + target + ")", actor, g, Capability.APPOINT_ADMINS, target,
              (f, c) -> {
                f.appointAdmin(c, g, target);
                return null;
              });
        }
        case DISMISS_ADMIN -> {
          return new Call(s, actor + ":dismissAdmin(" + g + ", " + target + ")", actor, g, Capability.APPOINT_ADMINS, target,
              (f, c) -> {
                f.dismissAdmin(c, g, target);
                return null;
              });
        }
        case TRANSFER_OWNERSHIP -> {
          return new Call(s, actor + ":transferOwnership(" + g + ", " + target + ")", actor, g,
              Capability.TRANSFER_OWNERSHIP, target, (f, c) -> {
                f.transferOwnership(c, g, target);
                return null;
              });
        }
        case UPDATE_SETTINGS -> {
          GroupSettings current = fg.group(g).settings();
          GroupSettings settings = current.toBuilder().cap(2 + p % 4).joinMode(MODES.get(p / 4 % MODES.size()))
              .policy(POLICIES.get(p / 24 % 3)).build();
          return new Call(s, actor + ":updateSettings(" + g + ", cap " + settings.cap() + ", " + settings.joinMode()
              + ", " + settings.policy() + ")", actor, g, Capability.EDIT_SETTINGS, (f, c) -> f.updateSettings(c, g, settings));
        }
        case PAUSE_JOINS -> {
          Instant until = p % 3 == 0 ? null : clock.instant().plus(SPANS.get(p % 2));
          return new Call(s, actor + ":pauseJoins(" + g + ", " + until + ")", actor, g, Capability.EDIT_SETTINGS,
              (f, c) -> f.pauseJoins(c, g, until));
        }
        case DISBAND -> {
          return new Call(s, actor + ":disband(" + g + ")", actor, g, Capability.DISBAND, (f, c) -> {
            f.disband(c, g);
            return null;
          });
        }
        case ADVANCE_CLOCK -> {
          Duration d = SPANS.get(p % SPANS.size());
          return new Call(s, "clock += " + d, null, null, null, (f, c) -> {
            clock.advance(d);
            return null;
          });
        }
        case EXPIRE_OVERDUE -> {
          return new Call(s, "expireOverdueRequests()", null, null, null, (f, c) -> f.expireOverdueRequests());
        }
        default -> throw new AssertionError(s.kind());
      }
    }

    UserId actor(FanGroups fg, Step s, GroupId g) {
      if (s.actor() < USERS.size()) {
        return USERS.get(s.actor());
      }
      List<Member> members = fg.members(g);
      if (s.actor() == ADMIN_OF_GROUP) {
        for (Member m : members) {
          if (m.role() == Role.ADMIN) {
            return m.user();
          }
        }
      }
      return fg.group(g).owner();
    }

    /** The target user: for two steps in three a member of the group (an admin to dismiss), else anyone. */
    UserId target(FanGroups fg, Step s, GroupId g) {
      List<Member> members = fg.members(g);
      boolean anyone = s.kind() == Kind.ADD_MEMBER || s.kind() == Kind.UNBAN || s.param() / 7 % 3 == 0;
      if (anyone || members.isEmpty()) {
        return USERS.get(s.target());
      }
      Role wanted = s.kind() == Kind.DISMISS_ADMIN ? Role.ADMIN : s.kind() == Kind.APPOINT_ADMIN ? Role.MEMBER : null;
      List<Member> fitting = members.stream().filter(m -> wanted == null || m.role() == wanted).toList();
      List<Member> from = fitting.isEmpty() ? members : fitting;
      return from.get(s.target() % from.size()).user();
    }

    /** For even {@code p} a pending request (of {@code g} or the next group that has one), else any seen so far. */
    Optional<RequestId> request(FanGroups fg, GroupId g, int p) {
      if (p % 2 == 0) {
        List<GroupId> all = List.copyOf(groups);
        for (int i = 0; i < all.size(); i++) {
          List<JoinRequest> pending = fg.pendingRequests(all.get((all.indexOf(g) + i) % all.size()));
          if (!pending.isEmpty()) {
            return Optional.of(pending.get(p / 2 % pending.size()).id());
          }
        }
      }
      List<RequestId> known = new ArrayList<>(requests.keySet());
      if (known.isEmpty()) {
        return Optional.empty();
      }
      known.sort((a, b) -> a.value().compareTo(b.value()));
      return Optional.of(known.get(p % known.size()));
    }

    // ------------------------------------------------------------ invariants

    Map<GroupId, Long> sequences(FanGroups fg) {
      Map<GroupId, Long> seqs = new HashMap<>();
      for (GroupId g : List.copyOf(groups)) {
        seqs.put(g, fg.group(g).lastSequence());
      }
      return seqs;
    }

    void checkInvariants(String when) {
      for (int i = 0; i < 2; i++) {
        FanGroups fg = instances[i];
        for (GroupId g : List.copyOf(groups)) {
          checkGroup(fg, g, when);
        }
      }
      FanGroups fg = instances[0];
      for (GroupInfo g : fg.familyGroups(family)) {
        assertThat(g.status()).isEqualTo(GroupStatus.ACTIVE);
        assertThat(g.owner()).as("%s: family groups belong to the family's creator", when).isEqualTo(CREATOR);
      }
    }

    void checkGroup(FanGroups fg, GroupId g, String when) {
      List<JoinRequest> pending = fg.pendingRequests(g); // leaves overdue requests out, without recording anything
      requests.forEach((id, rg) -> {
        if (rg.equals(g) && fg.request(id).status() == RequestStatus.EXPIRED) {
          seen("expired");
        }
      });
      GroupInfo info = fg.group(g);
      List<Member> members = fg.members(g);
      List<GroupEvent> log = events(fg, g);
      String at = when + ", group " + g;

      // event log: gapless from 1, and the group's last sequence is its end
      for (int i = 0; i < log.size(); i++) {
        assertThat(log.get(i).sequence()).as("%s: sequence at position %d", at, i).isEqualTo(i + 1L);
      }
      assertThat(info.lastSequence()).as("%s: lastSequence", at).isEqualTo(log.size());

      // cap, no duplicates, member count
      assertThat(members.size()).as("%s: members %s within cap %d", at, members, info.settings().cap())
          .isLessThanOrEqualTo(info.settings().cap());
      Set<UserId> users = new HashSet<>();
      for (Member m : members) {
        assertThat(users.add(m.user())).as("%s: %s is a member twice", at, m.user()).isTrue();
        assertThat(fg.bannedUntil(g, m.user())).as("%s: member %s has an active ban", at, m.user()).isEmpty();
      }
      assertThat(info.memberCount()).isEqualTo(members.size());

      // exactly one owner, the group's; admins within the limit
      List<UserId> owners = members.stream().filter(m -> m.role() == Role.OWNER).map(Member::user).toList();
      assertThat(owners).as("%s: owners among %s", at, members).containsExactly(info.owner());
      assertThat(members.stream().filter(m -> m.role() == Role.ADMIN).count()).as("%s: admins", at)
          .isLessThanOrEqualTo(ADMIN_LIMIT);

      // pending requests: one per user, pending, not of a member or a banned user, none once disbanded
      Set<UserId> applicants = new HashSet<>();
      for (JoinRequest r : pending) {
        assertThat(applicants.add(r.applicant())).as("%s: two pending requests of %s", at, r.applicant()).isTrue();
        assertThat(r.status()).isEqualTo(RequestStatus.PENDING);
        assertThat(r.group()).isEqualTo(g);
        assertThat(users).as("%s: pending applicant %s is a member", at, r.applicant()).doesNotContain(r.applicant());
        assertThat(fg.bannedUntil(g, r.applicant())).as("%s: pending applicant %s is banned", at, r.applicant()).isEmpty();
        assertThat(fg.request(r.id())).isEqualTo(r);
      }
      assertThat(info.pendingRequests()).isEqualTo(pending.size());
      if (info.status() == GroupStatus.DISBANDED) {
        assertThat(pending).as("%s: disbanded with pending requests", at).isEmpty();
      }

      // the reference model folded from the log agrees with the members and with can()
      Model model = Model.of(log);
      Map<UserId, Role> actual = new HashMap<>();
      members.forEach(m -> actual.put(m.user(), m.role()));
      assertThat(actual).as("%s: members against the fold of the log", at).isEqualTo(model.roles);
      assertThat(model.disbanded).isEqualTo(info.status() == GroupStatus.DISBANDED);
      Instant now = clock.instant();
      Map<RequestId, UserId> pendingNow = new HashMap<>();
      pending.forEach(r -> pendingNow.put(r.id(), r.applicant()));
      assertThat(pendingNow).as("%s: pending requests against the fold of the log", at).isEqualTo(model.pendingAt(now));
      for (JoinRequest r : pending) {
        assertThat(r.isPendingAt(now)).as("%s: %s is overdue but still pending", at, r.id()).isTrue();
      }
      for (UserId u : USERS) {
        assertThat(fg.bannedUntil(g, u)).as("%s: ban of %s against the log", at, u).isEqualTo(Model.active(model.bans, u, now));
        assertThat(fg.mutedUntil(g, u)).as("%s: mute of %s against the log", at, u).isEqualTo(Model.active(model.mutes, u, now));
        for (Capability c : Model.CHECKED) {
          assertThat(fg.can(g, u, c)).as("%s: can(%s, %s)", at, u, c).isEqualTo(model.can(u, c));
        }
      }
    }
  }

  static List<GroupEvent> events(FanGroups fg, GroupId g) {
    List<GroupEvent> log = new ArrayList<>();
    long after = 0;
    while (true) {
      List<GroupEvent> page = fg.events(g, after, 10_000);
      if (page.isEmpty()) {
        return log;
      }
      log.addAll(page);
      after = page.get(page.size() - 1).sequence();
    }
  }

  /** The reference model of one group: who holds which role, folded from its event log. */
  static final class Model {
    static final List<Capability> CHECKED = List.of(Capability.APPROVE_REQUESTS, Capability.ADD_MEMBERS,
        Capability.KICK, Capability.BAN, Capability.MUTE, Capability.EDIT_SETTINGS, Capability.APPOINT_ADMINS,
        Capability.TRANSFER_OWNERSHIP, Capability.DISBAND);

    final Map<UserId, Role> roles = new HashMap<>();
    final Map<UserId, Instant> bans = new HashMap<>();
    final Map<UserId, Instant> mutes = new HashMap<>();
    final Map<RequestId, UserId> pending = new HashMap<>();
    final Map<RequestId, Instant> expiresAt = new HashMap<>();
    boolean disbanded;

    /** The requests pending at {@code now}: queries do not record expiries, so overdue ones are still in the log. */
    Map<RequestId, UserId> pendingAt(Instant now) {
      Map<RequestId, UserId> live = new HashMap<>(pending);
      live.keySet().removeIf(id -> !now.isBefore(expiresAt.get(id)));
      return live;
    }

    static Model of(List<GroupEvent> log) {
      Model m = new Model();
      for (GroupEvent e : log) {
        GroupChange c = e.change();
        if (c instanceof GroupCreated created) {
          m.roles.put(created.owner(), Role.OWNER);
        } else if (c instanceof MemberJoined joined) {
          assertThat(m.roles).as("event %s: joined while a member", e.eventId()).doesNotContainKey(joined.member().user());
          m.roles.put(joined.member().user(), joined.member().role());
        } else if (c instanceof MemberLeft left) {
          assertThat(m.roles).as("event %s: left while not a member", e.eventId()).containsKey(left.user());
          m.roles.remove(left.user());
        } else if (c instanceof RoleChanged changed) {
          assertThat(m.roles.get(changed.user())).as("event %s", e.eventId()).isEqualTo(changed.from());
          m.roles.put(changed.user(), changed.to());
        } else if (c instanceof OwnershipTransferred t) {
          m.roles.put(t.from(), t.previousOwnerRole());
          m.roles.put(t.to(), Role.OWNER);
        } else if (c instanceof GroupChange.GroupDisbanded) {
          m.disbanded = true;
        } else if (c instanceof GroupChange.UserBanned b) {
          m.bans.put(b.user(), b.until());
        } else if (c instanceof GroupChange.UserUnbanned u) {
          m.bans.remove(u.user());
        } else if (c instanceof GroupChange.UserMuted mu) {
          m.mutes.put(mu.user(), mu.until());
        } else if (c instanceof GroupChange.UserUnmuted u) {
          m.mutes.remove(u.user());
        } else if (c instanceof GroupChange.RequestSubmitted r) {
          assertThat(m.pending).as("event %s: a second pending request", e.eventId()).doesNotContainValue(r.request().applicant());
          m.pending.put(r.request().id(), r.request().applicant());
          m.expiresAt.put(r.request().id(), r.request().expiresAt());
        } else if (c instanceof GroupChange.RequestHandled h) {
          assertThat(m.pending).as("event %s: handled a request that was not pending", e.eventId()).containsKey(h.request());
          m.pending.remove(h.request());
        }
      }
      return m;
    }

    /** The end of {@code user}'s ban or mute at {@code now}, as the log says. */
    static Optional<Instant> active(Map<UserId, Instant> timed, UserId user, Instant now) {
      Instant until = timed.get(user);
      return until != null && now.isBefore(until) ? Optional.of(until) : Optional.empty();
    }

    /** Default role capabilities, as the SDK is built here; nothing in a disbanded group. */
    boolean can(UserId user, Capability capability) {
      Role role = roles.get(user);
      return !disbanded && role != null && role.defaultCapabilities().contains(capability);
    }
  }

  private static String brief(Object result) {
    if (result instanceof JoinResult r) {
      return r.joined() ? "joined " + r.group() : "request " + r.request().orElseThrow().id() + " in " + r.group();
    }
    if (result instanceof Member m) {
      return "member " + m.user();
    }
    if (result instanceof GroupInfo info) {
      return "group " + info.id() + " cap " + info.settings().cap() + " " + info.settings().joinMode();
    }
    if (result instanceof BulkResult b) {
      return "bulk " + b.items().stream().map(i -> i.request() + "=" + i.outcome()).toList();
    }
    if (result instanceof JoinRequest r) {
      return "request " + r.id() + " " + r.status();
    }
    return String.valueOf(result);
  }

  /** A clock the test moves forward. */
  static final class MutableClock extends Clock {
    private final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      this.now = new AtomicReference<>(start);
    }

    void advance(Duration d) {
      now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public String toString() {
      return "MutableClock[" + now.get() + "]";
    }
  }
}
