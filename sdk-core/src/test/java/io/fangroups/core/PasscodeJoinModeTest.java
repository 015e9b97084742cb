package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.event.GroupChange.PasscodeCreated;
import io.fangroups.core.event.GroupChange.RequestSubmitted;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeSpec;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A passcode applies to the group's owner like the apply button: by default it follows the group's
 * join mode, and only a JOIN code, the owner's explicit choice, admits at once in an APPROVAL group.
 */
class PasscodeJoinModeTest extends Fixture {
  private static final ClientInfo PHONE = ClientInfo.of("device-1", "203.0.113.7");

  private IssuedPasscode code(GroupInfo g, PasscodeSpec.Builder spec) {
    return groups.createPasscode(asCreator(), spec.build());
  }

  private <T> T lastChange(GroupId group, Class<T> type) {
    return groups.events(group, 0, 1000).stream().map(GroupEvent::change).filter(type::isInstance).map(type::cast)
        .reduce((first, second) -> second).orElseThrow();
  }

  @Test
  void defaultMode_followsTheJoinMode() {
    assertThat(PasscodeSpec.forGroup(GroupId.of("g")).build().mode()).isEqualTo(PasscodeMode.FOLLOW_JOIN_MODE);
    assertThat(EnumSet.allOf(JoinMode.class)).filteredOn(PasscodeMode.FOLLOW_JOIN_MODE::admitsAtOnceIn)
        .containsExactlyInAnyOrder(JoinMode.OPEN, JoinMode.PASSCODE_ONLY);
    assertThat(EnumSet.allOf(JoinMode.class)).filteredOn(PasscodeMode.JOIN::admitsAtOnceIn)
        .containsExactlyInAnyOrder(JoinMode.OPEN, JoinMode.PASSCODE_ONLY, JoinMode.APPROVAL);
    assertThat(EnumSet.allOf(JoinMode.class)).filteredOn(PasscodeMode.REQUEST::admitsAtOnceIn).isEmpty();
  }

  @Test
  void defaultCode_inApprovalGroup_makesAPendingRequestAttributedToTheCode() {
    GroupInfo g = group("审核群", 200, JoinMode.APPROVAL);
    IssuedPasscode issued = code(g, PasscodeSpec.forGroup(g.id()).maxUses(1));

    JoinResult result = groups.redeemPasscode(as(user("fan")), issued.display(), PHONE);

    assertThat(result.joined()).isFalse();
    assertThat(groups.member(g.id(), user("fan"))).isEmpty();
    JoinRequest request = result.request().orElseThrow();
    assertThat(request.status()).isEqualTo(RequestStatus.PENDING);
    assertThat(request.source()).isEqualTo(JoinSource.PASSCODE);
    assertThat(groups.pendingRequests(g.id())).containsExactly(request);
    GroupEvent submitted = groups.events(g.id(), 0, 100).stream()
        .filter(e -> e.change() instanceof RequestSubmitted).findFirst().orElseThrow();
    assertThat(submitted.attribution().passcode()).contains(issued.info().id());
    assertThat(submitted.attribution().source()).contains(JoinSource.PASSCODE);
    assertThat(submitted.attribution().request()).contains(request.id());
  }

  @Test
  void defaultCode_inApprovalGroup_takesTheUseWhenTheRequestIsMade() {
    GroupInfo g = group("审核群", 200, JoinMode.APPROVAL);
    IssuedPasscode issued = code(g, PasscodeSpec.forGroup(g.id()).maxUses(1));

    JoinResult result = groups.redeemPasscode(as(user("fan")), issued.display(), PHONE);

    assertThat(groups.passcode(issued.info().id()).uses()).isEqualTo(1);
    assertCode(ErrorCode.PASSCODE_EXHAUSTED, () -> groups.redeemPasscode(as(user("fan2")), issued.display(), PHONE));
    groups.approve(asCreator(), result.request().orElseThrow().id());
    assertThat(groups.passcode(issued.info().id()).uses()).isEqualTo(1);
  }

  @Test
  void defaultCodesRequest_whenApproved_makesAMemberFromThePasscode() {
    GroupInfo g = group("审核群", 200, JoinMode.APPROVAL);
    IssuedPasscode issued = code(g, PasscodeSpec.forGroup(g.id()));
    RequestId request = groups.redeemPasscode(as(user("fan")), issued.display(), PHONE).request().orElseThrow().id();

    Member member = groups.approve(asCreator(), request);

    assertThat(member.source()).isEqualTo(JoinSource.PASSCODE);
    assertThat(member.request()).contains(request);
    assertThat(groups.member(g.id(), user("fan"))).contains(member);
  }

  @Test
  void joinCode_inApprovalGroup_admitsAtOnceAndIsRecordedAsTheOwnersChoice() {
    GroupInfo g = group("审核群", 200, JoinMode.APPROVAL);
    IssuedPasscode issued = code(g, PasscodeSpec.forGroup(g.id()).mode(PasscodeMode.JOIN));

    JoinResult result = groups.redeemPasscode(as(user("fan")), issued.display(), PHONE);

    assertThat(result.joined()).isTrue();
    assertThat(result.member().orElseThrow().source()).isEqualTo(JoinSource.PASSCODE);
    assertThat(groups.pendingRequests(g.id())).isEmpty();
    assertThat(groups.passcode(issued.info().id()).spec().mode()).isEqualTo(PasscodeMode.JOIN);
    assertThat(lastChange(g.id(), PasscodeCreated.class).passcode().spec().mode()).isEqualTo(PasscodeMode.JOIN);
    assertThat(lastChange(g.id(), PasscodeCreated.class).passcode().createdBy()).isEqualTo(creator);
  }

  @Test
  void defaultCode_inOpenAndPasscodeOnlyGroups_admitsAtOnce() {
    for (JoinMode mode : Set.of(JoinMode.OPEN, JoinMode.PASSCODE_ONLY)) {
      GroupInfo g = group("g-" + mode, 200, mode);
      IssuedPasscode issued = code(g, PasscodeSpec.forGroup(g.id()).maxUses(1));

      JoinResult result = groups.redeemPasscode(as(user("fan-" + mode)), issued.display(), PHONE);

      assertThat(result.joined()).as(mode.name()).isTrue();
      assertThat(groups.passcode(issued.info().id()).uses()).as(mode.name()).isEqualTo(1);
      assertThat(groups.pendingRequests(g.id())).as(mode.name()).isEmpty();
    }
  }

  @Test
  void requestCode_inEveryJoinMode_makesARequest() {
    for (JoinMode mode : Set.of(JoinMode.OPEN, JoinMode.PASSCODE_ONLY, JoinMode.APPROVAL)) {
      GroupInfo g = group("g-" + mode, 200, mode);
      IssuedPasscode issued = code(g, PasscodeSpec.forGroup(g.id()).mode(PasscodeMode.REQUEST));

      JoinResult result = groups.redeemPasscode(as(user("fan-" + mode)), issued.display(), PHONE);

      assertThat(result.request()).as(mode.name()).get().extracting(JoinRequest::source).isEqualTo(JoinSource.PASSCODE);
      assertThat(result.joined()).as(mode.name()).isFalse();
    }
  }

  @Test
  void defaultCode_followsTheJoinModeAtRedemption() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    IssuedPasscode followsMode = code(g, PasscodeSpec.forGroup(g.id()));
    IssuedPasscode joins = code(g, PasscodeSpec.forGroup(g.id()).mode(PasscodeMode.JOIN));
    groups.updateSettings(asCreator(), g.id(), g.settings().toBuilder().joinMode(JoinMode.APPROVAL).build());

    assertThat(groups.redeemPasscode(as(user("a")), followsMode.display(), PHONE).joined()).isFalse();
    assertThat(groups.redeemPasscode(as(user("b")), joins.display(), PHONE).joined()).isTrue();
  }

  @Test
  void familyCode_inApprovalGroup_makesARequestUnlessItIsAJoinCode() {
    Family family = groups.createFamily(asCreator(), "fans");
    GroupInfo g = groups.createGroup(asCreator(),
        GroupSettings.builder().name("1").joinMode(JoinMode.APPROVAL).family(family.id()).build());
    IssuedPasscode followsMode = groups.createPasscode(asCreator(), PasscodeSpec.forFamily(family.id()).build());
    IssuedPasscode joins = groups.createPasscode(asCreator(),
        PasscodeSpec.forFamily(family.id()).mode(PasscodeMode.JOIN).build());

    JoinResult requested = groups.redeemPasscode(as(user("a")), followsMode.display(), PHONE);
    JoinResult joined = groups.redeemPasscode(as(user("b")), joins.display(), PHONE);

    assertThat(requested.request()).get().extracting(JoinRequest::group).isEqualTo(g.id());
    assertThat(requested.joined()).isFalse();
    assertThat(joined.joined()).isTrue();
    assertThat(joined.group()).isEqualTo(g.id());
  }

  @Test
  void joinCode_needsApproveRequestsAsWellAsManagePasscodes() {
    FanGroups noApproving = FanGroups.builder().clock(clock)
        .capabilities(Role.ADMIN, EnumSet.of(Capability.MANAGE_PASSCODES)).build();
    GroupInfo g = noApproving.createGroup(asCreator(), GroupSettings.builder().name("g").joinMode(JoinMode.APPROVAL).build());
    noApproving.addMember(asCreator(), g.id(), user("admin"));
    noApproving.appointAdmin(asCreator(), g.id(), user("admin"));

    assertCode(ErrorCode.NOT_PERMITTED, () -> noApproving.createPasscode(as(user("admin")),
        PasscodeSpec.forGroup(g.id()).mode(PasscodeMode.JOIN).build()));
    IssuedPasscode followsMode = noApproving.createPasscode(as(user("admin")), PasscodeSpec.forGroup(g.id()).build());
    assertThat(followsMode.info().spec().mode()).isEqualTo(PasscodeMode.FOLLOW_JOIN_MODE);
    assertThat(noApproving.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).mode(PasscodeMode.JOIN).build())
        .info().spec().mode()).isEqualTo(PasscodeMode.JOIN);
  }

  @Test
  void joinCode_byAnAdminWithDefaultCapabilities_isAllowed() {
    GroupInfo g = group("审核群", 200, JoinMode.APPROVAL);
    groups.addMember(asCreator(), g.id(), user("admin"));
    groups.appointAdmin(asCreator(), g.id(), user("admin"));

    IssuedPasscode issued = groups.createPasscode(as(user("admin")),
        PasscodeSpec.forGroup(g.id()).mode(PasscodeMode.JOIN).build());

    assertThat(issued.info().createdBy()).isEqualTo(user("admin"));
    assertThat(groups.redeemPasscode(as(user("fan")), issued.display(), PHONE).joined()).isTrue();
  }
}
