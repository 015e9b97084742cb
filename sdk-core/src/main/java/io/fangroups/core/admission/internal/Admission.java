package io.fangroups.core.admission.internal;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinPreview;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.AdmissionStage;
import io.fangroups.core.admission.Applicant;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.GroupState;
import io.fangroups.spi.FactSource.FactQuery;
import io.fangroups.spi.FactSource.UserFacts;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.PreJoinHook;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Asks a group's admission policy about an applicant, with the facts it needs from the host. */
public final class Admission {
  private static final Logger log = LoggerFactory.getLogger(Admission.class);

  private final FactSource factSource;
  private final Duration factTimeout;
  private final Optional<PreJoinHook> hook;
  private final Duration hookTimeout;
  private final PreJoinHook.FailureMode hookFailure;

  public Admission(FactSource factSource, Duration factTimeout, Optional<PreJoinHook> hook, Duration hookTimeout,
      PreJoinHook.FailureMode hookFailure) {
    this.factSource = factSource;
    this.factTimeout = factTimeout;
    this.hook = hook;
    this.hookTimeout = hookTimeout;
    this.hookFailure = hookFailure;
  }

  public AdmissionDecision evaluate(GroupState.Snapshot group, UserId user, GroupId id, JoinSource source,
      AdmissionStage stage, Instant now) {
    UserFacts facts = factsFor(fetchFacts(group, id, List.of(user)), stage, id).getOrDefault(user.value(),
        UserFacts.unknown());
    return evaluate(group, user, id, source, stage, now, facts);
  }

  /**
   * A fetch that failed or timed out as a whole leaves the facts unknown when a user applies, so the
   * rule answers REVIEW or DENY as its policy says. At approval it fails the command instead
   * (POLICY_FAILED, the request stays pending): the owner asked for a decision on real facts, and
   * an unknown-means-REVIEW rule would otherwise admit. Single facts the host marks failed, or a
   * user missing from an answer, are unknown at both stages.
   */
  public static Map<String, UserFacts> factsFor(Optional<Map<String, UserFacts>> fetched, AdmissionStage stage,
      GroupId id) {
    if (fetched.isPresent()) {
      return fetched.get();
    }
    if (stage == AdmissionStage.APPROVAL) {
      throw new FanGroupsException(ErrorCode.POLICY_FAILED, "facts for the admission rule of " + id
          + " are unavailable; the request stays pending, retry later");
    }
    return Map.of();
  }

  public AdmissionDecision evaluate(GroupState.Snapshot group, UserId user, GroupId id, JoinSource source,
      AdmissionStage stage, Instant now, UserFacts facts) {
    Applicant applicant = new Applicant(user, id, group.owner(), source, stage, now, facts);
    AdmissionDecision decision;
    try {
      decision = group.settings().policy().evaluate(applicant);
    } catch (RuntimeException e) {
      throw new FanGroupsException(ErrorCode.POLICY_FAILED, "the admission policy of " + id + " failed for " + user
          + "; nothing was changed, retry later", e);
    }
    if (decision == null) {
      throw new FanGroupsException(ErrorCode.POLICY_FAILED, "the admission policy of " + id + " returned null");
    }
    if (stage == AdmissionStage.APPLY && decision.verdict() != Verdict.DENY && hook.isPresent()) {
      return withHook(decision, askHook(applicant));
    }
    return decision;
  }

  /** The host's verdict, or the failure mode's when the hook times out or fails. */
  private PreJoinHook.Verdict askHook(Applicant applicant) {
    PreJoinHook.JoinAttempt attempt = new PreJoinHook.JoinAttempt(applicant.group().value(),
        applicant.creator().value(), applicant.user().value(),
        applicant.source().name().toLowerCase(java.util.Locale.ROOT));
    try {
      PreJoinHook.Verdict verdict = hook.get().beforeJoin(attempt).toCompletableFuture()
          .get(hookTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (verdict != null) {
        return verdict;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException | ExecutionException | RuntimeException e) {
      log.warn("fangroups: pre-join hook failed for {} in {}; applying failure mode {}", applicant.user(),
          applicant.group(), hookFailure, e instanceof ExecutionException ? e.getCause() : e);
    }
    return switch (hookFailure) {
      case ALLOW -> PreJoinHook.Verdict.allow();
      case REVIEW -> new PreJoinHook.Verdict(PreJoinHook.Outcome.REVIEW, "");
      case REJECT -> throw new FanGroupsException(ErrorCode.JOIN_HOOK_FAILED, "the platform could not check "
          + "this application in time; nothing was changed, try again");
    };
  }

  /** The stricter of the policy's decision and the host's verdict. */
  private static AdmissionDecision withHook(AdmissionDecision decision, PreJoinHook.Verdict verdict) {
    List<String> reasons = new java.util.ArrayList<>(decision.reasons());
    return switch (verdict.outcome()) {
      case ALLOW -> decision;
      case REVIEW -> {
        reasons.add("HOOK_REVIEW");
        yield new AdmissionDecision(Verdict.REVIEW, reasons, verdict.reason().isEmpty() ? decision.summary()
            : verdict.reason(), decision.explanation());
      }
      case DENY -> new AdmissionDecision(Verdict.DENY, List.of("HOOK_DENIED"), verdict.reason());
    };
  }

  /**
   * The policy's facts for these users in one batched call, waiting at most the fact timeout. A
   * timeout or failure leaves every fact unknown, which policies never read as allow.
   */
  public Optional<Map<String, UserFacts>> fetchFacts(GroupState.Snapshot group, GroupId id, List<UserId> users) {
    return fetchFacts(group.settings().policy(), group.owner(), id, users);
  }

  /**
   * A red packet's eligibility rule's decision about a member claiming it, with the facts it reads
   * fetched as on apply (a failed fetch leaves them unknown, which the rule never reads as allow).
   * The pre-join hook is not asked: a claim is not a join.
   */
  public AdmissionDecision evaluateClaim(AdmissionPolicy policy, UserId owner, GroupId id, Member member, Instant now) {
    UserFacts facts = fetchFacts(policy, owner, id, List.of(member.user())).orElse(Map.of())
        .getOrDefault(member.user().value(), UserFacts.unknown());
    AdmissionDecision decision;
    try {
      decision = policy.evaluate(new Applicant(member.user(), id, owner, member.source(), AdmissionStage.CLAIM, now, facts));
    } catch (RuntimeException e) {
      throw new FanGroupsException(ErrorCode.POLICY_FAILED, "the eligibility rule of a red packet in " + id
          + " failed for " + member.user() + "; nothing was changed, retry later", e);
    }
    if (decision == null) {
      throw new FanGroupsException(ErrorCode.POLICY_FAILED, "the eligibility rule of a red packet in " + id + " returned null");
    }
    return decision;
  }

  private Optional<Map<String, UserFacts>> fetchFacts(AdmissionPolicy policy, UserId owner, GroupId id,
      List<UserId> users) {
    Set<String> needed;
    try {
      needed = policy.requiredFacts();
    } catch (RuntimeException e) {
      throw new FanGroupsException(ErrorCode.POLICY_FAILED, "the admission policy of " + id + " failed", e);
    }
    if (needed == null || needed.isEmpty() || users.isEmpty()) {
      return Optional.of(Map.of());
    }
    int batch = Math.max(1, factSource.maxBatchSize());
    List<FactQuery> queries = new java.util.ArrayList<>();
    for (int from = 0; from < users.size(); from += batch) {
      List<String> ids = users.subList(from, Math.min(users.size(), from + batch)).stream().map(UserId::value).toList();
      queries.add(new FactQuery(owner.value(), id.value(), ids, needed));
    }
    return fetch(queries.toArray(FactQuery[]::new));
  }

  /** Runs the queries at once under one deadline; empty when any fails or times out. */
  private Optional<Map<String, UserFacts>> fetch(FactQuery... queries) {
    String group = queries[0].groupId();
    try {
      List<java.util.concurrent.CompletableFuture<Map<String, UserFacts>>> calls = java.util.Arrays.stream(queries)
          .map(q -> factSource.fetch(q).toCompletableFuture()).toList();
      long deadline = System.nanoTime() + factTimeout.toNanos();
      Map<String, UserFacts> facts = new java.util.HashMap<>();
      for (var call : calls) {
        Map<String, UserFacts> answer = call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (answer != null) {
          facts.putAll(answer);
        }
      }
      return Optional.of(facts);
    } catch (TimeoutException e) {
      log.warn("fangroups: fact source did not answer within {} for group {}; facts are unknown", factTimeout, group);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("fangroups: interrupted while fetching facts for group {}; facts are unknown", group);
    } catch (ExecutionException | RuntimeException e) {
      log.warn("fangroups: fact source failed for group {}; facts are unknown", group, e);
    }
    return Optional.empty();
  }

  /**
   * Previews for one viewer across groups: situation checks under each group's lock, then one
   * batched fact fetch for the union of the facts the groups' policies read, then each policy.
   */
  public List<JoinPreview> preview(UserId viewer, List<GroupState.Snapshot> groups, Instant now, GroupRepository store) {
    Set<String> needed = new java.util.TreeSet<>();
    groups.forEach(g -> needed.addAll(g.settings().policy().requiredFacts()));
    UserFacts facts = UserFacts.unknown();
    if (!needed.isEmpty() && !groups.isEmpty()) {
      GroupState.Snapshot first = groups.get(0);
      facts = fetch(new FactQuery(first.owner().value(), first.id().value(), List.of(viewer.value()), needed))
          .map(m -> m.getOrDefault(viewer.value(), UserFacts.unknown())).orElse(UserFacts.unknown());
    }
    List<JoinPreview> previews = new java.util.ArrayList<>();
    for (GroupState.Snapshot g : groups) {
      GroupInfo info = store.read(g.id(), s -> s.info(now));
      JoinPreview.Availability situation = store.read(g.id(), s -> situation(s, viewer, now));
      if (situation != null) {
        previews.add(new JoinPreview(info, situation, Optional.empty()));
        continue;
      }
      AdmissionDecision decision = policyDecision(g, viewer, now, facts);
      JoinPreview.Availability availability = switch (decision.verdict()) {
        case DENY -> JoinPreview.Availability.NOT_ELIGIBLE;
        case REVIEW -> JoinPreview.Availability.CAN_APPLY;
        case ALLOW -> g.settings().joinMode() == JoinMode.OPEN ? JoinPreview.Availability.CAN_JOIN
            : JoinPreview.Availability.CAN_APPLY;
      };
      previews.add(new JoinPreview(info, availability, Optional.of(decision)));
    }
    return previews;
  }

  /** The situation that settles the preview before the policy is asked, or null. */
  private static JoinPreview.Availability situation(GroupState s, UserId viewer, Instant now) {
    if (s.status != GroupStatus.ACTIVE) {
      return JoinPreview.Availability.DISBANDED;
    } else if (s.members.containsKey(viewer)) {
      return JoinPreview.Availability.MEMBER;
    } else if (s.bannedUntil(viewer, now).isPresent()) {
      return JoinPreview.Availability.BANNED;
    } else if (s.pendingRequestOf(viewer).filter(r -> r.isPendingAt(now)).isPresent()) {
      return JoinPreview.Availability.PENDING;
    } else if (s.settings.joinMode() == JoinMode.CLOSED) {
      return JoinPreview.Availability.CLOSED;
    } else if (s.settings.joinMode() == JoinMode.PASSCODE_ONLY) {
      return JoinPreview.Availability.PASSCODE_ONLY;
    } else if (s.settings.pausedAt(now)) {
      return JoinPreview.Availability.PAUSED;
    } else if (s.isFull()) {
      return JoinPreview.Availability.FULL;
    }
    return null;
  }

  /** The policy's decision for a preview: the same call as on apply, without the hook. */
  private static AdmissionDecision policyDecision(GroupState.Snapshot g, UserId viewer, Instant now, UserFacts facts) {
    try {
      AdmissionDecision d = g.settings().policy().evaluate(
          new Applicant(viewer, g.id(), g.owner(), JoinSource.BUTTON, AdmissionStage.APPLY, now, facts));
      return d != null ? d : AdmissionDecision.review("", "POLICY_FAILED");
    } catch (RuntimeException e) {
      log.warn("fangroups: admission policy of {} failed in a preview", g.id(), e);
      return AdmissionDecision.review("", "POLICY_FAILED");
    }
  }

  public static FanGroupsException notEligible(UserId user, GroupId group, AdmissionDecision decision) {
    String summary = decision.summary().isEmpty() ? String.join(", ", decision.reasons()) : decision.summary();
    return new FanGroupsException(ErrorCode.NOT_ELIGIBLE, user + " may not join " + group + ": " + summary, decision, null);
  }
}
