package io.fangroups.rules;

/** The admission decision. */
public enum Outcome {
  /** The applicant joins. */
  ALLOW,
  /** The group owner decides. */
  REVIEW,
  /** The applicant may not join. */
  DENY
}
