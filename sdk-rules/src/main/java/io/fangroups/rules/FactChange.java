package io.fangroups.rules;

/** How a fact can change, which decides what the nearest path to eligibility may suggest. */
public enum FactChange {
  /** Grows by one per day on its own (days following, account age): suggested as a wait. */
  GROWS_WITH_TIME,
  /** The applicant can change it (fan-club level, verified phone): suggested as an action. */
  USER_ACTION,
  /** Never suggested. */
  IMMUTABLE
}
