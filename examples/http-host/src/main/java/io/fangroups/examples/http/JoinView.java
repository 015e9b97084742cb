package io.fangroups.examples.http;

import io.fangroups.core.GroupId;
import io.fangroups.core.JoinResult;
import io.fangroups.core.Role;
import io.fangroups.core.admission.Verdict;
import java.util.Optional;

/**
 * The answer to an application or a pasted passcode: joined at once (200), or a pending request (202).
 *
 * @param joined whether the user is a member now
 * @param group the group joined or applied to (for a family, the one chosen)
 * @param role the user's role when joined
 * @param request the pending request when approval is needed
 * @param verdict what the admission policy said
 */
record JoinView(boolean joined, GroupId group, Optional<Role> role, Optional<RequestView> request, Verdict verdict) {

  static Reply reply(JoinResult result) {
    JoinView view = new JoinView(result.joined(), result.group(), result.member().map(m -> m.role()),
        result.request().map(RequestView::of), result.decision().verdict());
    return new Reply(result.joined() ? 200 : 202, view);
  }
}
