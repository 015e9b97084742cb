package io.fangroups.examples.http;

import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.JoinPreview;
import io.fangroups.core.Member;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.Verdict;
import java.util.Locale;
import java.util.Optional;

/**
 * What a viewer would meet on tapping "apply" now, for a group card: the SDK's
 * {@link FanGroups#preview} (membership, ban, pending request, join mode, pause, seats and the
 * group's admission policy with the viewer's facts), shaped for JSON with the explanation rendered
 * in the caller's language. It is a preview, not a promise: the host's pre-join hook is not asked,
 * and the group may change before the viewer applies.
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

  private final FanGroups fanGroups;

  EligibilityPreview(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  Preview of(GroupInfo group, UserId viewer, Locale locale) {
    JoinPreview preview = fanGroups.preview(viewer, group.id());
    Optional<AdmissionDecision> decision = preview.decision();
    Status status = switch (preview.availability()) {
      case DISBANDED -> Status.GROUP_DISBANDED;
      case MEMBER -> Status.MEMBER;
      case BANNED -> Status.BANNED;
      case PENDING -> Status.REQUEST_PENDING;
      case CLOSED -> Status.JOINS_CLOSED;
      case PASSCODE_ONLY -> Status.PASSCODE_ONLY;
      case PAUSED -> Status.JOINS_PAUSED;
      case FULL -> Status.GROUP_FULL;
      case NOT_ELIGIBLE -> Status.NOT_ELIGIBLE;
      case CAN_APPLY -> decision.filter(d -> d.reasons().contains("POLICY_FAILED")).isPresent()
          ? Status.APPLY_TO_SEE : Status.CAN_APPLY;
      case CAN_JOIN -> Status.CAN_JOIN;
    };
    Optional<String> role = status == Status.MEMBER
        ? fanGroups.member(group.id(), viewer).map(Member::role).map(Enum::name) : Optional.empty();
    Optional<String> why = decision.filter(d -> d.verdict() != Verdict.ALLOW)
        .map(d -> d.render(locale, Languages.ZONE));
    return new Preview(status, role, decision.map(AdmissionDecision::verdict), why);
  }
}
