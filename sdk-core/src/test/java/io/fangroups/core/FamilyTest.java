package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyTest extends Fixture {

  private GroupInfo member(Family f, String name, int cap, JoinMode mode, AdmissionPolicy policy) {
    return groups.createGroup(asCreator(),
        GroupSettings.builder().name(name).cap(cap).joinMode(mode).policy(policy).family(f.id()).build());
  }

  @Test
  void applyToFamily_fillsGroupsInOrderThenSaysFull() {
    Family f = groups.createFamily(asCreator(), "小鹿的粉丝群");
    GroupInfo first = member(f, "1群", 2, JoinMode.OPEN, AdmissionPolicy.allowAll());
    GroupInfo second = member(f, "2群", 3, JoinMode.OPEN, AdmissionPolicy.allowAll());
    group("not in family", 200, JoinMode.OPEN);
    assertThat(groups.familyGroups(f.id())).extracting(GroupInfo::id).containsExactly(first.id(), second.id());

    List<GroupId> landed = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      landed.add(groups.applyToFamily(as(user("fan" + i)), f.id(), JoinSource.BUTTON).group());
    }
    assertThat(landed).containsExactly(first.id(), second.id(), second.id());
    assertCode(ErrorCode.FAMILY_FULL, () -> groups.applyToFamily(as(user("late")), f.id(), JoinSource.BUTTON));
    assertCode(ErrorCode.ALREADY_MEMBER, () -> groups.applyToFamily(as(user("fan0")), f.id(), JoinSource.BUTTON));
  }

  @Test
  void applyToFamily_skipsGroupsWhosePolicyDenies() {
    Family f = groups.createFamily(asCreator(), "fans");
    member(f, "vip", 200, JoinMode.OPEN, a -> AdmissionDecision.deny("fan-club level 3 needed", "FAN_CLUB_LEVEL"));
    GroupInfo everyone = member(f, "everyone", 200, JoinMode.APPROVAL, AdmissionPolicy.allowAll());
    JoinResult r = groups.applyToFamily(as(user("fan")), f.id(), JoinSource.BUTTON);
    assertThat(r.group()).isEqualTo(everyone.id());
    assertThat(r.request()).get().extracting(JoinRequest::group, JoinRequest::status)
        .containsExactly(everyone.id(), RequestStatus.PENDING);
    assertCode(ErrorCode.REQUEST_ALREADY_PENDING, () -> groups.applyToFamily(as(user("fan")), f.id(), JoinSource.BUTTON));
  }

  @Test
  void applyToFamily_allDenied_isNotEligible() {
    Family f = groups.createFamily(asCreator(), "fans");
    member(f, "vip", 200, JoinMode.OPEN, a -> AdmissionDecision.deny("no", "RULE"));
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.applyToFamily(as(user("fan")), f.id(), JoinSource.BUTTON));
  }

  @Test
  void applyToFamily_withoutGroups_isClosed() {
    Family f = groups.createFamily(asCreator(), "empty");
    assertCode(ErrorCode.JOINS_CLOSED, () -> groups.applyToFamily(as(user("fan")), f.id(), JoinSource.BUTTON));
  }
}
