package io.fangroups.core;

import io.fangroups.core.GroupChange.MemberJoined;
import io.fangroups.core.GroupChange.MemberLeft;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import java.util.Map;
import java.util.Optional;

/** What the message transport gets for an event: member posts and system notices, nothing else. */
final class Messages {
  static final String SYSTEM = "system";

  private Messages() {}

  static Optional<OutgoingMessage> of(GroupEvent e) {
    GroupChange c = e.change();
    if (c instanceof MemberJoined j) {
      return Optional.of(notice(e, "member_joined", j.member().user()));
    } else if (c instanceof MemberLeft l) {
      return Optional.of(notice(e, "member_" + l.how().name().toLowerCase(java.util.Locale.ROOT), l.user()));
    }
    return Optional.empty();
  }

  private static OutgoingMessage notice(GroupEvent e, String what, UserId user) {
    return new OutgoingMessage(e.eventId(), e.group().value(), e.sequence(), SYSTEM, "notice",
        Map.of("notice", what, "user", user.value()));
  }
}
