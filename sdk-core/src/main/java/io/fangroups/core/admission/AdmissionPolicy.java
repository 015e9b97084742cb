package io.fangroups.core.admission;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.admission.internal.Policies;
import io.fangroups.core.admission.internal.RulePolicy;
import java.util.Set;

/**
 * The seam through which a group decides who may enter. It is consulted when a user applies and
 * again when an owner or admin approves, so a fan who stopped following in between is caught.
 *
 * <p>Implementations must be thread-safe and should be fast; they are called outside the group's
 * lock. An exception thrown here fails the command with {@link ErrorCode#POLICY_FAILED} (closed).
 */
@FunctionalInterface
public interface AdmissionPolicy {

  /** Decides about one applicant. Must not return null. */
  AdmissionDecision evaluate(Applicant applicant);

  /**
   * The fact names this policy reads; the SDK fetches them from the host's fact source before
   * calling {@link #evaluate}. None by default.
   */
  default Set<String> requiredFacts() {
    return Set.of();
  }

  /** Everyone is allowed. The default for new groups. */
  static AdmissionPolicy allowAll() {
    return Policies.ALLOW_ALL;
  }

  /**
   * The creator's entry conditions as a compiled rule (sdk-rules). The SDK fetches the facts the
   * rule reads from the host's fact source; a decision that is not ALLOW carries the rule's
   * explanation and nearest paths to eligibility.
   */
  static AdmissionPolicy rule(io.fangroups.rules.CompiledRule rule) {
    return new RulePolicy(rule);
  }

  /** Everyone needs an owner's or admin's approval, even in an OPEN group. */
  static AdmissionPolicy requireApproval() {
    return Policies.REQUIRE_APPROVAL;
  }
}
