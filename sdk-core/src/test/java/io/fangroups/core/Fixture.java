package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.testkit.MutableClock;
import java.time.Instant;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Shared setup: a service on a test clock, a creator and short-hand for users and contexts. */
class Fixture {
  final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  final FanGroups groups = FanGroups.builder().clock(clock).build();
  final UserId creator = UserId.of("creator");

  static UserId user(String id) {
    return UserId.of(id);
  }

  static CommandContext as(UserId user) {
    return CommandContext.of(user);
  }

  CommandContext asCreator() {
    return CommandContext.of(creator);
  }

  GroupInfo group(String name, int cap, JoinMode mode) {
    return groups.createGroup(asCreator(), GroupSettings.builder().name(name).cap(cap).joinMode(mode).build());
  }

  static void assertCode(ErrorCode code, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(FanGroupsException.class)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((FanGroupsException) e).code()).isEqualTo(code));
  }
}
