package io.fangroups.core;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.internal.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * A user's request to join a group.
 *
 * @param id the request id
 * @param group the group asked for
 * @param applicant the user asking
 * @param source the path the user came through
 * @param status pending or the terminal state it reached
 * @param createdAt when the user applied
 * @param expiresAt when a still-pending request expires
 * @param handledBy who approved, rejected or withdrew it (empty for expiry and system cancels)
 * @param handledAt when it left PENDING
 * @param reason the handler's reason, or the system's
 * @param decision the admission policy's decision when the user applied
 */
public record JoinRequest(RequestId id, GroupId group, UserId applicant, JoinSource source, RequestStatus status,
    Instant createdAt, Instant expiresAt, Optional<UserId> handledBy, Optional<Instant> handledAt,
    Optional<String> reason, AdmissionDecision decision) {

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public JoinRequest {
    Checks.notNull(id, "id");
    Checks.notNull(group, "group");
    Checks.notNull(applicant, "applicant");
    Checks.notNull(source, "source");
    Checks.notNull(status, "status");
    Checks.notNull(createdAt, "createdAt");
    Checks.notNull(expiresAt, "expiresAt");
    Checks.notNull(handledBy, "handledBy");
    Checks.notNull(handledAt, "handledAt");
    Checks.notNull(reason, "reason");
    Checks.notNull(decision, "decision");
  }

  /** Whether it is pending and its TTL has not run out at {@code now}. */
  public boolean isPendingAt(Instant now) {
    return status == RequestStatus.PENDING && now.isBefore(expiresAt);
  }

  public JoinRequest handled(RequestStatus newStatus, Optional<UserId> by, Instant at, Optional<String> why) {
    return new JoinRequest(id, group, applicant, source, newStatus, createdAt, expiresAt, by, Optional.of(at), why, decision);
  }
}
