package io.fangroups.core;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.internal.Checks;
import java.util.Optional;

/**
 * What a viewer sees on a group card on the creator's profile: whether they could join now, and
 * if not, why. A preview changes nothing and asks no pre-join hook; the real application may still
 * be refused (the group fills, the host's hook objects).
 *
 * @param group the group
 * @param availability the viewer's situation
 * @param decision the admission policy's decision for the viewer, when it was consulted
 */
public record JoinPreview(GroupInfo group, Availability availability, Optional<AdmissionDecision> decision) {

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null. */
  public JoinPreview {
    Checks.notNull(group, "group");
    Checks.notNull(availability, "availability");
    Checks.notNull(decision, "decision");
  }

  /** The viewer's situation, in the order the SDK checks it. */
  public enum Availability {
    /** The group was disbanded. */
    DISBANDED,
    /** Already a member. */
    MEMBER,
    /** Banned from the group. */
    BANNED,
    /** Already applied; the request is pending. */
    PENDING,
    /** Closed to new members. */
    CLOSED,
    /** Joins only with a passcode. */
    PASSCODE_ONLY,
    /** Applications are paused for now. */
    PAUSED,
    /** No free seat. */
    FULL,
    /** The admission policy denies the viewer; the decision explains why and how to qualify. */
    NOT_ELIGIBLE,
    /** Applying creates a request the owner approves. */
    CAN_APPLY,
    /** Applying joins at once. */
    CAN_JOIN
  }
}
