package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.JoinPreview.Availability;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JoinPreviewTest {
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  private final RuleAdmissionTest.FakeHost host = new RuleAdmissionTest.FakeHost();
  private final FanGroups groups = FanGroups.builder().clock(clock).factSource(host).build();
  private final CommandContext owner = CommandContext.of("owner");
  private final UserId viewer = UserId.of("viewer");

  private GroupInfo group(String name, int cap, JoinMode mode, AdmissionPolicy policy) {
    return groups.createGroup(owner, GroupSettings.builder().name(name).cap(cap).joinMode(mode).policy(policy).build());
  }

  @Test
  void profile_showsEachGroupAsTheViewerMeetsIt_withOneFactFetch() {
    AdmissionPolicy seed = AdmissionPolicy.rule(RuleCompiler.of().compile(RuleAdmissionTest.SEED.formatted("deny")));
    GroupInfo open = group("open", 200, JoinMode.OPEN, AdmissionPolicy.allowAll());
    GroupInfo approval = group("approval", 200, JoinMode.APPROVAL, AdmissionPolicy.allowAll());
    GroupInfo loyal = group("loyal", 200, JoinMode.OPEN, seed);
    GroupInfo loyal2 = group("loyal 2", 200, JoinMode.OPEN, seed);
    GroupInfo full = group("full", 2, JoinMode.OPEN, AdmissionPolicy.allowAll());
    GroupInfo passcode = group("passcode", 200, JoinMode.PASSCODE_ONLY, AdmissionPolicy.allowAll());
    GroupInfo closed = group("closed", 200, JoinMode.CLOSED, AdmissionPolicy.allowAll());
    GroupInfo banned = group("banned", 200, JoinMode.OPEN, AdmissionPolicy.allowAll());
    groups.addMember(owner, full.id(), UserId.of("someone"));
    groups.ban(owner, banned.id(), viewer, Duration.ofDays(1));
    host.facts.put("viewer", Map.of("days_following", 3, "fan_club_member", true, "fan_club_level", 1));
    host.queries.clear();

    assertThat(groups.previewGroupsOf(viewer, UserId.of("owner")))
        .extracting(p -> p.group().id(), JoinPreview::availability)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(open.id(), Availability.CAN_JOIN),
            org.assertj.core.groups.Tuple.tuple(approval.id(), Availability.CAN_APPLY),
            org.assertj.core.groups.Tuple.tuple(loyal.id(), Availability.NOT_ELIGIBLE),
            org.assertj.core.groups.Tuple.tuple(loyal2.id(), Availability.NOT_ELIGIBLE),
            org.assertj.core.groups.Tuple.tuple(full.id(), Availability.FULL),
            org.assertj.core.groups.Tuple.tuple(passcode.id(), Availability.PASSCODE_ONLY),
            org.assertj.core.groups.Tuple.tuple(closed.id(), Availability.CLOSED),
            org.assertj.core.groups.Tuple.tuple(banned.id(), Availability.BANNED));
    assertThat(host.queries).singleElement().satisfies(q -> assertThat(q.userIds()).containsExactly("viewer"));
  }

  @Test
  void notEligible_carriesTheNearestPath() {
    AdmissionPolicy seed = AdmissionPolicy.rule(RuleCompiler.of().compile(RuleAdmissionTest.SEED.formatted("deny")));
    GroupInfo loyal = group("loyal", 200, JoinMode.OPEN, seed);
    host.facts.put("viewer", Map.of("days_following", 5, "fan_club_member", false, "fan_club_level", 0));
    JoinPreview p = groups.preview(viewer, loyal.id());
    assertThat(p.availability()).isEqualTo(Availability.NOT_ELIGIBLE);
    assertThat(p.decision().orElseThrow().render(Locale.ENGLISH, ZoneOffset.UTC)).contains("2 more days");
  }

  @Test
  void previewChangesNothing_andFollowsMembershipChanges() {
    GroupInfo g = group("approval", 200, JoinMode.APPROVAL, AdmissionPolicy.allowAll());
    assertThat(groups.preview(viewer, g.id()).availability()).isEqualTo(Availability.CAN_APPLY);
    assertThat(groups.group(g.id()).lastSequence()).isEqualTo(1);
    RequestId r = groups.apply(CommandContext.of(viewer), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    assertThat(groups.preview(viewer, g.id()).availability()).isEqualTo(Availability.PENDING);
    groups.approve(owner, r);
    assertThat(groups.preview(viewer, g.id()).availability()).isEqualTo(Availability.MEMBER);
    groups.pauseJoins(owner, g.id(), clock.instant().plus(Duration.ofHours(1)));
    assertThat(groups.preview(UserId.of("other"), g.id()).availability()).isEqualTo(Availability.PAUSED);
    groups.disband(owner, g.id());
    assertThat(groups.preview(viewer, g.id()).availability()).isEqualTo(Availability.DISBANDED);
  }
}
