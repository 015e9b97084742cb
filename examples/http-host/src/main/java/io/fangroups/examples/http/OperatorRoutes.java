package io.fangroups.examples.http;

import io.fangroups.core.Capability;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An operator's day: members, moderation, admins, ownership, disbanding, a fan leaving or
 * withdrawing a request, and the group's live passcodes. Every action is a POST; the SDK checks
 * the caller's role and capabilities.
 *
 * <pre>
 * GET  /groups/{groupId}/members?offset=&amp;limit=   → a page of members, in joining order (members only)
 * POST /groups/{groupId}/leave                     → 200
 * POST /groups/{groupId}/members/{userId}/kick     → 200
 * POST /groups/{groupId}/bans                      {"userId", "minutes"} → 200
 * POST /groups/{groupId}/bans/{userId}/lift        → 200 {"lifted"}
 * POST /groups/{groupId}/mutes                     {"userId", "minutes"} → 200
 * POST /groups/{groupId}/mutes/{userId}/lift       → 200 {"lifted"}
 * POST /groups/{groupId}/admins                    {"userId"} → 200
 * POST /groups/{groupId}/admins/{userId}/dismiss   → 200
 * POST /groups/{groupId}/owner                     {"userId"} → 200, ownership transferred
 * POST /groups/{groupId}/disband                   → 200
 * POST /requests/{requestId}/withdraw              → 200 the request
 * GET  /groups/{groupId}/passcodes                 → the live codes (MANAGE_PASSCODES), never the code itself
 * POST /passcodes/{passcodeId}/revoke              → 200 the record
 * </pre>
 */
final class OperatorRoutes {
  /** The most members one page holds. */
  static final int MAX_PAGE = 200;

  /**
   * A timed sanction.
   *
   * @param userId whom it is for
   * @param minutes 1 to 525,600 (a year)
   */
  record Sanction(String userId, Integer minutes) {}

  /**
   * A user named in the body.
   *
   * @param userId the user
   */
  record Target(String userId) {}

  /**
   * What an action did.
   *
   * @param action the action's name
   * @param group the group
   * @param user whom it concerned
   */
  record Done(String action, GroupId group, Optional<UserId> user) {}

  /**
   * Whether a lift found something to lift.
   *
   * @param lifted false when there was no ban or mute
   */
  record Lifted(boolean lifted) {}

  /**
   * One page of members.
   *
   * @param members in joining order
   * @param total members in the group
   * @param nextOffset the next page's offset, absent on the last page
   */
  record MemberPage(List<Member> members, int total, Optional<Integer> nextOffset) {}

  /**
   * A live passcode as its managers see it: never the code, which exists only when it is made.
   *
   * @param id the record
   * @param label the owner's label
   * @param mode how it admits
   * @param uses uses taken
   * @param maxUses 0 for unlimited
   * @param expiresAt when it stops, if ever
   */
  record PasscodeView(PasscodeId id, String label, String mode, int uses, int maxUses,
      Optional<Instant> expiresAt) {
    static PasscodeView of(PasscodeInfo info) {
      return new PasscodeView(info.id(), info.spec().label(), info.spec().mode().name(), info.uses(),
          info.spec().maxUses(), info.expiresAt());
    }
  }

  /**
   * A group's live passcodes.
   *
   * @param passcodes newest last
   */
  record Passcodes(List<PasscodeView> passcodes) {}

  private final FanGroups fanGroups;

  OperatorRoutes(FanGroups fanGroups) {
    this.fanGroups = fanGroups;
  }

  void register(Router router) {
    router.get("/groups/{groupId}/members", this::members)
        .post("/groups/{groupId}/leave", call -> {
          fanGroups.leave(call.context(), group(call));
          return done("leave", call, call.user());
        })
        .post("/groups/{groupId}/members/{userId}/kick", call -> {
          fanGroups.kick(call.context(), group(call), pathUser(call));
          return done("kick", call, pathUser(call));
        })
        .post("/groups/{groupId}/bans", call -> sanction(call, "ban", fanGroups::ban))
        .post("/groups/{groupId}/bans/{userId}/lift", call -> lift(call, fanGroups::unban))
        .post("/groups/{groupId}/mutes", call -> sanction(call, "mute", fanGroups::mute))
        .post("/groups/{groupId}/mutes/{userId}/lift", call -> lift(call, fanGroups::unmute))
        .post("/groups/{groupId}/admins", call -> {
          UserId user = target(call);
          fanGroups.appointAdmin(call.context(), group(call), user);
          return done("appointAdmin", call, user);
        })
        .post("/groups/{groupId}/admins/{userId}/dismiss", call -> {
          fanGroups.dismissAdmin(call.context(), group(call), pathUser(call));
          return done("dismissAdmin", call, pathUser(call));
        })
        .post("/groups/{groupId}/owner", call -> {
          UserId user = target(call);
          fanGroups.transferOwnership(call.context(), group(call), user);
          return done("transferOwnership", call, user);
        })
        .post("/groups/{groupId}/disband", call -> {
          fanGroups.disband(call.context(), group(call));
          return Reply.ok(new Done("disband", group(call), Optional.empty()));
        })
        .post("/requests/{requestId}/withdraw", call -> Reply.ok(RequestView.of(
            fanGroups.withdraw(call.context(), RequestId.of(call.pathVariable("requestId"))))))
        .get("/groups/{groupId}/passcodes", this::passcodes)
        .post("/passcodes/{passcodeId}/revoke", call -> Reply.ok(PasscodeView.of(
            fanGroups.revokePasscode(call.context(), PasscodeId.of(call.pathVariable("passcodeId"))))));
  }

  private static GroupId group(Call call) {
    return GroupId.of(call.pathVariable("groupId"));
  }

  private static UserId pathUser(Call call) {
    return UserId.of(call.pathVariable("userId"));
  }

  private static Reply done(String action, Call call, UserId user) {
    return Reply.ok(new Done(action, group(call), Optional.of(user)));
  }

  private static UserId target(Call call) {
    Target body = call.body(Target.class);
    if (body.userId() == null) {
      throw new FanGroupsException(ErrorCode.INVALID_ARGUMENT, "userId is required");
    }
    return UserId.of(body.userId());
  }

  /** A ban or a mute: a user and how long. */
  private interface TimedSanction {
    void apply(CommandContext ctx, GroupId group, UserId user, Duration duration);
  }

  /** Lifting a ban or a mute: whether there was one. */
  private interface Lift {
    boolean apply(CommandContext ctx, GroupId group, UserId user);
  }

  private static Reply sanction(Call call, String action, TimedSanction command) {
    Sanction body = call.body(Sanction.class);
    if (body.userId() == null || body.minutes() == null || body.minutes() < 1 || body.minutes() > 525_600) {
      throw new FanGroupsException(ErrorCode.INVALID_ARGUMENT, "userId is required and minutes must be 1 to 525,600");
    }
    UserId user = UserId.of(body.userId());
    command.apply(call.context(), group(call), user, Duration.ofMinutes(body.minutes()));
    return done(action, call, user);
  }

  private static Reply lift(Call call, Lift command) {
    return Reply.ok(new Lifted(command.apply(call.context(), group(call), pathUser(call))));
  }

  private Reply members(Call call) {
    UserId viewer = call.user();
    GroupId group = group(call);
    List<Member> all = fanGroups.members(group);
    if (all.stream().noneMatch(m -> m.user().equals(viewer))) {
      throw new FanGroupsException(ErrorCode.NOT_A_MEMBER, viewer + " is not a member of " + group
          + "; only members see the member list");
    }
    int offset = (int) call.query("offset", 0, 0, Integer.MAX_VALUE);
    int limit = (int) call.query("limit", 50, 1, MAX_PAGE);
    int from = Math.min(offset, all.size());
    int to = Math.min(from + limit, all.size());
    return Reply.ok(new MemberPage(all.subList(from, to), all.size(),
        to < all.size() ? Optional.of(to) : Optional.empty()));
  }

  private Reply passcodes(Call call) {
    UserId user = call.user();
    GroupId group = group(call);
    if (!fanGroups.can(group, user, Capability.MANAGE_PASSCODES)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, user + " may not see the passcodes of " + group
          + "; that needs MANAGE_PASSCODES");
    }
    return Reply.ok(new Passcodes(fanGroups.livePasscodes(group).stream().map(PasscodeView::of).toList()));
  }
}
