package io.fangroups.examples.http;

import io.fangroups.core.AdmissionDecision;
import io.fangroups.core.AdmissionPolicy;
import io.fangroups.core.AdmissionStage;
import io.fangroups.core.Applicant;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.UserId;
import io.fangroups.core.Verdict;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.FactSource.FactQuery;
import io.fangroups.spi.FactSource.UserFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a viewer would meet on tapping "apply" now, for a group card. The SDK has no dry-run
 * command, so this is computed from what its API offers: membership, pending requests, bans, the
 * join mode, pause and free seats, and the group's own admission policy asked directly with the
 * viewer's facts from the same {@link FactSource} the SDK uses. It is a preview, not a promise: the
 * host's pre-join hook is not asked, and the group may change before the viewer applies.
 */
final class EligibilityPreview {
  /** What the viewer would meet. */
  enum Status {
    /** Already in the group (the role says how). */
    MEMBER,
    /** Waiting for approval already. */
    REQUEST_PENDING,
    BANNED,
    GROUP_DISBANDED,
    JOINS_CLOSED,
    /** Only a passcode admits. */
    PASSCODE_ONLY,
    JOINS_PAUSED,
    GROUP_FULL,
    /** Applying joins at once. */
    CAN_JOIN,
    /** Applying makes a request an owner or admin approves. */
    CAN_APPLY,
    /** The admission rule refuses the viewer now; the explanation says what would change that. */
    NOT_ELIGIBLE,
    /** The policy could not be asked; applying will tell. */
    APPLY_TO_SEE
  }

  /**
   * A group card's preview.
   *
   * @param status what the viewer would meet
   * @param role the viewer's role, when a member
   * @param verdict the admission policy's verdict, when it was asked
   * @param explanation why not (or why a review), in the requested language, when the verdict is not ALLOW
   */
  record Preview(Status status, Optional<String> role, Optional<Verdict> verdict, Optional<String> explanation) {
    static Preview of(Status status) {
      return new Preview(status, Optional.empty(), Optional.empty(), Optional.empty());
    }
  }

  private static final Duration FACT_TIMEOUT = Duration.ofMillis(500);

  private final FanGroups fanGroups;
  private final FactSource facts;
  private final Clock clock;

  EligibilityPreview(FanGroups fanGroups, FactSource facts, Clock clock) {
    this.fanGroups = fanGroups;
    this.facts = facts;
    this.clock = clock;
  }

  Preview of(GroupInfo group, UserId viewer, Locale locale) {
    if (group.status() == GroupStatus.DISBANDED) {
      return Preview.of(Status.GROUP_DISBANDED);
    }
    Optional<Member> member = fanGroups.member(group.id(), viewer);
    if (member.isPresent()) {
      return new Preview(Status.MEMBER, Optional.of(member.get().role().name()), Optional.empty(), Optional.empty());
    }
    Optional<Status> blocked = blocked(group, viewer);
    return blocked.isPresent() ? Preview.of(blocked.get()) : askPolicy(group, viewer, locale);
  }

  private Optional<Status> blocked(GroupInfo group, UserId viewer) {
    if (fanGroups.bannedUntil(group.id(), viewer).isPresent()) {
      return Optional.of(Status.BANNED);
    }
    if (fanGroups.pendingRequests(group.id()).stream().anyMatch(r -> r.applicant().equals(viewer))) {
      return Optional.of(Status.REQUEST_PENDING);
    }
    JoinMode mode = group.settings().joinMode();
    if (mode == JoinMode.CLOSED) {
      return Optional.of(Status.JOINS_CLOSED);
    }
    if (mode == JoinMode.PASSCODE_ONLY) {
      return Optional.of(Status.PASSCODE_ONLY);
    }
    if (group.settings().pausedAt(clock.instant())) {
      return Optional.of(Status.JOINS_PAUSED);
    }
    return group.freeSeats() == 0 ? Optional.of(Status.GROUP_FULL) : Optional.empty();
  }

  private Preview askPolicy(GroupInfo group, UserId viewer, Locale locale) {
    AdmissionPolicy policy = group.settings().policy();
    AdmissionDecision decision;
    try {
      Applicant applicant = new Applicant(viewer, group.id(), group.owner(), JoinSource.BUTTON, AdmissionStage.APPLY,
          clock.instant(), factsOf(group, viewer, policy.requiredFacts()));
      decision = policy.evaluate(applicant);
    } catch (RuntimeException policyFailed) {
      return Preview.of(Status.APPLY_TO_SEE);
    }
    if (decision == null) {
      return Preview.of(Status.APPLY_TO_SEE);
    }
    Status status = switch (decision.verdict()) {
      case ALLOW -> group.settings().joinMode() == JoinMode.OPEN ? Status.CAN_JOIN : Status.CAN_APPLY;
      case REVIEW -> Status.CAN_APPLY;
      case DENY -> Status.NOT_ELIGIBLE;
    };
    Optional<String> why = decision.verdict() == Verdict.ALLOW ? Optional.empty()
        : Optional.of(decision.render(locale, Languages.ZONE));
    return new Preview(status, Optional.empty(), Optional.of(decision.verdict()), why);
  }

  /** The viewer's facts the policy reads; anything that fails or times out is unknown, as in the SDK. */
  private UserFacts factsOf(GroupInfo group, UserId viewer, Set<String> needed) {
    if (needed.isEmpty()) {
      return UserFacts.unknown();
    }
    FactQuery query = new FactQuery(group.owner().value(), group.id().value(), List.of(viewer.value()), needed);
    try {
      UserFacts answer = facts.fetch(query).toCompletableFuture()
          .get(FACT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(viewer.value());
      return answer == null ? UserFacts.unknown() : answer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UserFacts.unknown();
    } catch (Exception unavailable) {
      return UserFacts.unknown();
    }
  }
}
