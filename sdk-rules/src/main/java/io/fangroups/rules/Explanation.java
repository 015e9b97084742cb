package io.fangroups.rules;

import java.util.List;

/**
 * Why a rule gave its outcome, and how to become eligible. Render it for the applicant with
 * {@link ExplanationRenderer}.
 *
 * @param outcome the decision, equal to {@link CompiledRule#decide(Facts)}
 * @param truth the rule's three-valued result
 * @param reasons the failed or unknown clauses that alone force the outcome; empty when allowed
 * @param paths up to three cheapest paths to eligibility, cheapest first; empty when allowed or none
 */
public record Explanation(Outcome outcome, Truth truth, List<Reason> reasons, List<EligibilityPath> paths) {
  /** Validates and copies. */
  public Explanation {
    Arguments.notNull(outcome, "outcome");
    Arguments.notNull(truth, "truth");
    reasons = Arguments.listOf(reasons, "reasons");
    paths = Arguments.listOf(paths, "paths");
  }
}
