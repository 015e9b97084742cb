package io.fangroups.core;

/**
 * The life of a join request: PENDING, then exactly one terminal state.
 */
public enum RequestStatus {
  /** Waiting for an owner or admin. At most one per user and group. */
  PENDING,
  /** Approved; the applicant became a member. */
  APPROVED,
  /** Rejected by an owner or admin. */
  REJECTED,
  /** Not handled before its time to live ran out. */
  EXPIRED,
  /** Withdrawn by the applicant. */
  WITHDRAWN,
  /** Cancelled by the system: the applicant was banned or added, or the group disbanded or closed. */
  CANCELLED;

  /** Whether no further transition is possible. */
  public boolean isTerminal() {
    return this != PENDING;
  }
}
