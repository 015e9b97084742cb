package io.fangroups.core;

import io.fangroups.core.GroupChange.GroupCreated;
import io.fangroups.core.GroupChange.GroupDisbanded;
import io.fangroups.core.GroupChange.MemberJoined;
import io.fangroups.core.GroupChange.MemberLeft;
import io.fangroups.core.GroupChange.OwnershipTransferred;
import io.fangroups.core.GroupChange.RequestHandled;
import io.fangroups.core.GroupChange.RequestSubmitted;
import io.fangroups.core.GroupChange.RoleChanged;
import io.fangroups.core.GroupChange.SettingsChanged;
import io.fangroups.core.GroupChange.UserBanned;
import io.fangroups.core.GroupChange.UserMuted;
import io.fangroups.core.GroupChange.UserUnbanned;
import io.fangroups.core.GroupChange.UserUnmuted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One group's state, the fold of its events. Mutated only by {@link #apply}, only under the
 * group's lock in the store, so a command either applies all of its events or none.
 */
final class GroupState {
  final GroupId id;
  final Instant createdAt;
  UserId owner;
  GroupSettings settings;
  GroupStatus status = GroupStatus.ACTIVE;
  long lastSequence;
  final Map<UserId, Member> members = new LinkedHashMap<>();
  final Map<UserId, RequestId> pendingByUser = new LinkedHashMap<>();
  final Map<RequestId, JoinRequest> requests = new HashMap<>();
  final Map<UserId, Instant> bans = new HashMap<>();
  final Map<UserId, Instant> mutes = new HashMap<>();
  /** One message per this interval per plain member; zero when slow mode is off. */
  Duration slowMode = Duration.ZERO;
  /** When each user last posted, for slow mode. */
  final Map<UserId, Instant> lastPosted = new HashMap<>();
  /** The group's passcodes, in issue order; their records live in their own streams. */
  final List<PasscodeId> passcodes = new ArrayList<>();

  GroupState(GroupId id, Instant createdAt) {
    this.id = id;
    this.createdAt = createdAt;
  }

  void apply(GroupEvent event) {
    if (event.sequence() != lastSequence + 1) {
      throw new IllegalStateException("event " + event.eventId() + " out of order after " + lastSequence);
    }
    evolve(event);
    lastSequence = event.sequence();
  }

  private void evolve(GroupEvent event) {
    GroupChange change = event.change();
    if (change instanceof GroupCreated c) {
      owner = c.owner();
      settings = c.settings();
      members.put(c.owner(), new Member(c.owner(), Role.OWNER, event.occurredAt(), JoinSource.CREATED, Optional.empty()));
    } else if (change instanceof SettingsChanged c) {
      settings = c.settings();
    } else if (change instanceof RequestSubmitted c) {
      requests.put(c.request().id(), c.request());
      pendingByUser.put(c.request().applicant(), c.request().id());
    } else if (change instanceof RequestHandled c) {
      JoinRequest handled = requests.get(c.request())
          .handled(c.status(), event.attribution().actor(), event.occurredAt(), event.attribution().reason());
      requests.put(c.request(), handled);
      pendingByUser.remove(c.applicant(), c.request());
    } else if (change instanceof MemberJoined c) {
      members.put(c.member().user(), c.member());
    } else if (change instanceof MemberLeft c) {
      members.remove(c.user());
    } else if (change instanceof UserBanned c) {
      bans.put(c.user(), c.until());
    } else if (change instanceof UserUnbanned c) {
      bans.remove(c.user());
    } else if (change instanceof UserMuted c) {
      mutes.put(c.user(), c.until());
    } else if (change instanceof UserUnmuted c) {
      mutes.remove(c.user());
    } else if (change instanceof RoleChanged c) {
      members.computeIfPresent(c.user(), (u, m) -> m.withRole(c.to()));
    } else if (change instanceof OwnershipTransferred c) {
      members.computeIfPresent(c.from(), (u, m) -> m.withRole(c.previousOwnerRole()));
      members.computeIfPresent(c.to(), (u, m) -> m.withRole(Role.OWNER));
      owner = c.to();
    } else if (change instanceof GroupChange.PasscodeCreated c) {
      passcodes.add(c.passcode().id());
    } else if (change instanceof GroupChange.PasscodeRevoked) {
      // The code's own stream records the revocation; this event is the group's audit trail.
    } else if (change instanceof GroupChange.MessagePosted c) {
      lastPosted.put(c.message().sender(), c.message().postedAt());
    } else if (change instanceof GroupChange.SlowModeChanged c) {
      slowMode = c.interval();
    } else if (change instanceof GroupDisbanded) {
      status = GroupStatus.DISBANDED;
    } else {
      throw new IllegalStateException("unhandled change " + change);
    }
  }

  Optional<Role> roleOf(UserId user) {
    Member m = members.get(user);
    return m == null ? Optional.empty() : Optional.of(m.role());
  }

  /** The ban's end if {@code user} is banned at {@code now}. */
  Optional<Instant> bannedUntil(UserId user, Instant now) {
    return activeUntil(bans, user, now);
  }

  /** The mute's end if {@code user} is muted at {@code now}. */
  Optional<Instant> mutedUntil(UserId user, Instant now) {
    return activeUntil(mutes, user, now);
  }

  private static Optional<Instant> activeUntil(Map<UserId, Instant> timed, UserId user, Instant now) {
    Instant until = timed.get(user);
    return until != null && now.isBefore(until) ? Optional.of(until) : Optional.empty();
  }

  Optional<JoinRequest> pendingRequestOf(UserId user) {
    RequestId id = pendingByUser.get(user);
    return id == null ? Optional.empty() : Optional.of(requests.get(id));
  }

  long adminCount() {
    return members.values().stream().filter(m -> m.role() == Role.ADMIN).count();
  }

  boolean isFull() {
    return members.size() >= settings.cap();
  }

  /** What a policy call outside the lock depends on; compared again under the lock. */
  record Snapshot(GroupId id, UserId owner, GroupSettings settings, GroupStatus status) {
    boolean matches(GroupState state) {
      return state.settings == settings && state.owner.equals(owner);
    }
  }

  Snapshot snapshot() {
    return new Snapshot(id, owner, settings, status);
  }

  GroupInfo info() {
    return new GroupInfo(id, owner, settings, status, members.size(), pendingByUser.size(), createdAt, lastSequence);
  }
}
