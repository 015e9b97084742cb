package io.fangroups.rules;

/** How a fact can change, which decides what the nearest path to eligibility may suggest. */
public enum FactChange {
  /** Grows by one per day on its own (days following, account age): suggested as a wait. */
  GROWS_WITH_TIME,
  /** The applicant can change it either way (the groups they belong to): suggested as an action. */
  USER_ACTION,
  /**
   * The applicant can gain it but is never advised to give it up (fan-club membership and level,
   * a verified phone): suggested only as joining, turning on or raising. A rule that admits
   * non-members is never answered with "leave the fan club".
   */
  USER_GAIN,
  /** Never suggested. */
  IMMUTABLE
}
