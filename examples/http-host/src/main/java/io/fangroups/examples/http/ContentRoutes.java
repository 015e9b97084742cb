package io.fangroups.examples.http;

import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.content.MessageContent;

/**
 * Posting into a group. The body is the content itself, tagged with its kind:
 *
 * <pre>
 * POST /groups/{groupId}/messages
 *   {"type": "Text", "body"}                                              any member
 *   {"type": "Announcement", "body"}                                      EDIT_SETTINGS (the owner)
 *   {"type": "VideoCard", "videoId", "title", "preview", "coverUrl"}      FORWARD_CONTENT (owner, admins)
 *   {"type": "ProductLink", "url", "title", "priceCents", "currency", "coupon"}  POST_PRODUCT_LINK (owner, admins)
 *   → 201 the recorded message
 * </pre>
 */
final class ContentRoutes {
  private final FanGroups fanGroups;

  ContentRoutes(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  void register(Router router) {
    router.post("/groups/{groupId}/messages", call -> {
      GroupId group = GroupId.of(call.pathVariable("groupId"));
      MessageContent content = call.body(MessageContent.class);
      return Reply.created(fanGroups.post(call.context(), group, content));
    });
  }
}
