package io.fangroups.rules;

/** Whether a fact may be shown to the applicant in explanations. */
public enum Disclosure {
  /** May be named, with expected and actual values, in user-facing text. */
  PUBLIC,
  /** Never disclosed in user-facing text and never suggested as a path (bans, region). */
  SENSITIVE
}
