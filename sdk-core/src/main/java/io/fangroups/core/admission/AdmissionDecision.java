package io.fangroups.core.admission;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.internal.Checks;
import io.fangroups.rules.Explanation;
import io.fangroups.rules.ExplanationRenderer;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A policy's answer: the verdict, stable reason codes, a short human summary, and, for rule
 * policies, the rule engine's explanation with the nearest paths to eligibility.
 *
 * @param verdict allow, review or deny
 * @param reasons stable reason codes (for example {@code FACT_TOO_LOW}); may be empty
 * @param summary a one-line English explanation safe to show the applicant, dates in UTC; may be
 *     empty. Show {@link #render(Locale, ZoneId)} to applicants: their language and time zone
 * @param explanation the failed clauses and the cheapest ways to become eligible, for rule policies
 */
public record AdmissionDecision(Verdict verdict, List<String> reasons, String summary, Optional<Explanation> explanation) {
  private static final AdmissionDecision ALLOW = new AdmissionDecision(Verdict.ALLOW, List.of(), "");

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public AdmissionDecision {
    Checks.notNull(verdict, "verdict");
    reasons = Checks.noNulls(reasons, "reasons");
    Checks.notNull(summary, "summary");
    Checks.notNull(explanation, "explanation");
  }

  /** A decision without a rule explanation. */
  public AdmissionDecision(Verdict verdict, List<String> reasons, String summary) {
    this(verdict, reasons, summary, Optional.empty());
  }

  /** This decision without its rule explanation: what events and the store keep of it. */
  public AdmissionDecision withoutExplanation() {
    return explanation.isEmpty() ? this : new AdmissionDecision(verdict, reasons, summary);
  }

  /** ALLOW with no reasons. */
  public static AdmissionDecision allow() {
    return ALLOW;
  }

  /** REVIEW with the given reason codes. */
  public static AdmissionDecision review(String summary, String... reasons) {
    return new AdmissionDecision(Verdict.REVIEW, reasons(reasons), summary);
  }

  /** DENY with the given reason codes. */
  public static AdmissionDecision deny(String summary, String... reasons) {
    return new AdmissionDecision(Verdict.DENY, reasons(reasons), summary);
  }

  private static List<String> reasons(String... reasons) {
    return Checks.noNulls(java.util.Arrays.asList(Checks.notNull(reasons, "reasons")), "reasons");
  }

  /**
   * What to tell the applicant, in their language: the rule's explanation and nearest paths rendered
   * for {@code locale} (Chinese and English shipped; dates in {@code zone}), or the summary.
   * Sensitive facts are never named.
   */
  public String render(Locale locale, ZoneId zone) {
    Checks.notNull(locale, "locale");
    Checks.notNull(zone, "zone");
    return explanation.map(e -> ExplanationRenderer.of(zone).render(e, locale)).orElse(summary);
  }
}
