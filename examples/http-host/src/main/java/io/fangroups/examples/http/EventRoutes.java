package io.fangroups.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import java.util.List;

/**
 * A group's history from a cursor, each event exactly as the SDK's event publisher would send it
 * (the stored JSON in its envelope, docs/event-format.md). Only members read it (a host choice:
 * the SDK's replay cursor has no access rule of its own).
 *
 * <pre>
 * GET /groups/{groupId}/events?after=N&amp;limit=M → events with sequence above N (default 0), at most M
 *     (1 to 500, default 100), and "next": the cursor to pass as after= on the next call
 * </pre>
 */
final class EventRoutes {
  /**
   * A page of events.
   *
   * @param events in sequence order, gapless
   * @param next the sequence of the last event returned, or the cursor given when there was none
   */
  record Page(List<JsonNode> events, long next) {}

  private final FanGroups fanGroups;

  EventRoutes(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  void register(Router router) {
    router.get("/groups/{groupId}/events", this::events);
  }

  private Reply events(Call call) {
    UserId user = call.user();
    GroupId group = GroupId.of(call.pathVariable("groupId"));
    long after = call.query("after", 0, 0, Long.MAX_VALUE);
    int limit = (int) call.query("limit", 100, 1, 500);
    fanGroups.group(group); // GROUP_NOT_FOUND before NOT_A_MEMBER
    if (fanGroups.member(group, user).isEmpty()) {
      throw new FanGroupsException(ErrorCode.NOT_A_MEMBER, user + " is not a member of " + group
          + "; only members read its events");
    }
    List<PublishedEvent> events = fanGroups.publishedEvents(group, after, limit);
    List<JsonNode> json = events.stream().map(e -> Json.tree(e.json())).toList();
    return Reply.ok(new Page(json, events.isEmpty() ? after : events.get(events.size() - 1).sequence()));
  }
}
