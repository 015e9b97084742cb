package io.fangroups.rules;

import java.util.List;

/**
 * Why a rule gave its outcome, and how to become eligible. Render it for the applicant with
 * {@link ExplanationRenderer}.
 *
 * @param outcome the decision, equal to {@link CompiledRule#decide(Facts)}
 * @param truth the rule's three-valued result
 * @param reasons what the applicant would have to make hold, in the rule's order: every failed or
 *     unknown clause of an {@code all}, and of an {@code any} or {@code atLeast} only as many as it
 *     needs, those easiest to change first (a clause over a fact the applicant cannot be advised to
 *     change only when no other would do); making them all hold would make the rule hold. Empty
 *     when allowed
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
