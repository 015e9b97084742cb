package io.fangroups.core.admission;

/** When an admission policy is consulted: a group's rule on apply and approval; a red packet's eligibility rule on a claim. */
public enum AdmissionStage {
  /** The user applies (button, invite, family button). */
  APPLY,
  /** An owner or admin approves the user's request; facts may have changed since applying. */
  APPROVAL,
  /** A member claims a red packet whose sender set an eligibility rule; the source is the member's join path. */
  CLAIM
}
