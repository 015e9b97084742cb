package io.fangroups.core.admission;

/** When the admission policy is consulted: the rule is checked on both. */
public enum AdmissionStage {
  /** The user applies (button, invite, family button). */
  APPLY,
  /** An owner or admin approves the user's request; facts may have changed since applying. */
  APPROVAL
}
