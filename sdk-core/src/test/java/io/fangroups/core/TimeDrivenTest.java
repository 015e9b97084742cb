package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** TTLs, bans and mutes, driven by moving the injected clock. */
class TimeDrivenTest extends Fixture {

  @Test
  void request_expiresWhenTtlRunsOut_andEmitsSystemEvent() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId id = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();

    clock.advance(FanGroups.Builder.DEFAULT_REQUEST_TTL.minusSeconds(1));
    assertThat(groups.expireOverdueRequests()).isZero();
    assertThat(groups.request(id).status()).isEqualTo(RequestStatus.PENDING);

    clock.advance(Duration.ofSeconds(1));
    assertThat(groups.expireOverdueRequests()).isEqualTo(1);
    JoinRequest expired = groups.request(id);
    assertThat(expired.status()).isEqualTo(RequestStatus.EXPIRED);
    assertThat(expired.handledBy()).isEmpty();
    GroupEvent last = groups.events(g.id(), 0, 100).get(2);
    assertThat(last.change()).isEqualTo(new RequestHandled(id, user("fan"), RequestStatus.EXPIRED));
    assertThat(last.attribution().actor()).isEmpty();
  }

  @Test
  void approve_afterTtl_isRefusedAndTheUserMayApplyAgain() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId id = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    clock.advance(Duration.ofDays(8));
    assertCode(ErrorCode.REQUEST_NOT_PENDING, () -> groups.approve(asCreator(), id));
    assertThat(groups.request(id).status()).isEqualTo(RequestStatus.EXPIRED);
    JoinRequest again = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow();
    assertThat(again.id()).isNotEqualTo(id);
    assertThat(again.status()).isEqualTo(RequestStatus.PENDING);
  }

  @Test
  void customTtl_isUsed() {
    FanGroups quick = FanGroups.builder().clock(clock).requestTtl(Duration.ofHours(1)).build();
    GroupInfo g = quick.createGroup(asCreator(), GroupSettings.builder().name("g").joinMode(JoinMode.APPROVAL).build());
    RequestId id = quick.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    clock.advance(Duration.ofMinutes(61));
    assertThat(quick.pendingRequests(g.id())).isEmpty();
    assertThat(quick.request(id).status()).isEqualTo(RequestStatus.EXPIRED);
  }

  @Test
  void timedBan_blocksUntilItRunsOut() {
    GroupInfo g = group("open", 200, JoinMode.OPEN);
    groups.apply(as(user("troll")), g.id(), JoinSource.BUTTON);
    groups.ban(asCreator(), g.id(), user("troll"), Duration.ofHours(24));
    assertThat(groups.bannedUntil(g.id(), user("troll"))).contains(clock.instant().plus(Duration.ofHours(24)));

    clock.advance(Duration.ofHours(23));
    assertCode(ErrorCode.BANNED, () -> groups.apply(as(user("troll")), g.id(), JoinSource.BUTTON));
    clock.advance(Duration.ofHours(1));
    assertThat(groups.bannedUntil(g.id(), user("troll"))).isEmpty();
    assertThat(groups.apply(as(user("troll")), g.id(), JoinSource.BUTTON).joined()).isTrue();
  }

  @Test
  void permanentBan_neverRunsOut() {
    GroupInfo g = group("open", 200, JoinMode.OPEN);
    groups.ban(asCreator(), g.id(), user("troll"), ChronoUnit.FOREVER.getDuration());
    clock.advance(Duration.ofDays(365 * 100));
    assertCode(ErrorCode.BANNED, () -> groups.apply(as(user("troll")), g.id(), JoinSource.BUTTON));
  }

  @Test
  void timedMute_survivesLeaveAndRejoin_andRunsOut() {
    GroupInfo g = group("open", 200, JoinMode.OPEN);
    groups.apply(as(user("loud")), g.id(), JoinSource.BUTTON);
    groups.mute(asCreator(), g.id(), user("loud"), Duration.ofHours(2));
    Instant until = clock.instant().plus(Duration.ofHours(2));

    groups.leave(as(user("loud")), g.id());
    groups.apply(as(user("loud")), g.id(), JoinSource.BUTTON);
    clock.advance(Duration.ofHours(1));
    assertThat(groups.mutedUntil(g.id(), user("loud"))).contains(until);

    clock.advance(Duration.ofHours(1));
    assertThat(groups.mutedUntil(g.id(), user("loud"))).isEmpty();
    assertThat(groups.unmute(asCreator(), g.id(), user("loud"))).isFalse();
  }

  @Test
  void mute_ofHigherRank_isNotPermitted() {
    GroupInfo g = group("open", 200, JoinMode.OPEN);
    groups.addMember(asCreator(), g.id(), user("admin"));
    groups.appointAdmin(asCreator(), g.id(), user("admin"));
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.mute(as(user("admin")), g.id(), creator, Duration.ofHours(1)));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.mute(asCreator(), g.id(), user("admin"), Duration.ZERO));
  }
}
