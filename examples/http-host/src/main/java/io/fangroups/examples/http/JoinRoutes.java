package io.fangroups.examples.http;

import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.JoinSource;

/**
 * Joining: the apply button on a group or a family, and a pasted passcode (群口令).
 *
 * <pre>
 * POST /groups/{groupId}/applications    → 200 joined, or 202 with a pending request
 * POST /families/{familyId}/applications → the same, for the first group of the family that takes the user
 * POST /passcode-redemptions             {"text", "groupId"} → the same; X-Device-Id and the client address are counted
 * </pre>
 */
final class JoinRoutes {
  /**
   * A pasted passcode.
   *
   * @param text what the user pasted, as it came (mangled by chat apps is fine)
   * @param groupId the group page the code was entered on, if any (SHORT codes need it)
   */
  record Redemption(String text, String groupId) {}

  private final FanGroups fanGroups;

  JoinRoutes(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  void register(Router router) {
    router.post("/groups/{groupId}/applications", call -> JoinView.reply(
            fanGroups.apply(call.context(), GroupId.of(call.pathVariable("groupId")), JoinSource.BUTTON)))
        .post("/families/{familyId}/applications", call -> JoinView.reply(
            fanGroups.applyToFamily(call.context(), FamilyId.of(call.pathVariable("familyId")), JoinSource.BUTTON)))
        .post("/passcode-redemptions", this::redeem);
  }

  private Reply redeem(Call call) {
    Redemption body = call.body(Redemption.class);
    return JoinView.reply(body.groupId() == null
        ? fanGroups.redeemPasscode(call.context(), body.text(), call.client())
        : fanGroups.redeemPasscode(call.context(), GroupId.of(body.groupId()), body.text(), call.client()));
  }
}
