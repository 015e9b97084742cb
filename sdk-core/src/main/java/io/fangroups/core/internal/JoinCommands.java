package io.fangroups.core.internal;

import io.fangroups.core.BulkResult;
import io.fangroups.core.Capability;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.JoinMode;
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
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupChange.RequestSubmitted;
import io.fangroups.core.internal.Transition.Changes;
import io.fangroups.core.passcode.internal.PasscodeCommands;
import io.fangroups.spi.FactSource.UserFacts;
import io.fangroups.spi.IdGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joining: applications through the button, an invite, a family or a passcode; admin adds;
 * approval, rejection and withdrawal of requests, one by one and in bulk; expiry. The admission
 * policy runs outside the group's lock and is checked again inside it against the settings it ran
 * on, so the cap and "one pending request" hold under any concurrency.
 */
public final class JoinCommands {
  private static final AdmissionDecision ADDED_BY_ADMIN =
      new AdmissionDecision(Verdict.ALLOW, List.of("ADDED_BY_ADMIN"), "added by an owner or admin");

  private final GroupRepository store;
  private final CommandRunner runner;
  private final Permissions permissions;
  private final Queries queries;
  private final Admission admission;
  private final IdGenerator ids;
  private final Duration requestTtl;

  public JoinCommands(GroupRepository store, CommandRunner runner, Permissions permissions, Queries queries,
      Admission admission, IdGenerator ids, Duration requestTtl) {
    this.store = store;
    this.runner = runner;
    this.permissions = permissions;
    this.queries = queries;
    this.admission = admission;
    this.ids = ids;
    this.requestTtl = requestTtl;
  }

  public JoinResult apply(CommandContext ctx, GroupId group, JoinSource source) {
        return runner.idempotent(ctx, "apply", () -> applyOnce(ctx, group, source, Optional.empty()), group, source);
  }

  public JoinResult applyToFamily(CommandContext ctx, FamilyId familyId, JoinSource source) {
        return runner.idempotent(ctx, "applyToFamily", () -> applyToFamilyOnce(ctx, familyId, source, Optional.empty()),
        familyId, source);
  }

  public JoinResult applyToFamilyOnce(CommandContext ctx, FamilyId familyId, JoinSource source,
      Optional<PasscodeCommands.PasscodeUse> code) {
    List<GroupInfo> candidates = queries.familyGroups(familyId);
    UserId user = ctx.actor();
    for (GroupInfo g : candidates) {
      store.read(g.id(), s -> {
        if (s.members.containsKey(user)) {
          throw new FanGroupsException(ErrorCode.ALREADY_MEMBER, user + " is already a member of " + g.id() + " in this family");
        }
        if (s.pendingRequestOf(user).filter(r -> r.isPendingAt(runner.now())).isPresent()) {
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
      Instant now = runner.now();
      // Cheap refusals first, so the policy is not consulted for a request that cannot succeed.
      GroupState.Snapshot before = store.read(group, s -> {
        checkCanApply(s, user, source, now);
        return s.snapshot();
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
        // A passcode follows the join mode unless its maker chose otherwise: only a JOIN code admits
        // at once in an APPROVAL group.
        JoinMode joinMode = state.settings.joinMode();
        boolean admitsAtOnce = code.isPresent() ? code.get().info().spec().mode().admitsAtOnceIn(joinMode)
            : joinMode == JoinMode.OPEN;
        Attribution by = Attribution.of(ctx).withPasscode(code.map(c -> c.info().id()));
        if (admitsAtOnce && decision.verdict() == Verdict.ALLOW) {
          Member member = new Member(user, Role.MEMBER, now, source, Optional.empty());
          out.emit(by.withSource(source), new MemberJoined(member, decision.withoutExplanation()));
          return Optional.of(new JoinResult(group, Optional.of(member), Optional.empty(), decision));
        }
        RequestId requestId = RequestId.of(ids.newId("r"));
        if (store.groupOf(requestId).isPresent()) {
          throw new IllegalStateException("id generator returned a used request id " + requestId);
        }
        JoinRequest request = new JoinRequest(requestId, group, user, source, RequestStatus.PENDING,
            now, now.plus(requestTtl), Optional.empty(), Optional.empty(), ctx.reason(), decision.withoutExplanation());
        out.emit(by.withRequest(request.id(), source), new RequestSubmitted(request));
        return Optional.of(new JoinResult(group, Optional.empty(), Optional.of(request), decision));
      };
      // The policy, facts and hook ran above without any lock; a passcode's use is taken in the
      // transition, together with the seat.
      Optional<JoinResult> result = runner.write(group, now, admit);
      if (result.isPresent()) {
        return result.get();
      }
    }
  }

  public Member addMember(CommandContext ctx, GroupId group, UserId user) {
    return runner.idempotent(ctx, "addMember", () -> runner.write(group, (state, out) -> {
      permissions.require(state, ctx.actor(), Capability.ADD_MEMBERS);
      Instant now = runner.now();
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

  public Member approve(CommandContext ctx, RequestId requestId) {
    return runner.idempotent(ctx, "approve", () -> approveOnce(ctx, requestId, Map.of()), requestId);
  }

  /** What one attempt at approval came to. */
  private enum Approval { APPROVED, STALE }

  private record Attempt(Approval how, Member member) {}

  /**
   * Approves one request. {@code prefetched} holds facts a bulk approval fetched in one batch per
   * group; anything not in it is fetched now.
   */
  private Member approveOnce(CommandContext ctx, RequestId requestId, Map<GroupId, Map<String, UserFacts>> prefetched) {
    GroupId group = queries.groupOf(requestId);
    while (true) {
      Instant now = runner.now();
      GroupState.Snapshot before = store.read(group, GroupState::snapshot);
      JoinRequest pending = store.read(group, s -> {
        permissions.require(s, ctx.actor(), Capability.APPROVE_REQUESTS);
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
      Attempt attempt = runner.write(group, now, (state, out) -> {
        if (!before.matches(state)) {
          return new Attempt(Approval.STALE, null); // the policy ran on settings that changed meanwhile
        }
        permissions.require(state, ctx.actor(), Capability.APPROVE_REQUESTS);
        JoinRequest request = requirePending(state, requestId);
        requireSeat(state);
        Member member = new Member(request.applicant(), Role.MEMBER, now, request.source(), Optional.of(requestId));
        Attribution by = Attribution.of(ctx).withRequest(requestId, request.source());
        out.emit(by, new RequestHandled(requestId, request.applicant(), RequestStatus.APPROVED));
        out.emit(by, new MemberJoined(member, decision.withoutExplanation()));
        return new Attempt(Approval.APPROVED, member);
      });
      if (attempt.how() == Approval.APPROVED) {
        return attempt.member();
      }
    }
  }

  public JoinRequest reject(CommandContext ctx, RequestId requestId) {
    return runner.idempotent(ctx, "reject", () -> handle(ctx, requestId, RequestStatus.REJECTED), requestId);
  }

  public JoinRequest withdraw(CommandContext ctx, RequestId requestId) {
    return runner.idempotent(ctx, "withdraw", () -> handle(ctx, requestId, RequestStatus.WITHDRAWN), requestId);
  }

  private JoinRequest handle(CommandContext ctx, RequestId requestId, RequestStatus outcome) {
    Instant now = runner.now();
    return runner.write(queries.groupOf(requestId), now, (state, out) -> {
      Permissions.requireActive(state);
      JoinRequest request = state.requests.get(requestId);
      if (outcome == RequestStatus.WITHDRAWN) {
        if (!request.applicant().equals(ctx.actor())) {
          throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "only the applicant can withdraw request " + requestId);
        }
      } else {
        permissions.require(state, ctx.actor(), Capability.APPROVE_REQUESTS);
      }
      requirePending(state, requestId);
      out.emit(Attribution.of(ctx).withRequest(requestId, request.source()),
          new RequestHandled(requestId, request.applicant(), outcome));
      return request.handled(outcome, Optional.of(ctx.actor()), now, ctx.reason());
    });
  }

  public BulkResult approveAll(CommandContext ctx, List<RequestId> requests) {
    List<RequestId> ids = Checks.noNulls(requests, "requests");
    return runner.idempotent(ctx, "approveAll", () -> {
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

  public BulkResult rejectAll(CommandContext ctx, List<RequestId> requests) {
    List<RequestId> ids = Checks.noNulls(requests, "requests");
    return runner.idempotent(ctx, "rejectAll", () -> BulkResult.run(ids, BulkResult.Outcome.REJECTED,
        id -> handle(ctx, id, RequestStatus.REJECTED)), ids);
  }

  public int expireOverdueRequests() {
    return store.expireDue(runner.now());
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
    Permissions.requireActive(state);
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

  static void cancelPending(GroupState state, Changes out, Attribution by, String why) {
    for (RequestId id : state.pendingByUser.values()) {
      JoinRequest r = state.requests.get(id);
      out.emit(by.withRequest(id, r.source()).withReason(why), new RequestHandled(id, r.applicant(), RequestStatus.CANCELLED));
    }
  }
}
