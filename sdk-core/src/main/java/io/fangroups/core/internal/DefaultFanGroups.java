package io.fangroups.core.internal;

import io.fangroups.core.BulkResult;
import io.fangroups.core.Capability;
import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinPreview;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.JoinResult;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionStage;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.admission.internal.Admission;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.internal.ContentCommands;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.GroupDisbanded;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange.OwnershipTransferred;
import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupChange.RequestSubmitted;
import io.fangroups.core.event.GroupChange.RoleChanged;
import io.fangroups.core.event.GroupChange.SettingsChanged;
import io.fangroups.core.event.GroupChange.UserBanned;
import io.fangroups.core.event.GroupChange.UserMuted;
import io.fangroups.core.event.GroupChange.UserUnbanned;
import io.fangroups.core.event.GroupChange.UserUnmuted;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.GroupEventListener;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.event.Subscription;
import io.fangroups.core.event.internal.DefaultOutboxRelay;
import io.fangroups.core.internal.Transition.Changes;
import io.fangroups.core.internal.format.PolicyCodec;
import io.fangroups.core.internal.format.StoreCodec;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeLimits;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.core.passcode.internal.PasscodeCommands;
import io.fangroups.core.passcode.internal.PasscodeHasher;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.spi.FactSource.UserFacts;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.IdGenerator;
import io.fangroups.spi.PreJoinHook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service: checks, policy calls and idempotency around transitions run by the store. */
public final class DefaultFanGroups implements FanGroups {
  private static final Logger log = LoggerFactory.getLogger(DefaultFanGroups.class);
  private static final AdmissionDecision ADDED_BY_ADMIN =
      new AdmissionDecision(Verdict.ALLOW, List.of("ADDED_BY_ADMIN"), "added by an owner or admin");

  private final GroupRepository store;
  /** Idempotency records in the store, when other processes share it; null for an in-memory store. */
  private final StoreIdempotency acrossProcesses;
  private final Clock clock;
  private final IdGenerator ids;
  private final int groupsPerCreator;
  private final int adminLimit;
  private final Duration requestTtl;
  private final Map<Role, Set<Capability>> capabilities = new EnumMap<>(Role.class);
  private final Admission admission;
  private final PasscodeCommands passcodes;
  private final DefaultOutboxRelay relay;
  private final ContentCommands content;

  public DefaultFanGroups(Wiring b) {
    List<String> defaults = new ArrayList<>();
    GroupStore groupStore = orDefault(b.store(), MemoryGroupStore::new, "in-memory store", defaults);
    this.store = groupStore instanceof MemoryGroupStore inMemory ? inMemory.repository()
        : new GroupRepository(groupStore, new StoreCodec(new PolicyCodec(
            b.ruleCompiler() != null ? b.ruleCompiler() : RuleCompiler.of(), b.policies(), !groupStore.sharedAcrossProcesses())),
            false);
    if (groupStore.sharedAcrossProcesses() && b.passcodeKeys() == null) {
      throw new IllegalStateException("a store shared across processes needs passcode keys every instance shares: "
          + "set FanGroups.Builder.passcodeKeys(...)");
    }
    this.clock = orDefault(b.clock(), Clock::systemUTC, "system clock", defaults);
    this.ids = orDefault(b.ids(), IdGenerator::randomUuids, "random UUID ids", defaults);
    this.groupsPerCreator = b.groupsPerCreator() != null ? b.groupsPerCreator() : FanGroups.Builder.DEFAULT_GROUPS_PER_CREATOR;
    this.adminLimit = b.adminLimit() != null ? b.adminLimit() : FanGroups.Builder.DEFAULT_ADMIN_LIMIT;
    this.requestTtl = b.requestTtl() != null ? b.requestTtl() : FanGroups.Builder.DEFAULT_REQUEST_TTL;
    for (Role role : Role.values()) {
      capabilities.put(role, b.capabilities().getOrDefault(role, role.defaultCapabilities()));
    }
    PasscodeHasher hasher = new PasscodeHasher(orDefault(b.passcodeKeys(), () -> store.generatedKeys,
        "passcode keys (random, shared by instances on this store)", defaults));
    this.acrossProcesses = store.access().exclusive ? null : new StoreIdempotency(store.access(), hasher);
    AttemptLimiter attemptLimiter = orDefault(b.attemptLimiter(), () -> store.attempts, "in-memory attempt limiter",
        defaults);
    if (b.attemptLimiter() != null && !attemptLimiter.sharedAcrossInstances()) {
      log.warn("fangroups: the attempt limiter {} is not shared across instances; with several instances each "
          + "grants its own passcode limits", attemptLimiter.getClass().getName());
    }
    this.passcodes = new PasscodeCommands(this, store, ids, clock, hasher, attemptLimiter,
        b.passcodeLimits() != null ? b.passcodeLimits() : PasscodeLimits.DEFAULT,
        b.blocklist() != null ? b.blocklist() : Passcodes.defaultBlocklist(),
        b.passcodesPerTarget() != null ? b.passcodesPerTarget() : FanGroups.Builder.DEFAULT_PASSCODES_PER_TARGET);
    this.content = new ContentCommands(this, ids, clock);
    this.admission = new Admission(orDefault(b.factSource(), FactSource::none, "fact source (every fact unknown)", defaults),
        b.factTimeout() != null ? b.factTimeout() : FanGroups.Builder.DEFAULT_FACT_TIMEOUT,
        Optional.ofNullable(b.preJoinHook()),
        b.preJoinHookTimeout() != null ? b.preJoinHookTimeout() : FanGroups.Builder.DEFAULT_HOOK_TIMEOUT,
        b.preJoinHookFailure() != null ? b.preJoinHookFailure() : PreJoinHook.FailureMode.REJECT);
    this.relay = new DefaultOutboxRelay(store, Optional.ofNullable(b.eventPublisher()),
        Optional.ofNullable(b.messageTransport()), b.relayOptions() != null ? b.relayOptions() : OutboxRelay.Options.DEFAULT);
    if ((b.eventPublisher() != null || b.messageTransport() != null) && !Boolean.FALSE.equals(b.startRelay())) {
      relay.start();
    }
    if (!defaults.isEmpty()) {
      log.info("fangroups: nothing configured for {}; using the defaults (in-memory state is lost on restart)",
          String.join(", ", defaults));
    }
  }

  private static <T> T orDefault(T configured, Supplier<T> fallback, String what, List<String> defaults) {
    if (configured != null) {
      return configured;
    }
    defaults.add(what);
    return fallback.get();
  }

  // ---------------------------------------------------------------- groups

  @Override
  public GroupInfo createGroup(CommandContext ctx, GroupSettings settings) {
    need(ctx, "ctx");
    need(settings, "settings");
    return idempotent(ctx, "createGroup", () -> {
      settings.family().ifPresent(f -> requireOwnFamily(f, ctx.actor()));
      GroupId id = GroupId.of(ids.newId("g"));
      return store.create(ctx.actor(), groupsPerCreator, id, now(), Attribution.of(ctx), settings);
    }, settings);
  }

  @Override
  public Family createFamily(CommandContext ctx, String name) {
    need(ctx, "ctx");
    return idempotent(ctx, "createFamily", () -> {
      Family family = new Family(FamilyId.of(ids.newId("f")), ctx.actor(), name);
      store.addFamily(family);
      return family;
    }, name);
  }

  @Override
  public GroupInfo updateSettings(CommandContext ctx, GroupId group, GroupSettings settings) {
    need(ctx, "ctx");
    need(group, "group");
    need(settings, "settings");
    return idempotent(ctx, "updateSettings", () -> {
      UserId owner = store.read(group, s -> s.owner);
      settings.family().ifPresent(f -> requireOwnFamily(f, owner));
      write(group, (state, out) -> {
        require(state, ctx.actor(), Capability.EDIT_SETTINGS);
        if (!owner.equals(state.owner)) {
          throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "the group changed owner meanwhile; retry");
        }
        if (settings.cap() < state.members.size()) {
          throw new FanGroupsException(ErrorCode.CAP_BELOW_MEMBER_COUNT, "cap " + settings.cap() + " is below the "
              + state.members.size() + " current members; remove members first");
        }
        Attribution by = Attribution.of(ctx);
        if (settings.joinMode() == JoinMode.CLOSED && state.settings.joinMode() != JoinMode.CLOSED) {
          cancelPending(state, out, by, "group closed to joins");
        }
        out.emit(by, new SettingsChanged(settings));
        return null;
      });
      return group(group);
    }, group, settings);
  }

  @Override
  public GroupInfo pauseJoins(CommandContext ctx, GroupId group, Instant until) {
    need(ctx, "ctx");
    need(group, "group");
    return idempotent(ctx, "pauseJoins", () -> {
      write(group, (state, out) -> {
        require(state, ctx.actor(), Capability.EDIT_SETTINGS);
        out.emit(Attribution.of(ctx), new SettingsChanged(state.settings.toBuilder().pausedUntil(until).build()));
        return null;
      });
      return group(group);
    }, group, until);
  }

  @Override
  public void appointAdmin(CommandContext ctx, GroupId group, UserId member) {
    changeRole(ctx, group, member, Role.MEMBER, Role.ADMIN);
  }

  @Override
  public void dismissAdmin(CommandContext ctx, GroupId group, UserId admin) {
    changeRole(ctx, group, admin, Role.ADMIN, Role.MEMBER);
  }

  private void changeRole(CommandContext ctx, GroupId group, UserId target, Role from, Role to) {
    need(ctx, "ctx");
    need(group, "group");
    need(target, "user");
    idempotent(ctx, "changeRole", () -> write(group, (state, out) -> {
      Role actorRole = require(state, ctx.actor(), Capability.APPOINT_ADMINS);
      Role current = targetRole(state, target);
      requireOutranks(actorRole, current, target);
      if (current != from) {
        throw Checks.invalid(target + " is " + current + ", not " + from);
      }
      if (to == Role.ADMIN && state.adminCount() >= adminLimit) {
        throw new FanGroupsException(ErrorCode.ADMIN_LIMIT_REACHED, "the group already has " + adminLimit
            + " admins, the limit; dismiss one first");
      }
      out.emit(Attribution.of(ctx), new RoleChanged(target, from, to));
      return null;
    }), group, target, to);
  }

  @Override
  public void transferOwnership(CommandContext ctx, GroupId group, UserId newOwner) {
    need(ctx, "ctx");
    need(group, "group");
    need(newOwner, "newOwner");
    idempotent(ctx, "transferOwnership", () -> {
      // A non-owner is refused before the new owner's quota is looked at, so the quota is not disclosed.
      store.read(group, s -> {
        require(s, ctx.actor(), Capability.TRANSFER_OWNERSHIP);
        return targetRole(s, newOwner); // NOT_A_MEMBER before anything about the new owner's quota
      });
      return store.transfer(group, newOwner, groupsPerCreator, now(), (state, out) -> {
        requireActive(state);
        if (!ctx.actor().equals(state.owner)) {
          throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "only the owner can transfer the group");
        }
        Role targetRole = targetRole(state, newOwner);
        if (targetRole == Role.OWNER) {
          throw Checks.invalid(newOwner + " already owns the group");
        }
        long adminsAfter = state.adminCount() - (targetRole == Role.ADMIN ? 1 : 0);
        Role previousOwnerRole = adminsAfter < adminLimit ? Role.ADMIN : Role.MEMBER;
        Attribution by = Attribution.of(ctx);
        out.emit(by, new OwnershipTransferred(ctx.actor(), newOwner, previousOwnerRole));
        if (state.settings.family().isPresent()) {
          // Families belong to a creator; the group leaves its old owner's family.
          out.emit(by, new SettingsChanged(state.settings.toBuilder().family(null).build()));
        }
        return null;
      });
    }, group, newOwner);
  }

  @Override
  public void disband(CommandContext ctx, GroupId group) {
    need(ctx, "ctx");
    need(group, "group");
    idempotent(ctx, "disband", () -> write(group, (state, out) -> {
      require(state, ctx.actor(), Capability.DISBAND);
      Attribution by = Attribution.of(ctx);
      cancelPending(state, out, by, "group disbanded");
      out.emit(by, new GroupDisbanded());
      return null;
    }), group);
  }

  // ---------------------------------------------------------------- joining

  @Override
  public JoinResult apply(CommandContext ctx, GroupId group, JoinSource source) {
    need(ctx, "ctx");
    need(group, "group");
    requireApplySource(source);
    return idempotent(ctx, "apply", () -> applyOnce(ctx, group, source, Optional.empty()), group, source);
  }

  @Override
  public JoinResult applyToFamily(CommandContext ctx, FamilyId familyId, JoinSource source) {
    need(ctx, "ctx");
    need(familyId, "family");
    requireApplySource(source);
    return idempotent(ctx, "applyToFamily", () -> applyToFamilyOnce(ctx, familyId, source, Optional.empty()),
        familyId, source);
  }

  public JoinResult applyToFamilyOnce(CommandContext ctx, FamilyId familyId, JoinSource source,
      Optional<PasscodeCommands.PasscodeUse> code) {
    List<GroupInfo> candidates = familyGroups(familyId);
    UserId user = ctx.actor();
    for (GroupInfo g : candidates) {
      store.read(g.id(), s -> {
        if (s.members.containsKey(user)) {
          throw new FanGroupsException(ErrorCode.ALREADY_MEMBER, user + " is already a member of " + g.id() + " in this family");
        }
        if (s.pendingRequestOf(user).filter(r -> r.isPendingAt(now())).isPresent()) {
          throw new FanGroupsException(ErrorCode.REQUEST_ALREADY_PENDING, user + " already applied to " + g.id() + " in this family");
        }
        return null;
      });
    }
    FanGroupsException denied = null;
    FanGroupsException otherwise = null;
    int full = 0;
    for (GroupInfo g : candidates) {
      try {
        return applyOnce(ctx, g.id(), source, code);
      } catch (FanGroupsException e) {
        switch (e.code()) {
          case GROUP_FULL -> full++;
          case NOT_ELIGIBLE -> denied = denied == null ? e : denied;
          case BANNED, JOINS_CLOSED, JOINS_PAUSED, JOIN_MODE_MISMATCH, GROUP_DISBANDED -> otherwise = otherwise == null ? e : otherwise;
          default -> throw e;
        }
      }
    }
    if (full > 0 && (denied == null || full == candidates.size())) {
      throw new FanGroupsException(ErrorCode.FAMILY_FULL, "all " + full + " groups of family " + familyId
          + " that would take " + user + " are full");
    }
    if (denied != null) {
      throw denied;
    }
    if (otherwise != null) {
      throw otherwise;
    }
    throw new FanGroupsException(ErrorCode.JOINS_CLOSED, "family " + familyId + " has no active group");
  }

  /**
   * One application to one group, through the button, an invite or a passcode. The policy runs
   * outside the lock; if the settings changed before the lock was taken, it runs again.
   */
  public JoinResult applyOnce(CommandContext ctx, GroupId group, JoinSource source, Optional<PasscodeCommands.PasscodeUse> code) {
    UserId user = ctx.actor();
    while (true) {
      Instant now = now();
      GroupState.Snapshot before = store.read(group, GroupState::snapshot);
      // Cheap refusals first, so the policy is not consulted for a request that cannot succeed.
      store.read(group, s -> {
        checkCanApply(s, user, source, now);
        return null;
      });
      AdmissionDecision decision = admission.evaluate(before, user, group, source, AdmissionStage.APPLY, now);
      if (decision.verdict() == Verdict.DENY) {
        throw Admission.notEligible(user, group, decision);
      }
      Transition<Optional<JoinResult>> admit = (state, out) -> {
        if (!before.matches(state)) {
          return Optional.empty(); // the policy ran on settings that changed meanwhile: decide again
        }
        long codeAt = code.isPresent() ? code.get().checkLive() : 0; // before the seat, as its error comes first
        checkCanApply(state, user, source, now);
        code.ifPresent(c -> c.take(out, codeAt)); // emitted below with the seat or the request, in one append
        // A passcode's own mode decides; an owner who issued a JOIN code meant it to admit.
        boolean admitsAtOnce = code.isPresent() ? code.get().info().spec().mode() == PasscodeMode.JOIN
            : state.settings.joinMode() == JoinMode.OPEN;
        Attribution by = Attribution.of(ctx).withPasscode(code.map(c -> c.info().id()));
        if (admitsAtOnce && decision.verdict() == Verdict.ALLOW) {
          Member member = new Member(user, Role.MEMBER, now, source, Optional.empty());
          out.emit(by.withSource(source), new MemberJoined(member, decision));
          return Optional.of(new JoinResult(group, Optional.of(member), Optional.empty(), decision));
        }
        RequestId requestId = RequestId.of(ids.newId("r"));
        if (store.groupOf(requestId).isPresent()) {
          throw new IllegalStateException("id generator returned a used request id " + requestId);
        }
        JoinRequest request = new JoinRequest(requestId, group, user, source, RequestStatus.PENDING,
            now, now.plus(requestTtl), Optional.empty(), Optional.empty(), ctx.reason(), decision);
        out.emit(by.withRequest(request.id(), source), new RequestSubmitted(request));
        return Optional.of(new JoinResult(group, Optional.empty(), Optional.of(request), decision));
      };
      // The policy, facts and hook ran above without any lock; a passcode's use is taken in the
      // transition, together with the seat.
      Optional<JoinResult> result = write(group, now, admit);
      if (result.isPresent()) {
        return result.get();
      }
    }
  }

  @Override
  public Member addMember(CommandContext ctx, GroupId group, UserId user) {
    need(ctx, "ctx");
    need(group, "group");
    need(user, "user");
    return idempotent(ctx, "addMember", () -> write(group, (state, out) -> {
      require(state, ctx.actor(), Capability.ADD_MEMBERS);
      Instant now = now();
      if (state.members.containsKey(user)) {
        throw new FanGroupsException(ErrorCode.ALREADY_MEMBER, user + " is already a member of " + group);
      }
      requireNotBanned(state, user, now);
      requireSeat(state);
      Attribution by = Attribution.of(ctx).withSource(JoinSource.ADMIN_ADD);
      state.pendingRequestOf(user).ifPresent(r -> out.emit(
          Attribution.of(ctx).withRequest(r.id(), r.source()), new RequestHandled(r.id(), user, RequestStatus.CANCELLED)));
      Member member = new Member(user, Role.MEMBER, now, JoinSource.ADMIN_ADD, Optional.empty());
      out.emit(by, new MemberJoined(member, ADDED_BY_ADMIN));
      return member;
    }), group, user);
  }

  @Override
  public Member approve(CommandContext ctx, RequestId requestId) {
    need(ctx, "ctx");
    need(requestId, "request");
    return idempotent(ctx, "approve", () -> approveOnce(ctx, requestId, Map.of()), requestId);
  }

  /** What one attempt at approval came to. */
  private enum Approval { APPROVED, STALE }

  private record Attempt(Approval how, Member member) {}

  /**
   * Approves one request. {@code prefetched} holds facts a bulk approval fetched in one batch per
   * group; anything not in it is fetched now.
   */
  private Member approveOnce(CommandContext ctx, RequestId requestId, Map<GroupId, Map<String, UserFacts>> prefetched) {
    GroupId group = groupOf(requestId);
    while (true) {
      Instant now = now();
      GroupState.Snapshot before = store.read(group, GroupState::snapshot);
      JoinRequest pending = store.read(group, s -> {
        require(s, ctx.actor(), Capability.APPROVE_REQUESTS);
        return requirePending(s, requestId);
      });
      UserFacts facts = prefetched.getOrDefault(group, Map.of()).get(pending.applicant().value());
      AdmissionDecision decision = facts != null
          ? admission.evaluate(before, pending.applicant(), group, pending.source(), AdmissionStage.APPROVAL, now, facts)
          : admission.evaluate(before, pending.applicant(), group, pending.source(), AdmissionStage.APPROVAL, now);
      if (decision.verdict() == Verdict.DENY) {
        // Nothing changes: the request waits, so the fan can still meet the rule and be approved.
        throw Admission.notEligible(pending.applicant(), group, decision);
      }
      Attempt attempt = write(group, now, (state, out) -> {
        if (!before.matches(state)) {
          return new Attempt(Approval.STALE, null); // the policy ran on settings that changed meanwhile
        }
        require(state, ctx.actor(), Capability.APPROVE_REQUESTS);
        JoinRequest request = requirePending(state, requestId);
        requireSeat(state);
        Member member = new Member(request.applicant(), Role.MEMBER, now, request.source(), Optional.of(requestId));
        Attribution by = Attribution.of(ctx).withRequest(requestId, request.source());
        out.emit(by, new RequestHandled(requestId, request.applicant(), RequestStatus.APPROVED));
        out.emit(by, new MemberJoined(member, decision));
        return new Attempt(Approval.APPROVED, member);
      });
      if (attempt.how() == Approval.APPROVED) {
        return attempt.member();
      }
    }
  }

  @Override
  public JoinRequest reject(CommandContext ctx, RequestId requestId) {
    need(ctx, "ctx");
    need(requestId, "request");
    return idempotent(ctx, "reject", () -> handle(ctx, requestId, RequestStatus.REJECTED), requestId);
  }

  @Override
  public JoinRequest withdraw(CommandContext ctx, RequestId requestId) {
    need(ctx, "ctx");
    need(requestId, "request");
    return idempotent(ctx, "withdraw", () -> handle(ctx, requestId, RequestStatus.WITHDRAWN), requestId);
  }

  private JoinRequest handle(CommandContext ctx, RequestId requestId, RequestStatus outcome) {
    Instant now = now();
    return write(groupOf(requestId), now, (state, out) -> {
      requireActive(state);
      JoinRequest request = state.requests.get(requestId);
      if (outcome == RequestStatus.WITHDRAWN) {
        if (!request.applicant().equals(ctx.actor())) {
          throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "only the applicant can withdraw request " + requestId);
        }
      } else {
        require(state, ctx.actor(), Capability.APPROVE_REQUESTS);
      }
      requirePending(state, requestId);
      out.emit(Attribution.of(ctx).withRequest(requestId, request.source()),
          new RequestHandled(requestId, request.applicant(), outcome));
      return request.handled(outcome, Optional.of(ctx.actor()), now, ctx.reason());
    });
  }

  @Override
  public BulkResult approveAll(CommandContext ctx, List<RequestId> requests) {
    need(ctx, "ctx");
    List<RequestId> ids = Checks.noNulls(requests, "requests");
    return idempotent(ctx, "approveAll", () -> {
      Map<GroupId, Map<String, UserFacts>> prefetched = prefetchFacts(ids);
      return BulkResult.run(ids, BulkResult.Outcome.APPROVED, id -> approveOnce(ctx, id, prefetched));
    }, ids);
  }

  /** One fact-source call per group for all the applicants of a bulk approval. */
  private Map<GroupId, Map<String, UserFacts>> prefetchFacts(List<RequestId> ids) {
    Map<GroupId, List<UserId>> applicants = new java.util.LinkedHashMap<>();
    for (RequestId id : ids) {
      store.groupOf(id).ifPresent(group -> store.read(group, s -> {
        JoinRequest r = s.requests.get(id);
        if (r.status() == RequestStatus.PENDING) {
          applicants.computeIfAbsent(group, g -> new ArrayList<>()).add(r.applicant());
        }
        return null;
      }));
    }
    Map<GroupId, Map<String, UserFacts>> facts = new java.util.HashMap<>();
    applicants.forEach((group, users) -> {
      // A failed batch is left out, so each approval fetches again and fails on its own if it must.
      admission.fetchFacts(store.read(group, GroupState::snapshot), group, users).ifPresent(fetched -> {
        Map<String, UserFacts> complete = new java.util.HashMap<>(fetched);
        users.forEach(u -> complete.putIfAbsent(u.value(), UserFacts.unknown()));
        facts.put(group, complete);
      });
    });
    return facts;
  }

  @Override
  public BulkResult rejectAll(CommandContext ctx, List<RequestId> requests) {
    need(ctx, "ctx");
    List<RequestId> ids = Checks.noNulls(requests, "requests");
    return idempotent(ctx, "rejectAll", () -> BulkResult.run(ids, BulkResult.Outcome.REJECTED,
        id -> handle(ctx, id, RequestStatus.REJECTED)), ids);
  }

  @Override
  public int expireOverdueRequests() {
    Instant now = now();
    int expired = 0;
    for (GroupId id : store.allGroups()) {
      expired += store.expireOverdue(id, now);
    }
    return expired;
  }

  // ---------------------------------------------------------------- passcodes

  @Override
  public IssuedPasscode createPasscode(CommandContext ctx, PasscodeSpec spec) {
    return passcodes.create(ctx, spec);
  }

  @Override
  public PasscodeInfo revokePasscode(CommandContext ctx, PasscodeId passcode) {
    return passcodes.revoke(ctx, passcode);
  }

  @Override
  public IssuedPasscode resetPasscode(CommandContext ctx, PasscodeId passcode) {
    return passcodes.reset(ctx, passcode);
  }

  @Override
  public PasscodeInfo passcode(PasscodeId passcode) {
    return passcodes.info(passcode);
  }

  @Override
  public List<PasscodeInfo> livePasscodes(GroupId group) {
    need(group, "group");
    group(group); // GROUP_NOT_FOUND for an unknown id
    return passcodes.live(group);
  }

  @Override
  public List<PasscodeInfo> livePasscodes(FamilyId family) {
    need(family, "family");
    family(family);
    return passcodes.live(family);
  }

  @Override
  public JoinResult redeemPasscode(CommandContext ctx, String pastedText, ClientInfo client) {
    return passcodes.redeem(ctx, Optional.empty(), pastedText, client);
  }

  @Override
  public JoinResult redeemPasscode(CommandContext ctx, GroupId group, String pastedText, ClientInfo client) {
    need(group, "group");
    return passcodes.redeem(ctx, Optional.of(group), pastedText, client);
  }

  @Override
  public void resetPasscodeAttempts(UserId user) {
    passcodes.resetAttempts(user);
  }

  // ---------------------------------------------------------------- membership

  @Override
  public void leave(CommandContext ctx, GroupId group) {
    need(ctx, "ctx");
    need(group, "group");
    idempotent(ctx, "leave", () -> write(group, (state, out) -> {
      requireActive(state);
      Role role = targetRole(state, ctx.actor());
      if (role == Role.OWNER) {
        throw new FanGroupsException(ErrorCode.OWNER_CANNOT_LEAVE, "the owner cannot leave; transfer ownership or disband");
      }
      out.emit(Attribution.of(ctx), new MemberLeft(ctx.actor(), GroupChange.Departure.LEFT));
      return null;
    }), group);
  }

  @Override
  public void kick(CommandContext ctx, GroupId group, UserId member) {
    need(ctx, "ctx");
    need(group, "group");
    need(member, "member");
    idempotent(ctx, "kick", () -> write(group, (state, out) -> {
      Role actorRole = require(state, ctx.actor(), Capability.KICK);
      requireOutranks(actorRole, targetRole(state, member), member);
      out.emit(Attribution.of(ctx), new MemberLeft(member, GroupChange.Departure.KICKED));
      return null;
    }), group, member);
  }

  @Override
  public void ban(CommandContext ctx, GroupId group, UserId user, Duration duration) {
    need(ctx, "ctx");
    need(group, "group");
    need(user, "user");
    Checks.positive(duration, "duration");
    idempotent(ctx, "ban", () -> write(group, (state, out) -> {
      Role actorRole = require(state, ctx.actor(), Capability.BAN);
      if (user.equals(ctx.actor())) {
        throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "nobody can ban themselves");
      }
      boolean member = requireOutranksIfMember(state, actorRole, user);
      Attribution by = Attribution.of(ctx);
      out.emit(by, new UserBanned(user, until(now(), duration)));
      if (member) {
        out.emit(by, new MemberLeft(user, GroupChange.Departure.BANNED));
      }
      state.pendingRequestOf(user).ifPresent(r -> out.emit(Attribution.of(ctx.withReason("applicant banned"))
          .withRequest(r.id(), r.source()), new RequestHandled(r.id(), user, RequestStatus.CANCELLED)));
      return null;
    }), group, user, duration);
  }

  @Override
  public boolean unban(CommandContext ctx, GroupId group, UserId user) {
    return lift(ctx, group, user, Capability.BAN);
  }

  /** Lifts an active ban (BAN) or mute (MUTE); returns whether one was active. */
  private boolean lift(CommandContext ctx, GroupId group, UserId user, Capability capability) {
    need(ctx, "ctx");
    need(group, "group");
    need(user, "user");
    boolean ban = capability == Capability.BAN;
    return idempotent(ctx, ban ? "unban" : "unmute", () -> write(group, (state, out) -> {
      requireOutranksIfMember(state, require(state, ctx.actor(), capability), user);
      Optional<Instant> active = ban ? state.bannedUntil(user, now()) : state.mutedUntil(user, now());
      if (active.isEmpty()) {
        return false;
      }
      out.emit(Attribution.of(ctx), ban ? new UserUnbanned(user) : new UserUnmuted(user));
      return true;
    }), group, user);
  }

  @Override
  public void mute(CommandContext ctx, GroupId group, UserId member, Duration duration) {
    need(ctx, "ctx");
    need(group, "group");
    need(member, "member");
    Checks.positive(duration, "duration");
    idempotent(ctx, "mute", () -> write(group, (state, out) -> {
      Role actorRole = require(state, ctx.actor(), Capability.MUTE);
      requireOutranks(actorRole, targetRole(state, member), member);
      out.emit(Attribution.of(ctx), new UserMuted(member, until(now(), duration)));
      return null;
    }), group, member, duration);
  }

  @Override
  public boolean unmute(CommandContext ctx, GroupId group, UserId user) {
    return lift(ctx, group, user, Capability.MUTE);
  }

  // ---------------------------------------------------------------- content

  @Override
  public GroupMessage post(CommandContext ctx, GroupId group, MessageContent message) {
    return content.post(ctx, group, message);
  }

  @Override
  public void setSlowMode(CommandContext ctx, GroupId group, Duration interval) {
    content.setSlowMode(ctx, group, interval);
  }

  // ---------------------------------------------------------------- queries

  @Override
  public GroupInfo group(GroupId group) {
    need(group, "group");
    return store.read(group, GroupState::info);
  }

  @Override
  public List<GroupInfo> groupsOf(UserId owner) {
    need(owner, "owner");
    return store.ownedBy(owner).stream().map(this::group).toList();
  }

  @Override
  public JoinPreview preview(UserId viewer, GroupId group) {
    need(viewer, "viewer");
    need(group, "group");
    return admission.preview(viewer, List.of(store.read(group, GroupState::snapshot)), now(), store).get(0);
  }

  @Override
  public List<JoinPreview> previewGroupsOf(UserId viewer, UserId creator) {
    need(viewer, "viewer");
    need(creator, "creator");
    List<GroupState.Snapshot> groups = store.ownedBy(creator).stream()
        .map(id -> store.read(id, GroupState::snapshot)).filter(s -> s.status() == GroupStatus.ACTIVE).toList();
    return admission.preview(viewer, groups, now(), store);
  }

  @Override
  public Family family(FamilyId family) {
    need(family, "family");
    return store.family(family).orElseThrow(
        () -> new FanGroupsException(ErrorCode.FAMILY_NOT_FOUND, "no family " + family));
  }

  @Override
  public List<GroupInfo> familyGroups(FamilyId familyId) {
    Family family = family(familyId);
    return groupsOf(family.creator()).stream()
        .filter(g -> g.status() == GroupStatus.ACTIVE && g.settings().family().equals(Optional.of(familyId)))
        .toList();
  }

  @Override
  public List<Member> members(GroupId group) {
    need(group, "group");
    return store.read(group, s -> List.copyOf(s.members.values()));
  }

  @Override
  public Optional<Member> member(GroupId group, UserId user) {
    need(group, "group");
    need(user, "user");
    return store.read(group, s -> Optional.ofNullable(s.members.get(user)));
  }

  @Override
  public List<JoinRequest> pendingRequests(GroupId group) {
    need(group, "group");
    return write(group, (state, out) -> state.pendingByUser.values().stream().map(state.requests::get)
        .sorted(Comparator.comparing(JoinRequest::createdAt)).toList());
  }

  @Override
  public JoinRequest request(RequestId request) {
    need(request, "request");
    return write(groupOf(request), (state, out) -> state.requests.get(request));
  }

  @Override
  public Optional<Instant> bannedUntil(GroupId group, UserId user) {
    need(group, "group");
    need(user, "user");
    return store.read(group, s -> s.bannedUntil(user, now()));
  }

  @Override
  public Optional<Instant> mutedUntil(GroupId group, UserId user) {
    need(group, "group");
    need(user, "user");
    return store.read(group, s -> s.mutedUntil(user, now()));
  }

  @Override
  public boolean can(GroupId group, UserId user, Capability capability) {
    need(group, "group");
    need(user, "user");
    need(capability, "capability");
    return store.read(group, s -> s.status == GroupStatus.ACTIVE
        && s.roleOf(user).map(r -> capabilities.get(r).contains(capability)).orElse(false));
  }

  @Override
  public List<GroupEvent> events(GroupId group, long afterSequence, int limit) {
    need(group, "group");
    if (afterSequence < 0 || limit < 1 || limit > 10_000) {
      throw Checks.invalid("afterSequence must be >= 0 and limit in 1..10000, got " + afterSequence + ", " + limit);
    }
    List<GroupEvent> events = store.events(group, afterSequence, limit);
    if (events.isEmpty() && store.lastSequence(group) == 0) { // asked of the stream: no need to load the group
      throw new FanGroupsException(ErrorCode.GROUP_NOT_FOUND, "no group " + group);
    }
    return events;
  }

  @Override
  public Subscription subscribe(GroupEventListener listener) {
    need(listener, "listener");
    return store.subscribe(listener);
  }

  @Override
  public OutboxRelay relay() {
    return relay;
  }

  // ---------------------------------------------------------------- helpers

  private Instant now() {
    return clock.instant();
  }

  public <R> R write(GroupId group, Transition<R> transition) {
    return store.write(group, now(), transition);
  }

  /** Runs the transition with the instant its caller already read, so checks and expiry agree. */
  private <R> R write(GroupId group, Instant now, Transition<R> transition) {
    return store.write(group, now, transition);
  }

  /**
   * Runs a command once per idempotency key, as one command scope: listeners hear of its events
   * after it returns and every lock is released.
   */
  public <R> R idempotent(CommandContext ctx, String command, Supplier<R> body, Object... args) {
    if (ctx.idempotencyKey().isEmpty()) {
      return store.inCommand(body); // no key, no record: the fingerprint (a SHA-256) is not needed
    }
    String fingerprint = Idempotency.fingerprint(command, ctx.reason().orElse(null), args);
    // This process's record first (a concurrent retry here waits for the first attempt), then the store's.
    Supplier<R> once = acrossProcesses == null ? body : () -> acrossProcesses.run(ctx, fingerprint, body);
    return store.inCommand(() -> store.idempotency.run(ctx, fingerprint, once));
  }

  private static <T> T need(T value, String name) {
    return Checks.notNull(value, name);
  }

  private static void requireApplySource(JoinSource source) {
    need(source, "source");
    if (source != JoinSource.BUTTON && source != JoinSource.INVITE) {
      throw Checks.invalid("apply takes BUTTON or INVITE; passcodes and admin adds have their own commands, got " + source);
    }
  }

  private GroupId groupOf(RequestId request) {
    return store.groupOf(request).orElseThrow(
        () -> new FanGroupsException(ErrorCode.REQUEST_NOT_FOUND, "no join request " + request));
  }

  private void requireOwnFamily(FamilyId familyId, UserId owner) {
    Family family = family(familyId);
    if (!family.creator().equals(owner)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "family " + familyId + " belongs to another creator");
    }
  }

  public static void requireActive(GroupState state) {
    if (state.status != GroupStatus.ACTIVE) {
      throw new FanGroupsException(ErrorCode.GROUP_DISBANDED, "group " + state.id + " was disbanded");
    }
  }

  /** The actor's role, if it has {@code capability} in an active group. */
  public Role require(GroupState state, UserId actor, Capability capability) {
    requireActive(state);
    Role role = state.roleOf(actor).orElseThrow(() -> new FanGroupsException(ErrorCode.NOT_PERMITTED,
        actor + " is not a member of " + state.id + " and cannot " + capability));
    if (!capabilities.get(role).contains(capability)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, actor + " is " + role + " of " + state.id
          + " and lacks " + capability);
    }
    return role;
  }

  private static Role targetRole(GroupState state, UserId user) {
    return state.roleOf(user).orElseThrow(
        () -> new FanGroupsException(ErrorCode.NOT_A_MEMBER, user + " is not a member of " + state.id));
  }

  private static void requireOutranks(Role actor, Role target, UserId targetUser) {
    if (!actor.outranks(target)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "a " + actor + " cannot act on " + targetUser
          + ", who is " + target);
    }
  }

  /** Bans and lifts may name non-members; a member must rank below the actor. Returns whether a member. */
  private static boolean requireOutranksIfMember(GroupState state, Role actor, UserId user) {
    Optional<Role> target = state.roleOf(user);
    target.ifPresent(role -> requireOutranks(actor, role, user));
    return target.isPresent();
  }

  private static void requireNotBanned(GroupState state, UserId user, Instant now) {
    Optional<Instant> until = state.bannedUntil(user, now);
    if (until.isPresent()) {
      throw new FanGroupsException(ErrorCode.BANNED, user + " is banned from " + state.id
          + (until.get().equals(Instant.MAX) ? " for ever" : " until " + until.get()));
    }
  }

  private static void requireSeat(GroupState state) {
    if (state.isFull()) {
      throw new FanGroupsException(ErrorCode.GROUP_FULL, "group " + state.id + " is full (" + state.settings.cap()
          + " members)");
    }
  }

  private static JoinRequest requirePending(GroupState state, RequestId id) {
    JoinRequest request = state.requests.get(id);
    if (request.status() != RequestStatus.PENDING) {
      throw new FanGroupsException(ErrorCode.REQUEST_NOT_PENDING, "request " + id + " is already " + request.status());
    }
    return request;
  }

  private static void checkCanApply(GroupState state, UserId user, JoinSource source, Instant now) {
    requireActive(state);
    if (state.members.containsKey(user)) {
      throw new FanGroupsException(ErrorCode.ALREADY_MEMBER, user + " is already a member of " + state.id);
    }
    requireNotBanned(state, user, now);
    if (state.pendingRequestOf(user).filter(r -> r.isPendingAt(now)).isPresent()) {
      throw new FanGroupsException(ErrorCode.REQUEST_ALREADY_PENDING, user + " already has a pending request for " + state.id);
    }
    JoinMode mode = state.settings.joinMode();
    if (mode == JoinMode.CLOSED) {
      throw new FanGroupsException(ErrorCode.JOINS_CLOSED, "group " + state.id + " is closed to new members");
    }
    if (mode == JoinMode.PASSCODE_ONLY && source != JoinSource.PASSCODE) {
      throw new FanGroupsException(ErrorCode.JOIN_MODE_MISMATCH, "group " + state.id + " admits only by passcode");
    }
    if (state.settings.pausedAt(now)) {
      throw new FanGroupsException(ErrorCode.JOINS_PAUSED, "joins to " + state.id + " are paused until "
          + state.settings.pausedUntil().get());
    }
    requireSeat(state);
  }

  private static void cancelPending(GroupState state, Changes out, Attribution by, String why) {
    for (RequestId id : state.pendingByUser.values()) {
      JoinRequest r = state.requests.get(id);
      out.emit(by.withRequest(id, r.source()).withReason(why), new RequestHandled(id, r.applicant(), RequestStatus.CANCELLED));
    }
  }

  private static Instant until(Instant now, Duration duration) {
    try {
      return now.plus(duration);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      return Instant.MAX;
    }
  }
}
