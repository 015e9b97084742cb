package io.fangroups.core.internal;

import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.event.GroupChange.GroupCreated;
import io.fangroups.core.event.GroupChange.GroupDisbanded;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange.OwnershipTransferred;
import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupChange.RequestSubmitted;
import io.fangroups.core.event.GroupChange.RoleChanged;
import io.fangroups.core.event.GroupChange.SettingsChanged;
import io.fangroups.core.event.GroupChange.UserBanned;
import io.fangroups.core.event.GroupChange.UserMuted;
import io.fangroups.core.event.GroupChange.UserUnbanned;
import io.fangroups.core.event.GroupChange.UserUnmuted;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.internal.format.GroupSnapshot;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
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
public final class GroupState {
  public final GroupId id;
  public final Instant createdAt;
  public UserId owner;
  public GroupSettings settings;
  public GroupStatus status = GroupStatus.ACTIVE;
  public long lastSequence;
  public final Map<UserId, Member> members = new LinkedHashMap<>();
  public final Map<UserId, RequestId> pendingByUser = new LinkedHashMap<>();
  public final Map<RequestId, JoinRequest> requests = new HashMap<>();
  public final Map<UserId, Instant> bans = new HashMap<>();
  public final Map<UserId, Instant> mutes = new HashMap<>();
  /** One message per this interval per plain member; zero when slow mode is off. */
  public Duration slowMode = Duration.ZERO;
  /** When each user last posted, for slow mode. */
  public final Map<UserId, Instant> lastPosted = new HashMap<>();
  /** The group's passcodes, in issue order; their records live in their own streams. */
  public final List<PasscodeId> passcodes = new ArrayList<>();
  /** The group's red packets, in the order they were sent. */
  public final Map<RedPacketId, Packet> redPackets = new LinkedHashMap<>();

  public GroupState(GroupId id, Instant createdAt) {
    this.id = id;
    this.createdAt = createdAt;
  }

  public void apply(GroupEvent event) {
    requireAfterLast(event.sequence());
    evolve(event);
    lastSequence = event.sequence();
  }

  /** Applies a post known only by its sender and time, which is all the fold keeps of one. */
  public void posted(long sequence, UserId sender, Instant at) {
    requireAfterLast(sequence);
    lastPosted.put(sender, at);
    lastSequence = sequence;
  }

  /** Gaps are events retention deleted (old messages, history before a snapshot); never out of order. */
  private void requireAfterLast(long sequence) {
    if (sequence <= lastSequence) {
      throw new IllegalStateException("event " + id + "/" + sequence + " out of order after " + lastSequence);
    }
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
      JoinRequest request = requests.get(c.request());
      // An expiry is recorded when a command comes across it; the request expired when its TTL ran out.
      Instant at = c.status() == RequestStatus.EXPIRED ? request.expiresAt() : event.occurredAt();
      JoinRequest handled = request.handled(c.status(), event.attribution().actor(), at, event.attribution().reason());
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
    } else if (change instanceof GroupChange.RedPacketSent c) {
      redPackets.put(c.packet(), new Packet(c, event.occurredAt()));
    } else if (change instanceof GroupChange.RedPacketClaimed c) {
      redPackets.get(c.packet()).claimed(new RedPacketClaim(c.packet(), c.user(), c.number(), c.amount(), c.currency(),
          event.occurredAt()));
    } else if (change instanceof GroupChange.RedPacketRefunded c) {
      redPackets.get(c.packet()).refunded(c.amount(), event.occurredAt());
    } else if (change instanceof GroupDisbanded) {
      status = GroupStatus.DISBANDED;
    } else {
      throw new IllegalStateException("unhandled change " + change);
    }
  }

  public Optional<Role> roleOf(UserId user) {
    Member m = members.get(user);
    return m == null ? Optional.empty() : Optional.of(m.role());
  }

  /** The ban's end if {@code user} is banned at {@code now}. */
  public Optional<Instant> bannedUntil(UserId user, Instant now) {
    return activeUntil(bans, user, now);
  }

  /** The mute's end if {@code user} is muted at {@code now}. */
  public Optional<Instant> mutedUntil(UserId user, Instant now) {
    return activeUntil(mutes, user, now);
  }

  private static Optional<Instant> activeUntil(Map<UserId, Instant> timed, UserId user, Instant now) {
    Instant until = timed.get(user);
    return until != null && now.isBefore(until) ? Optional.of(until) : Optional.empty();
  }

  public Optional<JoinRequest> pendingRequestOf(UserId user) {
    RequestId id = pendingByUser.get(user);
    return id == null ? Optional.empty() : Optional.of(requests.get(id));
  }

  public long adminCount() {
    return members.values().stream().filter(m -> m.role() == Role.ADMIN).count();
  }

  public boolean isFull() {
    return members.size() >= settings.cap();
  }

  /** What a policy call outside the lock depends on; compared again under the lock. */
  public record Snapshot(GroupId id, UserId owner, GroupSettings settings, GroupStatus status) {
    public boolean matches(GroupState state) {
      return state.settings == settings && state.owner.equals(owner);
    }
  }

  public Snapshot snapshot() {
    return new Snapshot(id, owner, settings, status);
  }

  /** The group as of {@code now}: requests past their TTL are not counted as pending. */
  public GroupInfo info(Instant now) {
    int pending = 0;
    for (RequestId r : pendingByUser.values()) {
      pending += requests.get(r).isPendingAt(now) ? 1 : 0;
    }
    return new GroupInfo(id, owner, settings, status, members.size(), pending, createdAt, lastSequence);
  }

  /** The request as of {@code now}: a pending one whose TTL ran out reads as expired, at its expiry. */
  public static JoinRequest asOf(JoinRequest request, Instant now) {
    return request.status() == RequestStatus.PENDING && !request.isPendingAt(now)
        ? request.handled(RequestStatus.EXPIRED, Optional.empty(), request.expiresAt(), Optional.of(EXPIRED_REASON))
        : request;
  }

  /** The state as a snapshot records it. */
  public GroupSnapshot toSnapshot() {
    return new GroupSnapshot(lastSequence, createdAt, owner, settings, status, List.copyOf(members.values()),
        List.copyOf(requests.values()), new LinkedHashMap<>(pendingByUser), new HashMap<>(bans), new HashMap<>(mutes),
        slowMode, new HashMap<>(lastPosted), List.copyOf(passcodes), redPackets.values().stream()
            .map(p -> new GroupSnapshot.SavedPacket(p.sent, p.sentAt, List.copyOf(p.claims()), p.refunded(),
                Optional.ofNullable(p.refundedAt())))
            .toList());
  }

  /** The state a snapshot recorded; its events after {@code snapshot.lastSequence()} are applied next. */
  public static GroupState of(GroupId id, GroupSnapshot snapshot) {
    GroupState state = new GroupState(id, snapshot.createdAt());
    state.lastSequence = snapshot.lastSequence();
    state.owner = snapshot.owner();
    state.settings = snapshot.settings();
    state.status = snapshot.status();
    snapshot.members().forEach(m -> state.members.put(m.user(), m));
    snapshot.requests().forEach(r -> state.requests.put(r.id(), r));
    state.pendingByUser.putAll(snapshot.pendingByUser());
    state.bans.putAll(snapshot.bans());
    state.mutes.putAll(snapshot.mutes());
    state.slowMode = snapshot.slowMode();
    state.lastPosted.putAll(snapshot.lastPosted());
    state.passcodes.addAll(snapshot.passcodes());
    for (GroupSnapshot.SavedPacket saved : snapshot.redPackets()) {
      Packet packet = new Packet(saved.sent(), saved.sentAt());
      saved.claims().forEach(packet::claimed);
      saved.refundedAt().ifPresent(at -> packet.refunded(saved.refunded(), at));
      state.redPackets.put(saved.sent().packet(), packet);
    }
    return state;
  }

  /** The reason an expiry is recorded with. */
  public static final String EXPIRED_REASON = "request expired";
}
