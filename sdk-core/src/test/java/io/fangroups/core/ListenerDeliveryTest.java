package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.Subscription;
import io.fangroups.core.passcode.PasscodeSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Listeners registered with {@code subscribe}: each gets every committed event once, in order, even
 * when it runs commands of its own from the callback; a failing listener neither stops the others
 * nor fails the command that committed; a command a listener runs keeps every limit.
 */
class ListenerDeliveryTest extends Fixture {

  @Test
  void subscribe_deliversCommittedEventsInOrderUntilClosed() {
    List<GroupEvent> seen = new CopyOnWriteArrayList<>();
    Subscription sub = groups.subscribe(seen::add);
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    groups.apply(as(user("a")), g.id(), JoinSource.BUTTON);
    sub.close();
    groups.apply(as(user("b")), g.id(), JoinSource.BUTTON);
    assertThat(seen).extracting(GroupEvent::sequence).containsExactly(1L, 2L);
  }

  @Test
  void subscribe_failingListener_doesNotStopOthers() {
    List<GroupEvent> seen = new CopyOnWriteArrayList<>();
    groups.subscribe(e -> {
      throw new IllegalStateException("consumer bug");
    });
    groups.subscribe(seen::add);
    group("g", 200, JoinMode.OPEN);
    assertThat(seen).hasSize(1);
  }

  @Test
  void subscribe_listenerThrowingAnError_doesNotFailTheCommittedCommand() {
    List<GroupEvent> seen = new CopyOnWriteArrayList<>();
    groups.subscribe(e -> {
      if (e.change() instanceof GroupChange.MemberJoined) {
        throw new AssertionError("host bug");
      }
    });
    groups.subscribe(seen::add);
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    JoinResult joined = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON);
    assertThat(joined.joined()).isTrue();
    assertThat(groups.member(g.id(), user("fan"))).isEqualTo(joined.member());
    assertThat(seen).extracting(GroupEvent::sequence).containsExactly(1L, 2L);
  }

  @Test
  void subscribe_listenerRunningCommandsFromTheCallback_seesEachEventOnceInOrder() {
    GroupInfo g = group("g", 200, JoinMode.APPROVAL);
    List<Long> seen = new CopyOnWriteArrayList<>();
    groups.subscribe(e -> {
      if (!e.group().equals(g.id())) {
        return;
      }
      seen.add(e.sequence());
      if (e.change() instanceof GroupChange.RequestSubmitted s) { // auto-approve bot
        groups.approve(asCreator(), s.request().id());
      }
    });
    JoinResult applied = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON);   // seq 2, approved: 3, 4
    assertThat(applied.request()).get().extracting(JoinRequest::status).isEqualTo(RequestStatus.PENDING);
    assertThat(groups.member(g.id(), user("fan"))).get().extracting(Member::request)
        .isEqualTo(applied.request().map(JoinRequest::id));
    groups.mute(asCreator(), g.id(), user("fan"), Duration.ofMinutes(5));    // seq 5
    groups.unmute(asCreator(), g.id(), user("fan"));                         // seq 6
    assertThat(seen).containsExactly(2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void subscribe_listenerMutingNewMembers_keepsThePasscodeUseLimit() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    String once = groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).maxUses(1).build()).code();
    groups.subscribe(e -> { // anti-raid bot: new members are muted for 10 minutes
      if (e.change() instanceof GroupChange.MemberJoined j && j.member().role() == Role.MEMBER
          && groups.mutedUntil(e.group(), j.member().user()).isEmpty()) {
        groups.mute(asCreator(), e.group(), j.member().user(), Duration.ofMinutes(10));
      }
    });
    assertThat(groups.redeemPasscode(as(user("fan-1")), once, ClientInfo.unknown()).joined()).isTrue();
    assertCode(ErrorCode.PASSCODE_EXHAUSTED,
        () -> groups.redeemPasscode(as(user("fan-2")), once, ClientInfo.unknown()));
    assertThat(groups.mutedUntil(g.id(), user("fan-1"))).as("the bot muted the new member")
        .contains(clock.instant().plus(Duration.ofMinutes(10)));
    assertThat(groups.members(g.id())).extracting(Member::user).containsExactlyInAnyOrder(creator, user("fan-1"));
  }
}
