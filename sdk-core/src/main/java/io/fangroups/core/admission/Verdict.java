package io.fangroups.core.admission;

/** What an admission policy says about an applicant. */
public enum Verdict {
  /** Admit (in an OPEN group, at once). */
  ALLOW,
  /** Let an owner or admin decide: a join request is created. */
  REVIEW,
  /** Refuse with NOT_ELIGIBLE. */
  DENY
}
