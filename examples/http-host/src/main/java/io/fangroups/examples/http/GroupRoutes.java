package io.fangroups.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinMode;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.rules.RuleCompiler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Groups and families: create them, and list a creator's groups with the viewer's eligibility
 * preview.
 *
 * <pre>
 * POST /families                     {"name"}                                   → 201 family
 * POST /groups                       {"name", "cap", "joinMode", "rule", "familyId"} → 201 group
 * GET  /groups/{groupId}             → the group with the viewer's preview
 * GET  /creators/{creatorId}/groups  → the creator's groups with the viewer's preview
 * POST /groups/{groupId}/settings    {"name", "cap", "joinMode", "rule"}, absent fields kept → 200 group
 * POST /groups/{groupId}/pause       {"minutes"} → 200 group, new joins paused
 * POST /groups/{groupId}/resume      → 200 group
 * </pre>
 */
final class GroupRoutes {
  /**
   * A new family.
   *
   * @param name 1 to 64 characters
   */
  record NewFamily(String name) {}

  /**
   * A new group.
   *
   * @param name 1 to 64 characters
   * @param cap 200 or 500 (or 2 to 2000); 200 when absent
   * @param joinMode OPEN, APPROVAL, PASSCODE_ONLY or CLOSED; OPEN when absent
   * @param rule the admission rule in the sdk-rules JSON form, as an object or a string; everyone when absent
   * @param familyId the creator's family to put it in
   */
  record NewGroup(String name, Integer cap, JoinMode joinMode, JsonNode rule, String familyId) {}

  /**
   * Settings to change; an absent field keeps its value.
   *
   * @param name 1 to 64 characters
   * @param cap 2 to 2000, not below the member count
   * @param joinMode OPEN, APPROVAL, PASSCODE_ONLY or CLOSED
   * @param rule the admission rule in the sdk-rules JSON form
   */
  record SettingsChange(String name, Integer cap, JoinMode joinMode, JsonNode rule) {}

  /**
   * A pause of new joins.
   *
   * @param minutes 1 to 525,600 (a year)
   */
  record Pause(Integer minutes) {}

  /**
   * A creator's groups as one viewer sees them.
   *
   * @param creator the creator
   * @param viewer who asked
   * @param groups in creation order
   */
  record CreatorGroups(UserId creator, UserId viewer, List<GroupView> groups) {}

  private final FanGroups fanGroups;
  private final EligibilityPreview preview;
  private final RuleCompiler rules = RuleCompiler.of();

  GroupRoutes(FanGroups fanGroups, EligibilityPreview preview) {
    this.fanGroups = fanGroups;
    this.preview = preview;
  }

  void register(Router router) {
    router.post("/families", this::createFamily)
        .post("/groups", this::createGroup)
        .get("/groups/{groupId}", this::group)
        .get("/creators/{creatorId}/groups", this::creatorGroups)
        .post("/groups/{groupId}/settings", this::changeSettings)
        .post("/groups/{groupId}/pause", this::pause)
        .post("/groups/{groupId}/resume", call -> settingsReply(fanGroups.pauseJoins(call.context(), groupOf(call), null)));
  }

  private Reply createFamily(Call call) {
    NewFamily body = call.body(NewFamily.class);
    return Reply.created(fanGroups.createFamily(call.context(), body.name()));
  }

  private Reply createGroup(Call call) {
    NewGroup body = call.body(NewGroup.class);
    GroupSettings.Builder settings = GroupSettings.builder().name(body.name())
        .cap(body.cap() == null ? GroupSettings.CAP_200 : body.cap())
        .joinMode(body.joinMode() == null ? JoinMode.OPEN : body.joinMode())
        .family(body.familyId() == null ? null : FamilyId.of(body.familyId()));
    setRule(settings, body.rule());
    GroupInfo group = fanGroups.createGroup(call.context(), settings.build());
    return Reply.created(GroupView.of(group, Optional.empty()));
  }

  private void setRule(GroupSettings.Builder settings, JsonNode rule) {
    if (rule != null && !rule.isNull()) {
      settings.policy(AdmissionPolicy.rule(rules.compile(rule.isTextual() ? rule.asText() : rule.toString())));
    }
  }

  private static GroupId groupOf(Call call) {
    return GroupId.of(call.pathVariable("groupId"));
  }

  private static Reply settingsReply(GroupInfo group) {
    return Reply.ok(GroupView.of(group, Optional.empty()));
  }

  private Reply changeSettings(Call call) {
    SettingsChange body = call.body(SettingsChange.class);
    GroupId id = groupOf(call);
    GroupSettings.Builder settings = fanGroups.group(id).settings().toBuilder();
    if (body.name() != null) {
      settings.name(body.name());
    }
    if (body.cap() != null) {
      settings.cap(body.cap());
    }
    if (body.joinMode() != null) {
      settings.joinMode(body.joinMode());
    }
    setRule(settings, body.rule());
    return settingsReply(fanGroups.updateSettings(call.context(), id, settings.build()));
  }

  private Reply pause(Call call) {
    Pause body = call.body(Pause.class);
    if (body.minutes() == null || body.minutes() < 1 || body.minutes() > 525_600) {
      throw new FanGroupsException(ErrorCode.INVALID_ARGUMENT, "minutes must be 1 to 525,600");
    }
    Instant until = Instant.now().plus(Duration.ofMinutes(body.minutes()));
    return settingsReply(fanGroups.pauseJoins(call.context(), groupOf(call), until));
  }

  private Reply group(Call call) {
    UserId viewer = call.user();
    GroupInfo group = fanGroups.group(GroupId.of(call.pathVariable("groupId")));
    return Reply.ok(GroupView.of(group, Optional.of(preview.of(group, viewer, call.locale()))));
  }

  private Reply creatorGroups(Call call) {
    UserId viewer = call.user();
    UserId creator = UserId.of(call.pathVariable("creatorId"));
    List<GroupView> groups = fanGroups.groupsOf(creator).stream()
        .map(g -> GroupView.of(g, Optional.of(preview.of(g, viewer, call.locale())))).toList();
    return Reply.ok(new CreatorGroups(creator, viewer, groups));
  }
}
