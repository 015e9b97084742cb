package io.fangroups.core.internal;

import io.fangroups.core.Capability;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinMode;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.GroupDisbanded;
import io.fangroups.core.event.GroupChange.OwnershipTransferred;
import io.fangroups.core.event.GroupChange.RoleChanged;
import io.fangroups.core.event.GroupChange.SettingsChanged;
import io.fangroups.spi.IdGenerator;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A group's life: creating groups and families, settings and pauses, admins, ownership, disbanding. */
public final class GroupCommands {
  private final GroupRepository store;
  private final CommandRunner runner;
  private final Permissions permissions;
  private final Queries queries;
  private final IdGenerator ids;
  private final int groupsPerCreator;
  private final int adminLimit;

  public GroupCommands(GroupRepository store, CommandRunner runner, Permissions permissions, Queries queries,
      IdGenerator ids, int groupsPerCreator, int adminLimit) {
    this.store = store;
    this.runner = runner;
    this.permissions = permissions;
    this.queries = queries;
    this.ids = ids;
    this.groupsPerCreator = groupsPerCreator;
    this.adminLimit = adminLimit;
  }

  public GroupInfo createGroup(CommandContext ctx, GroupSettings settings) {
    return runner.idempotent(ctx, "createGroup", () -> {
      settings.family().ifPresent(f -> requireOwnFamily(f, ctx.actor()));
      GroupId id = GroupId.of(ids.newId("g"));
      return store.create(ctx.actor(), groupsPerCreator, id, runner.now(), Attribution.of(ctx), settings);
    }, settings);
  }

  public Family createFamily(CommandContext ctx, String name) {
    return runner.idempotent(ctx, "createFamily", () -> {
      Family family = new Family(FamilyId.of(ids.newId("f")), ctx.actor(), name);
      store.addFamily(family);
      return family;
    }, name);
  }

  public GroupInfo updateSettings(CommandContext ctx, GroupId group, GroupSettings settings) {
    return runner.idempotent(ctx, "updateSettings", () -> {
      UserId owner = store.read(group, s -> s.owner);
      settings.family().ifPresent(f -> requireOwnFamily(f, owner));
      runner.write(group, (state, out) -> {
        permissions.require(state, ctx.actor(), Capability.EDIT_SETTINGS);
        if (!owner.equals(state.owner)) {
          throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "the group changed owner meanwhile; retry");
        }
        if (settings.cap() < state.members.size()) {
          throw new FanGroupsException(ErrorCode.CAP_BELOW_MEMBER_COUNT, "cap " + settings.cap() + " is below the "
              + state.members.size() + " current members; remove members first");
        }
        Attribution by = Attribution.of(ctx);
        if (settings.joinMode() == JoinMode.CLOSED && state.settings.joinMode() != JoinMode.CLOSED) {
          JoinCommands.cancelPending(state, out, by, "group closed to joins");
        }
        out.emit(by, new SettingsChanged(settings));
        return null;
      });
      return queries.group(group);
    }, group, settings);
  }

  public GroupInfo pauseJoins(CommandContext ctx, GroupId group, @Nullable Instant until) {
    return runner.idempotent(ctx, "pauseJoins", () -> {
      runner.write(group, (state, out) -> {
        permissions.require(state, ctx.actor(), Capability.EDIT_SETTINGS);
        out.emit(Attribution.of(ctx), new SettingsChanged(state.settings.toBuilder().pausedUntil(until).build()));
        return null;
      });
      return queries.group(group);
    }, group, until);
  }

  public void appointAdmin(CommandContext ctx, GroupId group, UserId member) {
    changeRole(ctx, group, member, Role.MEMBER, Role.ADMIN);
  }

  public void dismissAdmin(CommandContext ctx, GroupId group, UserId admin) {
    changeRole(ctx, group, admin, Role.ADMIN, Role.MEMBER);
  }

  private void changeRole(CommandContext ctx, GroupId group, UserId target, Role from, Role to) {
    runner.idempotent(ctx, "changeRole", () -> runner.write(group, (state, out) -> {
      Role actorRole = permissions.require(state, ctx.actor(), Capability.APPOINT_ADMINS);
      Role current = Permissions.targetRole(state, target);
      Permissions.requireOutranks(actorRole, current, target);
      if (current != from) {
        throw Checks.invalid(target + " is " + current + ", not " + from);
      }
      if (to == Role.ADMIN && state.adminCount() >= adminLimit) {
        throw new FanGroupsException(ErrorCode.ADMIN_LIMIT_REACHED, "the group already has " + adminLimit
            + " admins, the limit; dismiss one first");
      }
      out.emit(Attribution.of(ctx), new RoleChanged(target, from, to));
      return null;
    }), group, target, to);
  }

  public void transferOwnership(CommandContext ctx, GroupId group, UserId newOwner) {
    runner.idempotent(ctx, "transferOwnership", () -> {
      // A non-owner is refused before the new owner's quota is looked at, so the quota is not disclosed.
      store.read(group, s -> {
        permissions.require(s, ctx.actor(), Capability.TRANSFER_OWNERSHIP);
        return Permissions.targetRole(s, newOwner); // NOT_A_MEMBER before anything about the new owner's quota
      });
      return store.transfer(group, newOwner, groupsPerCreator, runner.now(), (state, out) -> {
        Permissions.requireActive(state);
        if (!ctx.actor().equals(state.owner)) {
          throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "only the owner can transfer the group");
        }
        Role targetRole = Permissions.targetRole(state, newOwner);
        if (targetRole == Role.OWNER) {
          throw Checks.invalid(newOwner + " already owns the group");
        }
        long adminsAfter = state.adminCount() - (targetRole == Role.ADMIN ? 1 : 0);
        Role previousOwnerRole = adminsAfter < adminLimit ? Role.ADMIN : Role.MEMBER;
        Attribution by = Attribution.of(ctx);
        out.emit(by, new OwnershipTransferred(ctx.actor(), newOwner, previousOwnerRole));
        if (state.settings.family().isPresent()) {
          // Families belong to a creator; the group leaves its old owner's family.
          out.emit(by, new SettingsChanged(state.settings.toBuilder().family(null).build()));
        }
        return null;
      });
    }, group, newOwner);
  }

  public void disband(CommandContext ctx, GroupId group) {
    runner.idempotent(ctx, "disband", () -> runner.write(group, (state, out) -> {
      permissions.require(state, ctx.actor(), Capability.DISBAND);
      Attribution by = Attribution.of(ctx);
      JoinCommands.cancelPending(state, out, by, "group disbanded");
      // What nobody claimed goes back to the senders; claims already recorded are paid all the same.
      for (Packet packet : state.redPackets.values()) {
        if (!packet.isRefunded() && !packet.isEmptied()) {
          out.emit(by.withReason("group disbanded"), packet.refund());
        }
      }
      out.emit(by, new GroupDisbanded());
      return null;
    }), group);
  }

  private void requireOwnFamily(FamilyId familyId, UserId owner) {
    Family family = queries.family(familyId);
    if (!family.creator().equals(owner)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "family " + familyId + " belongs to another creator");
    }
  }

}
