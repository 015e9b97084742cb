package io.fangroups.core;

import io.fangroups.core.GroupChange.RequestHandled;
import io.fangroups.core.GroupChange.RequestSubmitted;
import io.fangroups.core.Transition.Changes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The in-memory store: groups, requests, families, the event log and idempotency records, all in
 * this JVM's heap. Several {@link FanGroups} instances built on one store behave as one service:
 * the cap, the one-pending-request rule and idempotency hold across them.
 *
 * <p>Nothing survives a restart and the event log grows without bound; it suits tests, demos and
 * single-node hosts. Obtain one with {@link #create()} and pass it to
 * {@link FanGroups.Builder#store(InMemoryGroupStore)}.
 */
final class GroupRepository {
  private static final Duration IDEMPOTENCY_RETENTION = Duration.ofHours(24);

  /** One group: its state, the lock that guards it, and its delivery cursor. */
  static final class Slot {
    final ReentrantLock lock = new ReentrantLock();
    final ReentrantLock dispatchLock = new ReentrantLock();
    final GroupState state;
    /** Events delivered to listeners; written under dispatchLock. */
    volatile int delivered;

    Slot(GroupState state) {
      this.state = state;
    }

    List<GroupEvent> undelivered() {
      lock.lock();
      try {
        return List.copyOf(state.log.subList(delivered, state.log.size()));
      } finally {
        lock.unlock();
      }
    }

    boolean hasUndelivered() {
      lock.lock();
      try {
        return delivered < state.log.size();
      } finally {
        lock.unlock();
      }
    }
  }

  /** The groups one creator owns, in creation order, and the lock that serialises quota checks. */
  private static final class Owned {
    final ReentrantLock lock = new ReentrantLock();
    final List<GroupId> groups = new CopyOnWriteArrayList<>();
  }

  private final ConcurrentMap<GroupId, Slot> groups = new ConcurrentHashMap<>();
  private final ConcurrentMap<RequestId, GroupId> requestIndex = new ConcurrentHashMap<>();
  private final ConcurrentMap<UserId, Owned> owners = new ConcurrentHashMap<>();
  private final ConcurrentMap<FamilyId, Family> families = new ConcurrentHashMap<>();
  private final ConcurrentMap<PasscodeId, PasscodeSlot> passcodes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, PasscodeId> passcodeDigests = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, List<PasscodeId>> passcodesByTarget = new ConcurrentHashMap<>();
  final Idempotency idempotency = new Idempotency(IDEMPOTENCY_RETENTION);
  final EventDispatcher dispatcher = new EventDispatcher();
  /** The attempt limiter and passcode keys instances on this store use unless configured otherwise. */
  final InMemoryAttemptLimiter attempts = InMemoryAttemptLimiter.create();
  final PasscodeKeys generatedKeys = PasscodeKeys.random();

  /** One passcode record and the lock that serialises its redemptions and its revocation. */
  static final class PasscodeSlot {
    final ReentrantLock lock = new ReentrantLock();
    /** Written only under {@link #lock}. */
    volatile PasscodeInfo info;

    PasscodeSlot(PasscodeInfo info) {
      this.info = info;
    }
  }

  GroupRepository() {}

  /**
   * Runs {@code transition} on the group under its lock: first expires its overdue requests (those
   * changes commit whatever happens next), then applies the transition's changes if it returns.
   */
  <R> R write(GroupId id, Instant now, Transition<R> transition) {
    return committing(slot(id), state -> {
      expire(state, now);
      Changes out = new Changes();
      R result = transition.decide(state, out);
      commit(state, now, out);
      return result;
    });
  }

  /** Runs {@code body} under the group's lock, then hands what it committed to the listeners. */
  private <R> R committing(Slot slot, Function<GroupState, R> body) {
    slot.lock.lock();
    try {
      return body.apply(slot.state);
    } finally {
      slot.lock.unlock();
      afterCommit(slot);
    }
  }

  /** Expires and commits the group's overdue requests; returns how many. Under the group's lock. */
  private int expire(GroupState state, Instant now) {
    Changes out = new Changes();
    expireOverdue(state, now, out);
    int expired = out.size();
    commit(state, now, out);
    return expired;
  }

  /** The command running on this thread, if any: listeners are called when the outermost one ends. */
  private static final class CommandScope {
    int depth;
    final java.util.Set<Slot> committed = new java.util.LinkedHashSet<>();
  }

  private final ThreadLocal<CommandScope> scope = ThreadLocal.withInitial(CommandScope::new);

  /**
   * Runs a command. Listeners hear of its events only after it returns, so they never run while
   * the command holds a lock and may call back into the SDK.
   */
  <R> R inCommand(java.util.function.Supplier<R> command) {
    CommandScope current = scope.get();
    current.depth++;
    try {
      return command.get();
    } finally {
      if (--current.depth == 0) {
        List<Slot> slots = List.copyOf(current.committed);
        current.committed.clear();
        slots.forEach(this::deliver);
      }
    }
  }

  private void afterCommit(Slot slot) {
    CommandScope current = scope.get();
    if (current.depth > 0) {
      current.committed.add(slot);
    } else {
      deliver(slot);
    }
  }

  /** Delivers to listeners; a committed command never fails because of them. */
  private void deliver(Slot slot) {
    try {
      dispatcher.drain(slot);
    } catch (StackOverflowError e) {
      org.slf4j.LoggerFactory.getLogger(GroupRepository.class).warn("fangroups: event delivery failed", e);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      org.slf4j.LoggerFactory.getLogger(GroupRepository.class).warn("fangroups: event delivery failed", e);
    }
  }

  /** Expires the group's overdue requests; returns how many. */
  int expireOverdue(GroupId id, Instant now) {
    return committing(slot(id), state -> expire(state, now));
  }

  /** Reads the group under its lock; {@code reader} must copy what it returns. */
  <R> R read(GroupId id, Function<GroupState, R> reader) {
    Slot slot = slot(id);
    slot.lock.lock();
    try {
      return reader.apply(slot.state);
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * Creates a group for {@code creator} unless they already own {@code quota} active groups.
   * Serialised per creator, so concurrent creations never exceed the quota.
   */
  GroupInfo create(UserId creator, int quota, GroupId id, Instant now, Attribution by, GroupSettings settings) {
    Owned owned = owners.computeIfAbsent(creator, c -> new Owned());
    owned.lock.lock();
    try {
      long active = owned.groups.stream().filter(g -> isActiveAndOwnedBy(g, creator)).count();
      if (active >= quota) {
        throw new FanGroupsException(ErrorCode.QUOTA_EXCEEDED,
            creator + " already owns " + active + " active groups, the quota is " + quota + "; disband one first");
      }
      // The group is fully formed before it becomes visible to other threads.
      GroupState state = new GroupState(id, now);
      state.apply(new GroupEvent(id, 1, now, by, new GroupChange.GroupCreated(creator, settings)));
      Slot slot = new Slot(state);
      if (groups.putIfAbsent(id, slot) != null) {
        throw new IllegalStateException("id generator returned a used group id " + id);
      }
      owned.groups.add(id);
      afterCommit(slot);
      return read(id, GroupState::info);
    } finally {
      owned.lock.unlock();
    }
  }

  /**
   * Hands the group to {@code newOwner} within their quota: the new owner's creator lock is held
   * while {@code transition} runs, so a concurrent creation cannot overshoot it.
   */
  <R> R transfer(GroupId id, UserId newOwner, int quota, Instant now, Transition<R> transition) {
    Owned target = owners.computeIfAbsent(newOwner, c -> new Owned());
    UserId previous;
    R result;
    target.lock.lock();
    try {
      long active = target.groups.stream().filter(g -> isActiveAndOwnedBy(g, newOwner)).count();
      if (active >= quota) {
        throw new FanGroupsException(ErrorCode.QUOTA_EXCEEDED,
            newOwner + " already owns " + active + " active groups, the quota is " + quota);
      }
      previous = read(id, s -> s.owner);
      result = write(id, now, transition);
      if (!target.groups.contains(id)) {
        target.groups.add(id);
      }
    } finally {
      target.lock.unlock();
    }
    Owned old = owners.get(previous);
    if (old != null && !previous.equals(newOwner)) {
      old.lock.lock();
      try {
        // A quick transfer back may already have made the previous owner the owner again.
        if (!read(id, s -> previous.equals(s.owner))) {
          old.groups.remove(id);
        }
      } finally {
        old.lock.unlock();
      }
    }
    return result;
  }

  private boolean isActiveAndOwnedBy(GroupId id, UserId owner) {
    return read(id, s -> s.status == GroupStatus.ACTIVE && owner.equals(s.owner));
  }

  /** The ids of groups {@code owner} owns now, in creation order. */
  List<GroupId> ownedBy(UserId owner) {
    Owned owned = owners.get(owner);
    if (owned == null) {
      return List.of();
    }
    List<GroupId> result = new ArrayList<>();
    for (GroupId id : owned.groups) {
      if (read(id, s -> owner.equals(s.owner))) {
        result.add(id);
      }
    }
    return result;
  }

  Optional<GroupId> groupOf(RequestId request) {
    return Optional.ofNullable(requestIndex.get(request));
  }

  Collection<GroupId> allGroups() {
    return List.copyOf(groups.keySet());
  }

  void addFamily(Family family) {
    if (families.putIfAbsent(family.id(), family) != null) {
      throw new IllegalStateException("id generator returned a used family id " + family.id());
    }
  }

  Optional<Family> family(FamilyId id) {
    return Optional.ofNullable(families.get(id));
  }

  private final ConcurrentMap<String, Long> relayCursors = new ConcurrentHashMap<>();
  private final java.util.Set<String> relayLeases = ConcurrentHashMap.newKeySet();

  /** The sequence number up to which a relay consumer ({@code consumer|group}) has delivered. */
  long relayCursor(String key) {
    return relayCursors.getOrDefault(key, 0L);
  }

  /** Moves a relay consumer's cursor forward; never backward. */
  void advanceRelayCursor(String key, long sequence) {
    relayCursors.merge(key, sequence, Math::max);
  }

  /**
   * Takes the lease on one group's deliveries for one consumer ({@code consumer|group}); false when
   * a relay holds it. Not tied to a thread: an asynchronous delivery releases it when it completes.
   */
  boolean tryTakeRelayLease(String key) {
    return relayLeases.add(key);
  }

  void releaseRelayLease(String key) {
    relayLeases.remove(key);
  }

  /** Runs {@code body} holding the passcode lock of one target (a group or family), for the live-code limit. */
  <R> R withPasscodeTarget(String target, java.util.function.Supplier<R> body) {
    List<PasscodeId> ids = passcodesByTarget.computeIfAbsent(target, t -> new CopyOnWriteArrayList<>());
    synchronized (ids) {
      return body.get();
    }
  }

  List<PasscodeInfo> passcodesOf(String target) {
    return passcodesByTarget.getOrDefault(target, List.of()).stream().map(id -> passcodes.get(id).info).toList();
  }

  void addPasscode(PasscodeInfo info, String digest, String target) {
    if (passcodeDigests.putIfAbsent(digest, info.id()) != null) {
      // 2^-60 per pair of live codes; treated like an id collision.
      throw new IllegalStateException("two passcodes with one digest");
    }
    passcodes.put(info.id(), new PasscodeSlot(info));
    passcodesByTarget.computeIfAbsent(target, t -> new CopyOnWriteArrayList<>()).add(info.id());
  }

  Optional<PasscodeSlot> passcode(PasscodeId id) {
    return Optional.ofNullable(passcodes.get(id));
  }

  Optional<PasscodeSlot> passcodeByDigest(String digest) {
    PasscodeId id = passcodeDigests.get(digest);
    return id == null ? Optional.empty() : Optional.ofNullable(passcodes.get(id));
  }

  Subscription subscribe(GroupEventListener listener) {
    return dispatcher.subscribe(listener);
  }

  private Slot slot(GroupId id) {
    Slot slot = groups.get(id);
    if (slot == null) {
      throw new FanGroupsException(ErrorCode.GROUP_NOT_FOUND, "no group " + id);
    }
    return slot;
  }

  private void commit(GroupState state, Instant now, Changes out) {
    for (Changes.Emitted e : out.drain()) {
      state.apply(new GroupEvent(state.id, state.lastSequence + 1, now, e.attribution(), e.change()));
      if (e.change() instanceof RequestSubmitted s) {
        requestIndex.put(s.request().id(), state.id);
      }
    }
  }

  private static void expireOverdue(GroupState state, Instant now, Changes out) {
    for (RequestId id : state.pendingByUser.values()) {
      JoinRequest request = state.requests.get(id);
      if (!request.isPendingAt(now)) {
        out.emit(Attribution.system("request expired"), new RequestHandled(id, request.applicant(), RequestStatus.EXPIRED));
      }
    }
  }
}
