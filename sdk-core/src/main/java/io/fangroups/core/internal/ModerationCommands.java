package io.fangroups.core.internal;

import io.fangroups.core.Capability;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupChange;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Leaving, kicking, and the two timed sanctions, bans and mutes, which share one shape. */
public final class ModerationCommands {

  /**
   * A timed sanction: the capability it needs, its events, where the group keeps it, and whether it
   * reaches beyond the group's members (a ban keeps a non-member out; a mute silences a member).
   */
  public enum Sanction {
    BAN(Capability.BAN, "ban", "unban", false) {
      @Override
      GroupChange imposed(UserId user, Instant until) {
        return new GroupChange.UserBanned(user, until);
      }

      @Override
      GroupChange lifted(UserId user) {
        return new GroupChange.UserUnbanned(user);
      }

      @Override
      Optional<Instant> activeUntil(GroupState state, UserId user, Instant now) {
        return state.bannedUntil(user, now);
      }

      /** A banned member leaves, and their pending request is cancelled. */
      @Override
      void consequences(GroupState state, CommandContext ctx, UserId user, boolean member, Transition.Changes out) {
        if (member) {
          out.emit(Attribution.of(ctx), new MemberLeft(user, GroupChange.Departure.BANNED));
        }
        state.pendingRequestOf(user).ifPresent(r -> out.emit(Attribution.of(ctx.withReason("applicant banned"))
            .withRequest(r.id(), r.source()), new RequestHandled(r.id(), user, RequestStatus.CANCELLED)));
      }
    },
    MUTE(Capability.MUTE, "mute", "unmute", true) {
      @Override
      GroupChange imposed(UserId user, Instant until) {
        return new GroupChange.UserMuted(user, until);
      }

      @Override
      GroupChange lifted(UserId user) {
        return new GroupChange.UserUnmuted(user);
      }

      @Override
      Optional<Instant> activeUntil(GroupState state, UserId user, Instant now) {
        return state.mutedUntil(user, now);
      }
    };

    final Capability capability;
    final String command;
    final String liftCommand;
    final boolean membersOnly;

    Sanction(Capability capability, String command, String liftCommand, boolean membersOnly) {
      this.capability = capability;
      this.command = command;
      this.liftCommand = liftCommand;
      this.membersOnly = membersOnly;
    }

    abstract GroupChange imposed(UserId user, Instant until);

    abstract GroupChange lifted(UserId user);

    abstract Optional<Instant> activeUntil(GroupState state, UserId user, Instant now);

    void consequences(GroupState state, CommandContext ctx, UserId user, boolean member, Transition.Changes out) {}
  }

  private final CommandRunner runner;
  private final Permissions permissions;

  public ModerationCommands(CommandRunner runner, Permissions permissions) {
    this.runner = runner;
    this.permissions = permissions;
  }

  public void leave(CommandContext ctx, GroupId group) {
    runner.idempotent(ctx, "leave", () -> runner.write(group, (state, out) -> {
      Permissions.requireActive(state);
      if (Permissions.targetRole(state, ctx.actor()) == Role.OWNER) {
        throw new FanGroupsException(ErrorCode.OWNER_CANNOT_LEAVE, "the owner cannot leave; transfer ownership or disband");
      }
      out.emit(Attribution.of(ctx), new MemberLeft(ctx.actor(), GroupChange.Departure.LEFT));
      return null;
    }), group);
  }

  public void kick(CommandContext ctx, GroupId group, UserId member) {
    runner.idempotent(ctx, "kick", () -> runner.write(group, (state, out) -> {
      Role actorRole = permissions.require(state, ctx.actor(), Capability.KICK);
      Permissions.requireOutranks(actorRole, Permissions.targetRole(state, member), member);
      out.emit(Attribution.of(ctx), new MemberLeft(member, GroupChange.Departure.KICKED));
      return null;
    }), group, member);
  }

  /** Bans or mutes {@code user} for {@code duration} (capped at the end of time). */
  public void impose(Sanction sanction, CommandContext ctx, GroupId group, UserId user, Duration duration) {
    Checks.positive(duration, "duration");
    runner.idempotent(ctx, sanction.command, () -> runner.write(group, (state, out) -> {
      Role actorRole = permissions.require(state, ctx.actor(), sanction.capability);
      if (user.equals(ctx.actor())) {
        throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "nobody can " + sanction.command + " themselves");
      }
      if (sanction.membersOnly) {
        Permissions.targetRole(state, user); // NOT_A_MEMBER before anything about ranks
      }
      boolean member = Permissions.requireOutranksIfMember(state, actorRole, user);
      out.emit(Attribution.of(ctx), sanction.imposed(user, until(runner.now(), duration)));
      sanction.consequences(state, ctx, user, member, out);
      return null;
    }), group, user, duration);
  }

  /** Lifts an active ban or mute; returns whether one was active. */
  public boolean lift(Sanction sanction, CommandContext ctx, GroupId group, UserId user) {
    return runner.idempotent(ctx, sanction.liftCommand, () -> runner.write(group, (state, out) -> {
      Permissions.requireOutranksIfMember(state, permissions.require(state, ctx.actor(), sanction.capability), user);
      if (sanction.activeUntil(state, user, runner.now()).isEmpty()) {
        return false;
      }
      out.emit(Attribution.of(ctx), sanction.lifted(user));
      return true;
    }), group, user);
  }

  private static Instant until(Instant now, Duration duration) {
    try {
      return now.plus(duration);
    } catch (ArithmeticException | DateTimeException e) {
      return Instant.MAX;
    }
  }
}
