package io.fangroups.examples.http;

import io.fangroups.core.GroupId;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.JoinSource;
import io.fangroups.core.RequestId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A join request as the API shows it.
 *
 * @param id the request
 * @param group the group asked for
 * @param applicant who asked
 * @param source the path they came through
 * @param status pending or how it ended
 * @param createdAt when they applied
 * @param expiresAt when it expires if still pending
 * @param verdict the admission policy's verdict when they applied
 * @param reasons the policy's reason codes
 * @param reason the handler's reason, if any
 */
record RequestView(RequestId id, GroupId group, UserId applicant, JoinSource source, RequestStatus status,
    Instant createdAt, Instant expiresAt, Verdict verdict, List<String> reasons, Optional<String> reason) {

  static RequestView of(JoinRequest r) {
    return new RequestView(r.id(), r.group(), r.applicant(), r.source(), r.status(), r.createdAt(), r.expiresAt(),
        r.decision().verdict(), r.decision().reasons(), r.reason());
  }
}
