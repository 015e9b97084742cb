package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupEvent;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MembershipTest extends Fixture {

  @Test
  void createGroup_ownerIsFirstMember() {
    GroupInfo g = group("小鹿的粉丝1群", GroupSettings.CAP_200, JoinMode.OPEN);
    assertThat(g.owner()).isEqualTo(creator);
    assertThat(g.memberCount()).isEqualTo(1);
    assertThat(g.freeSeats()).isEqualTo(199);
    assertThat(groups.member(g.id(), creator)).get().extracting(Member::role).isEqualTo(Role.OWNER);
    assertThat(groups.groupsOf(creator)).extracting(GroupInfo::id).containsExactly(g.id());
  }

  @Test
  void createGroup_beyondQuota_isRefused() {
    FanGroups small = FanGroups.builder().clock(clock).groupsPerCreator(2).build();
    small.createGroup(asCreator(), GroupSettings.of("a", 200));
    GroupInfo b = small.createGroup(asCreator(), GroupSettings.of("b", 200));
    assertCode(ErrorCode.QUOTA_EXCEEDED, () -> small.createGroup(asCreator(), GroupSettings.of("c", 200)));
    small.disband(asCreator(), b.id());
    assertThat(small.createGroup(asCreator(), GroupSettings.of("c", 200)).settings().name()).isEqualTo("c");
  }

  @Test
  void apply_openGroupAllowAll_joinsAtOnce() {
    GroupInfo g = group("open", 200, JoinMode.OPEN);
    JoinResult r = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON);
    assertThat(r.joined()).isTrue();
    assertThat(r.member()).get().extracting(Member::source).isEqualTo(JoinSource.BUTTON);
    assertCode(ErrorCode.ALREADY_MEMBER, () -> groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON));
  }

  @Test
  void apply_approvalGroup_createsOnePendingRequest() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    JoinResult r = groups.apply(as(user("fan")), g.id(), JoinSource.INVITE);
    assertThat(r.joined()).isFalse();
    JoinRequest request = r.request().orElseThrow();
    assertThat(request.status()).isEqualTo(RequestStatus.PENDING);
    assertThat(request.expiresAt()).isEqualTo(clock.instant().plus(FanGroups.Builder.DEFAULT_REQUEST_TTL));
    assertCode(ErrorCode.REQUEST_ALREADY_PENDING, () -> groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON));
    assertThat(groups.pendingRequests(g.id())).extracting(JoinRequest::id).containsExactly(request.id());
  }

  @Test
  void approve_addsMemberAndRecordsHandler() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId id = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    Member m = groups.approve(asCreator().withReason("welcome"), id);
    assertThat(m.request()).contains(id);
    JoinRequest handled = groups.request(id);
    assertThat(handled.status()).isEqualTo(RequestStatus.APPROVED);
    assertThat(handled.handledBy()).contains(creator);
    assertThat(handled.reason()).contains("welcome");
    assertCode(ErrorCode.REQUEST_NOT_PENDING, () -> groups.approve(asCreator(), id));
  }

  @Test
  void approve_byPlainMember_isNotPermitted() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    groups.addMember(asCreator(), g.id(), user("m"));
    RequestId id = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.approve(as(user("m")), id));
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.approve(as(user("stranger")), id));
    assertThat(groups.request(id).status()).isEqualTo(RequestStatus.PENDING);
  }

  @Test
  void approve_rechecksPolicy_andLeavesThePendingRequestWhenNoLongerEligible() {
    AtomicReference<Verdict> verdict = new AtomicReference<>(Verdict.REVIEW);
    AdmissionPolicy policy = a -> new AdmissionDecision(verdict.get(), List.of("FOLLOW_DAYS"), "follow 7 days");
    GroupInfo g = groups.createGroup(asCreator(), GroupSettings.builder().name("rule").policy(policy).build());
    RequestId id = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    verdict.set(Verdict.DENY); // the fan unfollowed after applying
    long sequence = groups.group(g.id()).lastSequence();
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.approve(asCreator(), id));
    assertThat(groups.request(id).status()).isEqualTo(RequestStatus.PENDING);
    assertThat(groups.member(g.id(), user("fan"))).isEmpty();
    assertThat(groups.group(g.id()).lastSequence()).isEqualTo(sequence);
    verdict.set(Verdict.REVIEW); // the fan followed again
    assertThat(groups.approve(asCreator(), id).user()).isEqualTo(user("fan"));
  }

  @Test
  void apply_deniedByPolicy_carriesTheDecision() {
    AdmissionPolicy policy = a -> AdmissionDecision.deny("Follow for 3 more days", "DAYS_FOLLOWING");
    GroupInfo g = groups.createGroup(asCreator(), GroupSettings.builder().name("rule").policy(policy).build());
    try {
      groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON);
      throw new AssertionError("expected NOT_ELIGIBLE");
    } catch (FanGroupsException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_ELIGIBLE);
      assertThat(e.decision()).get().extracting(AdmissionDecision::reasons).isEqualTo(List.of("DAYS_FOLLOWING"));
    }
    assertThat(groups.group(g.id()).lastSequence()).isEqualTo(1);
  }

  @Test
  void apply_policyThrows_failsClosedWithPolicyFailed() {
    AdmissionPolicy broken = a -> {
      throw new IllegalStateException("fact source down");
    };
    GroupInfo g = groups.createGroup(asCreator(), GroupSettings.builder().name("rule").policy(broken).build());
    assertCode(ErrorCode.POLICY_FAILED, () -> groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON));
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(1);
  }

  @Test
  void openGroup_reviewVerdict_becomesRequest() {
    GroupInfo g = groups.createGroup(asCreator(),
        GroupSettings.builder().name("rule").policy(AdmissionPolicy.requireApproval()).build());
    JoinResult r = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON);
    assertThat(r.joined()).isFalse();
    assertThat(r.decision().verdict()).isEqualTo(Verdict.REVIEW);
  }

  @Test
  void approveAll_returnsOneResultPerItemInOrder() {
    GroupInfo g = group("small", 3, JoinMode.APPROVAL);
    RequestId a = groups.apply(as(user("a")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    RequestId b = groups.apply(as(user("b")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    RequestId c = groups.apply(as(user("c")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    groups.withdraw(as(user("b")), b);
    RequestId unknown = RequestId.of("r_nope");

    BulkResult result = groups.approveAll(asCreator(), List.of(a, b, c, unknown));

    assertThat(result.items()).extracting(BulkResult.Item::outcome).containsExactly(
        BulkResult.Outcome.APPROVED, BulkResult.Outcome.ALREADY_HANDLED, BulkResult.Outcome.APPROVED,
        BulkResult.Outcome.NOT_FOUND);
    assertThat(result.count(BulkResult.Outcome.APPROVED)).isEqualTo(2);
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(3);
  }

  @Test
  void approveAll_whenFull_leavesTheRestPending() {
    GroupInfo g = group("tiny", 2, JoinMode.APPROVAL);
    RequestId a = groups.apply(as(user("a")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    RequestId b = groups.apply(as(user("b")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    BulkResult result = groups.approveAll(asCreator(), List.of(a, b));
    assertThat(result.items()).extracting(BulkResult.Item::outcome)
        .containsExactly(BulkResult.Outcome.APPROVED, BulkResult.Outcome.GROUP_FULL);
    assertThat(result.items().get(1).error()).contains(ErrorCode.GROUP_FULL);
    assertThat(groups.request(b).status()).isEqualTo(RequestStatus.PENDING);
  }

  @Test
  void rejectAll_recordsReason() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId a = groups.apply(as(user("a")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    BulkResult result = groups.rejectAll(asCreator().withReason("spam wave"), List.of(a));
    assertThat(result.count(BulkResult.Outcome.REJECTED)).isEqualTo(1);
    assertThat(groups.request(a).reason()).contains("spam wave");
  }

  @Test
  void withdraw_bySomeoneElse_isNotPermitted() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId a = groups.apply(as(user("a")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.withdraw(as(user("b")), a));
    assertThat(groups.withdraw(as(user("a")), a).status()).isEqualTo(RequestStatus.WITHDRAWN);
  }

  @Test
  void apply_respectsJoinModesAndPause() {
    GroupInfo closed = group("closed", 200, JoinMode.CLOSED);
    GroupInfo passcode = group("passcode", 200, JoinMode.PASSCODE_ONLY);
    GroupInfo open = group("open", 200, JoinMode.OPEN);
    assertCode(ErrorCode.JOINS_CLOSED, () -> groups.apply(as(user("f")), closed.id(), JoinSource.BUTTON));
    assertCode(ErrorCode.JOIN_MODE_MISMATCH, () -> groups.apply(as(user("f")), passcode.id(), JoinSource.BUTTON));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.apply(as(user("f")), open.id(), JoinSource.ADMIN_ADD));

    groups.pauseJoins(asCreator(), open.id(), clock.instant().plus(Duration.ofHours(1)));
    assertCode(ErrorCode.JOINS_PAUSED, () -> groups.apply(as(user("f")), open.id(), JoinSource.BUTTON));
    groups.addMember(asCreator(), open.id(), user("vip")); // admins still add during a pause
    clock.advance(Duration.ofHours(1));
    assertThat(groups.apply(as(user("f")), open.id(), JoinSource.BUTTON).joined()).isTrue();
  }

  @Test
  void closingGroup_cancelsPendingRequests() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId a = groups.apply(as(user("a")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    groups.updateSettings(asCreator(), g.id(), g.settings().toBuilder().joinMode(JoinMode.CLOSED).build());
    assertThat(groups.request(a).status()).isEqualTo(RequestStatus.CANCELLED);
  }

  @Test
  void updateSettings_capBelowMembers_isRefused() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    groups.apply(as(user("a")), g.id(), JoinSource.BUTTON);
    groups.apply(as(user("b")), g.id(), JoinSource.BUTTON);
    assertCode(ErrorCode.CAP_BELOW_MEMBER_COUNT,
        () -> groups.updateSettings(asCreator(), g.id(), g.settings().toBuilder().cap(2).build()));
    assertThat(groups.updateSettings(asCreator(), g.id(), g.settings().toBuilder().cap(3).build()).settings().cap())
        .isEqualTo(3);
    assertCode(ErrorCode.GROUP_FULL, () -> groups.apply(as(user("c")), g.id(), JoinSource.BUTTON));
  }

  @Test
  void kick_respectsRank() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    groups.addMember(asCreator(), g.id(), user("admin"));
    groups.appointAdmin(asCreator(), g.id(), user("admin"));
    groups.addMember(asCreator(), g.id(), user("admin2"));
    groups.appointAdmin(asCreator(), g.id(), user("admin2"));
    groups.addMember(asCreator(), g.id(), user("m"));
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.kick(as(user("admin")), g.id(), creator));
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.kick(as(user("admin")), g.id(), user("admin2")));
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.kick(as(user("m")), g.id(), user("admin")));
    groups.kick(as(user("admin")), g.id(), user("m"));
    assertThat(groups.member(g.id(), user("m"))).isEmpty();
    assertCode(ErrorCode.NOT_A_MEMBER, () -> groups.kick(as(user("admin")), g.id(), user("m")));
  }

  @Test
  void leave_ownerCannotLeave() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    assertCode(ErrorCode.OWNER_CANNOT_LEAVE, () -> groups.leave(asCreator(), g.id()));
    assertCode(ErrorCode.NOT_A_MEMBER, () -> groups.leave(as(user("x")), g.id()));
  }

  @Test
  void ban_removesMemberCancelsRequestAndBlocksRejoin() {
    GroupInfo open = group("open", 200, JoinMode.OPEN);
    GroupInfo approval = group("approval", 200, JoinMode.APPROVAL);
    groups.apply(as(user("troll")), open.id(), JoinSource.BUTTON);
    RequestId pending = groups.apply(as(user("troll")), approval.id(), JoinSource.BUTTON).request().orElseThrow().id();

    groups.ban(asCreator().withReason("spam"), open.id(), user("troll"), Duration.ofDays(1));
    groups.ban(asCreator(), approval.id(), user("troll"), Duration.ofDays(1));

    assertThat(groups.member(open.id(), user("troll"))).isEmpty();
    assertThat(groups.request(pending).status()).isEqualTo(RequestStatus.CANCELLED);
    assertCode(ErrorCode.BANNED, () -> groups.apply(as(user("troll")), open.id(), JoinSource.BUTTON));
    assertCode(ErrorCode.BANNED, () -> groups.addMember(asCreator(), open.id(), user("troll")));
    assertThat(groups.unban(asCreator(), open.id(), user("troll"))).isTrue();
    assertThat(groups.unban(asCreator(), open.id(), user("troll"))).isFalse();
    assertThat(groups.apply(as(user("troll")), open.id(), JoinSource.BUTTON).joined()).isTrue();
  }

  @Test
  void appointAdmin_respectsAdminLimit() {
    FanGroups strict = FanGroups.builder().clock(clock).adminLimit(1).build();
    GroupInfo g = strict.createGroup(asCreator(), GroupSettings.of("g", 200));
    strict.addMember(asCreator(), g.id(), user("a"));
    strict.addMember(asCreator(), g.id(), user("b"));
    strict.appointAdmin(asCreator(), g.id(), user("a"));
    assertCode(ErrorCode.ADMIN_LIMIT_REACHED, () -> strict.appointAdmin(asCreator(), g.id(), user("b")));
    assertCode(ErrorCode.NOT_PERMITTED, () -> strict.appointAdmin(as(user("a")), g.id(), user("b")));
    strict.dismissAdmin(asCreator(), g.id(), user("a"));
    strict.appointAdmin(asCreator(), g.id(), user("b"));
    assertThat(strict.member(g.id(), user("b"))).get().extracting(Member::role).isEqualTo(Role.ADMIN);
  }

  @Test
  void transferOwnership_previousOwnerBecomesAdmin() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    groups.addMember(asCreator(), g.id(), user("heir"));
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.transferOwnership(as(user("heir")), g.id(), user("heir")));
    groups.transferOwnership(asCreator(), g.id(), user("heir"));
    assertThat(groups.group(g.id()).owner()).isEqualTo(user("heir"));
    assertThat(groups.member(g.id(), creator)).get().extracting(Member::role).isEqualTo(Role.ADMIN);
    assertThat(groups.groupsOf(user("heir"))).extracting(GroupInfo::id).containsExactly(g.id());
    assertThat(groups.groupsOf(creator)).isEmpty();
    assertThat(groups.can(g.id(), user("heir"), Capability.DISBAND)).isTrue();
    assertThat(groups.can(g.id(), creator, Capability.DISBAND)).isFalse();
  }

  @Test
  void transferOwnership_toNonMemberAtTheirQuota_isNotAMember() {
    FanGroups fg = FanGroups.builder().clock(clock).groupsPerCreator(1).build();
    GroupInfo g = fg.createGroup(asCreator(), GroupSettings.of("g", 200));
    fg.createGroup(CommandContext.of("someone"), GroupSettings.of("theirs", 200));
    assertCode(ErrorCode.NOT_A_MEMBER, () -> fg.transferOwnership(asCreator(), g.id(), user("someone")));
    assertThat(fg.group(g.id()).owner()).isEqualTo(creator);
  }

  @Test
  void dismissAdmin_byAdminGrantedAppointAdmins_isNotPermittedOnAnEqual() {
    Set<Capability> admin = EnumSet.copyOf(Role.ADMIN.defaultCapabilities());
    admin.add(Capability.APPOINT_ADMINS);
    FanGroups fg = FanGroups.builder().clock(clock).capabilities(Role.ADMIN, admin).build();
    GroupInfo g = fg.createGroup(asCreator(), GroupSettings.of("g", 200));
    for (String u : List.of("a1", "a2")) {
      fg.addMember(asCreator(), g.id(), user(u));
      fg.appointAdmin(asCreator(), g.id(), user(u));
    }
    assertCode(ErrorCode.NOT_PERMITTED, () -> fg.dismissAdmin(as(user("a1")), g.id(), user("a2")));
    assertThat(fg.member(g.id(), user("a2"))).get().extracting(Member::role).isEqualTo(Role.ADMIN);
  }

  @Test
  void disband_cancelsRequestsAndRefusesFurtherCommands() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId a = groups.apply(as(user("a")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    assertCode(ErrorCode.NOT_PERMITTED, () -> groups.disband(as(user("a")), g.id()));
    groups.disband(asCreator(), g.id());
    assertThat(groups.request(a).status()).isEqualTo(RequestStatus.CANCELLED);
    assertThat(groups.group(g.id()).status()).isEqualTo(GroupStatus.DISBANDED);
    assertCode(ErrorCode.GROUP_DISBANDED, () -> groups.apply(as(user("b")), g.id(), JoinSource.BUTTON));
    assertCode(ErrorCode.GROUP_DISBANDED, () -> groups.addMember(asCreator(), g.id(), user("b")));
  }

  @Test
  void capabilities_canBeNarrowedPerRole() {
    FanGroups custom = FanGroups.builder().clock(clock)
        .capabilities(Role.ADMIN, Set.of(Capability.APPROVE_REQUESTS)).build();
    GroupInfo g = custom.createGroup(asCreator(), GroupSettings.of("g", 200));
    custom.addMember(asCreator(), g.id(), user("a"));
    custom.addMember(asCreator(), g.id(), user("m"));
    custom.appointAdmin(asCreator(), g.id(), user("a"));
    assertCode(ErrorCode.NOT_PERMITTED, () -> custom.kick(as(user("a")), g.id(), user("m")));
    assertThat(custom.can(g.id(), user("a"), Capability.APPROVE_REQUESTS)).isTrue();
  }

  @Test
  void events_areGaplessAndAttributed() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL);
    RequestId id = groups.apply(as(user("fan")), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    groups.approve(asCreator().withIdempotencyKey("approve-1"), id);

    List<GroupEvent> events = groups.events(g.id(), 0, 100);
    assertThat(events).extracting(GroupEvent::sequence).containsExactly(1L, 2L, 3L, 4L);
    GroupEvent joined = events.get(3);
    assertThat(joined.change()).isInstanceOf(MemberJoined.class);
    assertThat(joined.attribution().actor()).contains(creator);
    assertThat(joined.attribution().request()).contains(id);
    assertThat(joined.attribution().source()).contains(JoinSource.BUTTON);
    assertThat(joined.attribution().idempotencyKey()).contains("approve-1");
    assertThat(events.get(2).change()).isEqualTo(new RequestHandled(id, user("fan"), RequestStatus.APPROVED));
    assertThat(groups.events(g.id(), 2, 1)).extracting(GroupEvent::sequence).containsExactly(3L);
  }
}
