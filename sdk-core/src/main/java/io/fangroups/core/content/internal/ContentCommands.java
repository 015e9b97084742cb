package io.fangroups.core.content.internal;

import io.fangroups.core.Capability;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.MessageId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.internal.Checks;
import io.fangroups.core.internal.CommandRunner;
import io.fangroups.core.internal.GroupState;
import io.fangroups.core.internal.Permissions;
import io.fangroups.spi.IdGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Content commands: posting into a group under its roles, mutes and slow mode, and setting slow
 * mode. A message is recorded as a {@link GroupChange.MessagePosted} event in the group's log,
 * which is the outbox a relay delivers from; nothing is sent from here.
 */
public final class ContentCommands {
  /** The longest slow-mode interval. */
  public static final Duration MAX_SLOW_MODE = Duration.ofHours(1);

  private final CommandRunner runner;
  private final Permissions permissions;
  private final IdGenerator ids;

  public ContentCommands(CommandRunner runner, Permissions permissions, IdGenerator ids) {
    this.runner = runner;
    this.permissions = permissions;
    this.ids = ids;
  }

  public GroupMessage post(CommandContext ctx, GroupId group, MessageContent content) {
    Checks.notNull(ctx, "ctx");
    Checks.notNull(group, "group");
    Checks.notNull(content, "content");
    return runner.idempotent(ctx, "post", () -> runner.write(group, (state, out) -> {
      Instant now = runner.now();
      UserId sender = ctx.actor();
      Role role = requireMayPost(state, sender, content);
      requireNotMuted(state, sender, now);
      if (role == Role.MEMBER) {
        requireSlowModeElapsed(state, sender, now);
      }
      GroupMessage message = new GroupMessage(MessageId.of(ids.newId("m")), group, sender, content, now);
      out.emit(Attribution.of(ctx), new GroupChange.MessagePosted(message));
      return message;
    }), group, content);
  }

  public void setSlowMode(CommandContext ctx, GroupId group, Duration interval) {
    Checks.notNull(ctx, "ctx");
    Checks.notNull(group, "group");
    Checks.notNull(interval, "interval");
    if (interval.isNegative() || interval.compareTo(MAX_SLOW_MODE) > 0) {
      throw Checks.invalid("slow mode interval must be between 0 (off) and " + MAX_SLOW_MODE + ", got " + interval);
    }
    runner.idempotent(ctx, "setSlowMode", () -> runner.write(group, (state, out) -> {
      permissions.require(state, ctx.actor(), Capability.EDIT_SETTINGS);
      if (!state.slowMode.equals(interval)) {
        out.emit(Attribution.of(ctx), new GroupChange.SlowModeChanged(interval));
      }
      return null;
    }), group, interval);
  }

  /** The sender's role, if the group is active, they are a member and may post this kind of content. */
  private Role requireMayPost(GroupState state, UserId sender, MessageContent content) {
    Permissions.requireActive(state);
    Role role = state.roleOf(sender).orElseThrow(() -> new FanGroupsException(ErrorCode.NOT_A_MEMBER,
        sender + " is not a member of " + state.id + "; only members post"));
    requiredCapability(content).ifPresent(capability -> permissions.require(state, sender, capability));
    return role;
  }

  /** What posting {@code content} needs beyond membership; a text needs nothing more. */
  private static Optional<Capability> requiredCapability(MessageContent content) {
    if (content instanceof MessageContent.Announcement) {
      return Optional.of(Capability.EDIT_SETTINGS);
    }
    if (content instanceof MessageContent.VideoCard) {
      return Optional.of(Capability.FORWARD_CONTENT);
    }
    if (content instanceof MessageContent.ProductLink) {
      return Optional.of(Capability.POST_PRODUCT_LINK);
    }
    return Optional.empty();
  }

  private static void requireNotMuted(GroupState state, UserId sender, Instant now) {
    Optional<Instant> until = state.mutedUntil(sender, now);
    if (until.isPresent()) {
      throw new FanGroupsException(ErrorCode.MUTED, sender + " is muted in " + state.id
          + (until.get().equals(Instant.MAX) ? " for ever" : " until " + until.get()));
    }
  }

  /** Slow mode binds plain members only: one message per interval. */
  private static void requireSlowModeElapsed(GroupState state, UserId sender, Instant now) {
    Instant last = state.lastPosted.get(sender);
    if (state.slowMode.isZero() || last == null) {
      return;
    }
    Instant next = last.plus(state.slowMode);
    if (now.isBefore(next)) {
      throw new FanGroupsException(ErrorCode.SLOW_MODE, "slow mode in " + state.id + " allows one message every "
          + state.slowMode + "; " + sender + " may post again at " + next);
    }
  }
}
