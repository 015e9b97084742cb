package io.fangroups.core;

import io.fangroups.core.internal.Checks;
import java.time.Instant;
import java.util.Optional;

/**
 * A user's membership of a group.
 *
 * @param user the member
 * @param role owner, admin or member
 * @param joinedAt when the user joined (the SDK clock)
 * @param source the path the user came through
 * @param request the approved join request, if the user joined through one
 */
public record Member(UserId user, Role role, Instant joinedAt, JoinSource source, Optional<RequestId> request) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public Member {
    Checks.notNull(user, "user");
    Checks.notNull(role, "role");
    Checks.notNull(joinedAt, "joinedAt");
    Checks.notNull(source, "source");
    Checks.notNull(request, "request");
  }

  public Member withRole(Role newRole) {
    return new Member(user, newRole, joinedAt, source, request);
  }
}
