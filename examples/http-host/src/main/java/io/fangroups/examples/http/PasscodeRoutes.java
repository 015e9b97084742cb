package io.fangroups.examples.http;

import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Making passcodes (群口令) for a group or a family. The response is the only time the code is in
 * the clear: the SDK keeps its HMAC.
 *
 * <pre>
 * POST /groups/{groupId}/passcodes    {"label", "maxUses", "lifetimeHours", "mode", "profile"} → 201 code and share text
 * POST /families/{familyId}/passcodes {"label", "maxUses", "lifetimeHours", "mode"}            → 201 code and share text
 * </pre>
 */
final class PasscodeRoutes {
  /**
   * A new passcode; every field may be left out.
   *
   * @param label a note for the owner, up to 32 characters
   * @param maxUses 0 (the default) for unlimited, else 1 to 100,000
   * @param lifetimeHours 1 to 8760; 168 (7 days) when absent
   * @param mode FOLLOW_JOIN_MODE (the default: a request in an APPROVAL group, a join otherwise), JOIN
   *     (a join at once even in an APPROVAL group; needs APPROVE_REQUESTS) or REQUEST (always a request)
   * @param profile STANDARD (the default) or SHORT, for a group only
   */
  record NewPasscode(String label, Integer maxUses, Integer lifetimeHours, PasscodeMode mode, PasscodeProfile profile) {}

  /**
   * A passcode as issued.
   *
   * @param id the record, for revoking it later
   * @param display the code as people read it, {@code XXXX-XXXX-XXXXX}
   * @param shareText the message to share, in the requested language
   * @param expiresAt when it stops admitting; absent for never
   * @param maxUses 0 for unlimited
   * @param mode FOLLOW_JOIN_MODE, JOIN or REQUEST
   */
  record IssuedView(PasscodeId id, String display, String shareText, Optional<Instant> expiresAt, int maxUses,
      PasscodeMode mode) {}

  private final FanGroups fanGroups;

  PasscodeRoutes(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  void register(Router router) {
    router.post("/groups/{groupId}/passcodes",
            call -> issue(call, PasscodeSpec.forGroup(GroupId.of(call.pathVariable("groupId")))))
        .post("/families/{familyId}/passcodes",
            call -> issue(call, PasscodeSpec.forFamily(FamilyId.of(call.pathVariable("familyId")))));
  }

  private Reply issue(Call call, PasscodeSpec.Builder spec) {
    NewPasscode body = call.body(NewPasscode.class);
    Optional.ofNullable(body.label()).ifPresent(spec::label);
    Optional.ofNullable(body.maxUses()).ifPresent(spec::maxUses);
    Optional.ofNullable(body.lifetimeHours()).ifPresent(hours -> spec.lifetime(Duration.ofHours(hours)));
    Optional.ofNullable(body.mode()).ifPresent(spec::mode);
    Optional.ofNullable(body.profile()).ifPresent(spec::profile);
    IssuedPasscode issued = fanGroups.createPasscode(call.context(), spec.build());
    return Reply.created(new IssuedView(issued.info().id(), issued.display(), issued.shareText(call.locale()),
        issued.info().expiresAt(), issued.info().spec().maxUses(), issued.info().spec().mode()));
  }
}
