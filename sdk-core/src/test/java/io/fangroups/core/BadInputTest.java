package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.core.admission.AdmissionDecision;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Nulls, malformed values and unknown ids get a coded error, never an NPE. */
class BadInputTest extends Fixture {

  @Test
  void ids_malformed_areInvalidArgument() {
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> UserId.of(null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> UserId.of(""));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupId.of("a b"));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> RequestId.of("x".repeat(129)));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> FamilyId.of("粉丝"));
    assertThat(UserId.of("douyin:123_ab-c.d@x").value()).isEqualTo("douyin:123_ab-c.d@x");
  }

  @Test
  void settings_outOfRange_areInvalidArgument() {
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.of("g", 1));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.of("g", 2001));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.of("   ", 200));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.of("x".repeat(65), 200));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.of("bad\u0000name", 200));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.builder().name("g").policy(null).build());
    assertThat(GroupSettings.of("  小鹿的粉丝群  ", 500).name()).isEqualTo("小鹿的粉丝群");
  }

  @Test
  void settings_nameWithAnUnpairedSurrogate_isInvalidArgument() {
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> GroupSettings.of("bad\uD800name", 200));
  }

  @Test
  void admissionDecisionFactories_nullReasons_areInvalidArgument() {
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> AdmissionDecision.review("x", (String[]) null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> AdmissionDecision.deny("x", "a", null));
  }

  @Test
  void nullArguments_areInvalidArgument() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.apply(null, g.id(), JoinSource.BUTTON));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.apply(asCreator(), null, JoinSource.BUTTON));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.apply(asCreator(), g.id(), null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.createGroup(asCreator(), null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.approve(asCreator(), null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.approveAll(asCreator(), null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.approveAll(asCreator(), Arrays.asList(RequestId.of("r"), null)));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.ban(asCreator(), g.id(), user("x"), null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.ban(asCreator(), g.id(), user("x"), Duration.ofSeconds(-1)));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.member(g.id(), null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.subscribe(null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> CommandContext.of((UserId) null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> asCreator().withIdempotencyKey(" "));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.events(g.id(), -1, 10));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.events(g.id(), 0, 0));
  }

  @Test
  void unknownIds_haveTheirOwnCodes() {
    assertCode(ErrorCode.GROUP_NOT_FOUND, () -> groups.group(GroupId.of("g_missing")));
    assertCode(ErrorCode.GROUP_NOT_FOUND, () -> groups.apply(asCreator(), GroupId.of("g_missing"), JoinSource.BUTTON));
    assertCode(ErrorCode.REQUEST_NOT_FOUND, () -> groups.approve(asCreator(), RequestId.of("r_missing")));
    assertCode(ErrorCode.REQUEST_NOT_FOUND, () -> groups.request(RequestId.of("r_missing")));
    assertCode(ErrorCode.FAMILY_NOT_FOUND, () -> groups.applyToFamily(asCreator(), FamilyId.of("f_missing"), JoinSource.BUTTON));
    assertCode(ErrorCode.FAMILY_NOT_FOUND, () -> groups.createGroup(asCreator(),
        GroupSettings.builder().name("g").family(FamilyId.of("f_missing")).build()));
    assertThat(groups.groupsOf(user("nobody"))).isEmpty();
  }

  @Test
  void someoneElsesFamily_isNotPermitted() {
    Family f = groups.createFamily(asCreator(), "fans");
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.createGroup(as(user("rival")),
        GroupSettings.builder().name("g").family(f.id()).build()));
  }

  @Test
  void builder_failsFastNamingTheSetting() {
    assertThatThrownBy(() -> FanGroups.builder().groupsPerCreator(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("groupsPerCreator");
    assertThatThrownBy(() -> FanGroups.builder().clock(clock).clock(clock)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("clock");
    assertThatThrownBy(() -> FanGroups.builder().requestTtl(Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("requestTtl");
    assertThatThrownBy(() -> FanGroups.builder().capabilities(Role.ADMIN, java.util.Set.of(Capability.DISBAND)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DISBAND");
    assertThatThrownBy(() -> FanGroups.builder().capabilities(Role.OWNER, java.util.Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorMessages_nameTheCode() {
    GroupInfo g = group("g", 2, JoinMode.OPEN);
    groups.apply(as(user("a")), g.id(), JoinSource.BUTTON);
    assertThatThrownBy(() -> groups.apply(as(user("b")), g.id(), JoinSource.BUTTON))
        .hasMessageStartingWith("GROUP_FULL: ").hasMessageContaining(g.id().value());
    assertThatThrownBy(() -> groups.apply(as(user("a")), g.id(), JoinSource.BUTTON))
        .hasMessageStartingWith("ALREADY_MEMBER: ").hasMessageContaining(g.id().value());
  }
}
