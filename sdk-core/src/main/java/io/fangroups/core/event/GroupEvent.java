package io.fangroups.core.event;

import io.fangroups.core.GroupId;
import java.time.Instant;

/**
 * A committed change to one group. Sequence numbers start at 1 with {@code GroupCreated} and are
 * gapless and strictly increasing per group; {@code (group, sequence)} is a stable id for
 * idempotent consumers.
 *
 * @param group the group changed
 * @param sequence its position in the group's history
 * @param occurredAt the SDK clock's instant of the change
 * @param attribution who or what caused it
 * @param change what changed
 */
public record GroupEvent(GroupId group, long sequence, Instant occurredAt, Attribution attribution, GroupChange change) {

  /** A stable id, {@code group/sequence}, for deduplication by consumers. */
  public String eventId() {
    return group.value() + "/" + sequence;
  }
}
