package io.fangroups.core;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.internal.Checks;
import java.util.Optional;

/**
 * The answer to an application: either the user is a member now, or a request waits for approval.
 *
 * @param group the group the user joined or applied to (for a family, the one chosen)
 * @param member the membership, when the user joined at once
 * @param request the pending request, when approval is needed
 * @param decision what the admission policy said
 */
public record JoinResult(GroupId group, Optional<Member> member, Optional<JoinRequest> request, AdmissionDecision decision) {

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public JoinResult {
    Checks.notNull(group, "group");
    Checks.notNull(member, "member");
    Checks.notNull(request, "request");
    Checks.notNull(decision, "decision");
    if (member.isPresent() == request.isPresent()) {
      throw Checks.invalid("exactly one of member and request must be present");
    }
  }

  /** Whether the user is a member now. */
  public boolean joined() {
    return member.isPresent();
  }
}
