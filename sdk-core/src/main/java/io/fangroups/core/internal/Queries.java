package io.fangroups.core.internal;

import io.fangroups.core.Capability;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinPreview;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.internal.Admission;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What hosts read: groups, families, members, requests, bans, previews, capabilities, the event
 * log. Reads never write: an overdue request reads as expired before its expiry is recorded (by
 * the next command on the group, or {@code expireOverdueRequests()}).
 */
public final class Queries {
  private final GroupRepository store;
  private final CommandRunner runner;
  private final Permissions permissions;
  private final Admission admission;

  public Queries(GroupRepository store, CommandRunner runner, Permissions permissions, Admission admission) {
    this.store = store;
    this.runner = runner;
    this.permissions = permissions;
    this.admission = admission;
  }

  public GroupInfo group(GroupId group) {
    Instant now = runner.now();
    return store.read(group, s -> s.info(now));
  }

  public List<GroupInfo> groupsOf(UserId owner) {
    return store.ownedBy(owner).stream().map(this::group).toList();
  }

  public JoinPreview preview(UserId viewer, GroupId group) {
    return admission.preview(viewer, List.of(store.read(group, GroupState::snapshot)), runner.now(), store).get(0);
  }

  public List<JoinPreview> previewGroupsOf(UserId viewer, UserId creator) {
    List<GroupState.Snapshot> groups = store.ownedBy(creator).stream()
        .map(id -> store.read(id, GroupState::snapshot)).filter(s -> s.status() == GroupStatus.ACTIVE).toList();
    return admission.preview(viewer, groups, runner.now(), store);
  }

  public Family family(FamilyId family) {
    return store.family(family).orElseThrow(
        () -> new FanGroupsException(ErrorCode.FAMILY_NOT_FOUND, "no family " + family));
  }

  public List<GroupInfo> familyGroups(FamilyId familyId) {
    Family family = family(familyId);
    return groupsOf(family.creator()).stream()
        .filter(g -> g.status() == GroupStatus.ACTIVE && g.settings().family().equals(Optional.of(familyId)))
        .toList();
  }

  public List<Member> members(GroupId group) {
    return store.read(group, s -> List.copyOf(s.members.values()));
  }

  public Optional<Member> member(GroupId group, UserId user) {
    return store.read(group, s -> Optional.ofNullable(s.members.get(user)));
  }

  /** The requests still pending now, oldest first; overdue ones are left out. */
  public List<JoinRequest> pendingRequests(GroupId group) {
    Instant now = runner.now();
    return store.read(group, state -> state.pendingByUser.values().stream().map(state.requests::get)
        .filter(r -> r.isPendingAt(now)).sorted(Comparator.comparing(JoinRequest::createdAt)).toList());
  }

  /** The request as it stands now: an overdue one reads as expired, at its expiry. */
  public JoinRequest request(RequestId request) {
    Instant now = runner.now();
    return store.read(groupOf(request), state -> GroupState.asOf(state.requests.get(request), now));
  }

  public Optional<Instant> bannedUntil(GroupId group, UserId user) {
    return store.read(group, s -> s.bannedUntil(user, runner.now()));
  }

  public Optional<Instant> mutedUntil(GroupId group, UserId user) {
    return store.read(group, s -> s.mutedUntil(user, runner.now()));
  }

  public boolean can(GroupId group, UserId user, Capability capability) {
    return store.read(group, s -> permissions.has(s, user, capability));
  }

  public List<GroupEvent> events(GroupId group, long afterSequence, int limit) {
    return existing(group, store.events(group, checkedCursor(afterSequence, limit), limit));
  }

  /** The events as the publisher gets them: the stored JSON in its envelope. */
  public List<PublishedEvent> publishedEvents(GroupId group, long afterSequence, int limit) {
    List<StoredEvent> stored = existing(group, store.storedEvents(group, checkedCursor(afterSequence, limit), limit));
    List<PublishedEvent> published = new ArrayList<>(stored.size());
    stored.forEach(e -> published.add(store.access().codec.published(group, e)));
    return published;
  }

  private static long checkedCursor(long afterSequence, int limit) {
    if (afterSequence < 0 || limit < 1 || limit > 10_000) {
      throw Checks.invalid("afterSequence must be >= 0 and limit in 1..10000, got " + afterSequence + ", " + limit);
    }
    return afterSequence;
  }

  /** The page, unless it is empty because the group does not exist (asked of the stream, not loaded). */
  private <T> List<T> existing(GroupId group, List<T> page) {
    if (page.isEmpty() && store.lastSequence(group) == 0) {
      throw new FanGroupsException(ErrorCode.GROUP_NOT_FOUND, "no group " + group);
    }
    return page;
  }


  /** The group that holds the request; REQUEST_NOT_FOUND when no group does. */
  public GroupId groupOf(RequestId request) {
    return store.groupOf(request).orElseThrow(
        () -> new FanGroupsException(ErrorCode.REQUEST_NOT_FOUND, "no join request " + request));
  }
}
