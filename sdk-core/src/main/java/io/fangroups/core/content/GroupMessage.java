package io.fangroups.core.content;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.internal.Checks;
import java.time.Instant;

/**
 * A message posted into a group, as recorded in the group's event log by
 * {@link GroupChange.MessagePosted}.
 *
 * @param id the message's id
 * @param group the group it was posted into
 * @param sender who posted it
 * @param content what was posted, already validated
 * @param postedAt the SDK clock's instant of posting
 */
public record GroupMessage(MessageId id, GroupId group, UserId sender, MessageContent content, Instant postedAt) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public GroupMessage {
    Checks.notNull(id, "id");
    Checks.notNull(group, "group");
    Checks.notNull(sender, "sender");
    Checks.notNull(content, "content");
    Checks.notNull(postedAt, "postedAt");
  }
}
