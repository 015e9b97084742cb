package io.fangroups.examples.http;

import io.fangroups.core.FamilyId;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinMode;
import io.fangroups.core.UserId;
import java.util.Optional;

/**
 * A group as the API shows it: the card on a creator's profile, with the viewer's preview when
 * listed for a viewer.
 *
 * @param id the group
 * @param owner its owner
 * @param name its name
 * @param cap its member cap
 * @param joinMode how users get in
 * @param familyId its family, if any
 * @param status active or disbanded
 * @param memberCount members, owner included
 * @param freeSeats seats left
 * @param pendingRequests requests waiting
 * @param lastSequence the sequence number of its latest event
 * @param preview what the viewer would meet on applying
 */
record GroupView(GroupId id, UserId owner, String name, int cap, JoinMode joinMode, Optional<FamilyId> familyId,
    GroupStatus status, int memberCount, int freeSeats, int pendingRequests, long lastSequence,
    Optional<EligibilityPreview.Preview> preview) {

  static GroupView of(GroupInfo group, Optional<EligibilityPreview.Preview> preview) {
    return new GroupView(group.id(), group.owner(), group.settings().name(), group.settings().cap(),
        group.settings().joinMode(), group.settings().family(), group.status(), group.memberCount(), group.freeSeats(),
        group.pendingRequests(), group.lastSequence(), preview);
  }
}
