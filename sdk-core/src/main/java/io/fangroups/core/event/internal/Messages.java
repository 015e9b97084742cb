package io.fangroups.core.event.internal;

import io.fangroups.core.UserId;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import java.util.Map;
import java.util.Optional;

/** What the message transport gets for an event: member posts and system notices, nothing else. */
public final class Messages {
  public static final String SYSTEM = "system";

  private Messages() {}

  public static Optional<OutgoingMessage> of(GroupEvent e) {
    GroupChange c = e.change();
    if (c instanceof GroupChange.MessagePosted posted) {
      return Optional.of(post(e, posted.message()));
    } else if (c instanceof MemberJoined j) {
      return Optional.of(notice(e, "member_joined", j.member().user()));
    } else if (c instanceof MemberLeft l) {
      return Optional.of(notice(e, "member_" + l.how().name().toLowerCase(java.util.Locale.ROOT), l.user()));
    }
    return Optional.empty();
  }

  private static OutgoingMessage post(GroupEvent e, GroupMessage message) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    fields.put("messageId", message.id().value());
    String kind;
    MessageContent content = message.content();
    if (content instanceof MessageContent.Text t) {
      kind = "text";
      fields.put("body", t.body());
    } else if (content instanceof MessageContent.Announcement a) {
      kind = "announcement";
      fields.put("body", a.body());
    } else if (content instanceof MessageContent.VideoCard v) {
      kind = "video_card";
      fields.put("videoId", v.videoId());
      fields.put("title", v.title());
      fields.put("preview", String.valueOf(v.preview()));
      fields.put("coverUrl", v.coverUrl());
    } else if (content instanceof MessageContent.ProductLink p) {
      kind = "product_link";
      fields.put("url", p.url());
      fields.put("title", p.title());
      fields.put("priceCents", String.valueOf(p.priceCents()));
      fields.put("currency", p.currency());
      p.coupon().ifPresent(coupon -> fields.put("coupon", coupon));
    } else {
      throw new IllegalStateException("unhandled content " + content);
    }
    return new OutgoingMessage(e.eventId(), e.group().value(), e.sequence(), message.sender().value(), kind, fields);
  }

  private static OutgoingMessage notice(GroupEvent e, String what, UserId user) {
    return new OutgoingMessage(e.eventId(), e.group().value(), e.sequence(), SYSTEM, "notice",
        Map.of("notice", what, "user", user.value()));
  }
}
