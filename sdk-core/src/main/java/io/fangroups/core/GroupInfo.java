package io.fangroups.core;

import java.time.Instant;

/**
 * A snapshot of a group, as shown on the creator's profile.
 *
 * @param id the group
 * @param owner its current owner
 * @param settings name, cap, join mode, pause, policy, family
 * @param status active or disbanded
 * @param memberCount members now, owner included
 * @param pendingRequests join requests waiting now
 * @param createdAt when it was created
 * @param lastSequence the sequence number of its latest event
 */
public record GroupInfo(GroupId id, UserId owner, GroupSettings settings, GroupStatus status, int memberCount,
    int pendingRequests, Instant createdAt, long lastSequence) {

  /** Seats still free. */
  public int freeSeats() {
    return Math.max(0, settings.cap() - memberCount);
  }
}
