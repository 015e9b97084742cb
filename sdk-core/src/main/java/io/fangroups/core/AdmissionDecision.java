package io.fangroups.core;

import java.util.List;

/**
 * A policy's answer: the verdict, stable reason codes, and a short human summary.
 *
 * @param verdict allow, review or deny
 * @param reasons stable reason codes (for example {@code DAYS_FOLLOWING_TOO_LOW}); may be empty
 * @param summary a one-line explanation safe to show the applicant; may be empty
 */
public record AdmissionDecision(Verdict verdict, List<String> reasons, String summary) {
  private static final AdmissionDecision ALLOW = new AdmissionDecision(Verdict.ALLOW, List.of(), "");

  public AdmissionDecision {
    Checks.notNull(verdict, "verdict");
    reasons = Checks.noNulls(reasons, "reasons");
    Checks.notNull(summary, "summary");
  }

  /** ALLOW with no reasons. */
  public static AdmissionDecision allow() {
    return ALLOW;
  }

  /** REVIEW with the given reason codes. */
  public static AdmissionDecision review(String summary, String... reasons) {
    return new AdmissionDecision(Verdict.REVIEW, List.of(reasons), summary);
  }

  /** DENY with the given reason codes. */
  public static AdmissionDecision deny(String summary, String... reasons) {
    return new AdmissionDecision(Verdict.DENY, List.of(reasons), summary);
  }
}
