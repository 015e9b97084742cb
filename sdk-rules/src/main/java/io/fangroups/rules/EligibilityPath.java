package io.fangroups.rules;

import java.time.Instant;
import java.util.List;

/**
 * A cheapest way to become eligible: wait (all time-growing facts grow together, so waits combine by
 * maximum) and take actions (whose costs add up).
 *
 * @param waitDays days to wait, 0 for none
 * @param eligibleFrom when the wait ends ({@code now} if there is none); from {@link CompiledRule#explain}
 *     always within years 0 to 9999, whatever {@code now} was
 * @param actionCost the summed cost of the actions
 * @param steps the wait step (if any) first, then the actions in fact order
 */
public record EligibilityPath(long waitDays, Instant eligibleFrom, long actionCost, List<PathStep> steps) {
  /** Validates and copies. */
  public EligibilityPath {
    Arguments.notNull(eligibleFrom, "eligibleFrom");
    steps = Arguments.listOf(steps, "steps");
    if (waitDays < 0 || actionCost < 0) {
      throw new IllegalArgumentException("waitDays and actionCost must be >= 0");
    }
  }
}
