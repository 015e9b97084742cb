package io.fangroups.core.internal;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.InMemoryAttemptLimiter;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.RequestId;
import io.fangroups.core.RetentionPolicy;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.UserId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupChange.RequestSubmitted;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.GroupEventListener;
import io.fangroups.core.event.Subscription;
import io.fangroups.core.event.internal.EventDispatcher;
import io.fangroups.core.internal.StoreAccess.Append;
import io.fangroups.core.internal.Transition.Changes;
import io.fangroups.core.internal.format.StoreRecord.FamilyCreated;
import io.fangroups.core.internal.format.StoreRecord.GroupAssigned;
import io.fangroups.core.internal.format.StoreRecord.GroupReleased;
import io.fangroups.core.internal.format.GroupSnapshot;
import io.fangroups.core.internal.format.StoreRecord.RequestDue;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.passcode.internal.PasscodeRecords;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.UniqueKey;
import io.fangroups.spi.GroupStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The SDK's state over a {@link GroupStore}: each group's state is the fold of its stream, cached
 * here and caught up from the store before every use; a command decides on the cached state and
 * appends its events expecting the sequence it decided on. When another process appended first,
 * the append conflicts and the command is decided again on the new state, so the cap, use limits
 * and "one pending request" hold across processes. Inside one process a lock per group serialises
 * commands, so conflicts only come from other processes.
 *
 * <p>Lock order: a group's lock, then a passcode's. Nothing takes them the other way round.
 *
 * <p>Longer than most classes on purpose: the cached fold, its lock, the commit path and the
 * hand-over to listeners must be read together to see why the cap holds; what could leave (store
 * calls, idempotency records, passcode records, the wire format) already has.
 */
public final class GroupRepository {
  public static final String GROUPS = "group/";
  /** The due-request index: a stream per request, named by when it falls due, deleted once swept. */
  public static final String DUE = "due/";
  /** The due-packet index: a stream per red packet, named by when it expires, deleted once its refund is recorded. */
  public static final String RED_PACKET_DUE = "due-rp/";
  /** The unique key naming a red packet's group; a packet whose hold was voided before it was recorded has {@link #VOIDED}. */
  public static final String RED_PACKET_KEY = "red-packet/";
  /** The value of a voided red packet's key: never a group id. */
  public static final String VOIDED = "!voided";

  /** One group: its cached state, the lock that guards it, and events committed here not yet heard by listeners. */
  public static final class Slot {
    public final GroupId id;
    /** The group's stream name, made once. */
    final String stream;
    public final ReentrantLock lock = new ReentrantLock();
    public final ReentrantLock dispatchLock = new ReentrantLock();
    /** Null until loaded from the store, and after a store failure (reloaded on next use). Guarded by lock. */
    public GroupState state;
    /** The sequence the group's latest snapshot this process knows of covers; 0 for none. Guarded by lock. */
    long snapshotAt;
    private final ArrayDeque<GroupEvent> undelivered = new ArrayDeque<>();

    public Slot(GroupId id) {
      this.id = id;
      this.stream = stream(id);
    }

    /** Takes the events listeners have not heard yet. */
    public List<GroupEvent> takeUndelivered() {
      synchronized (undelivered) {
        List<GroupEvent> batch = List.copyOf(undelivered);
        undelivered.clear();
        return batch;
      }
    }

    public boolean hasUndelivered() {
      synchronized (undelivered) {
        return !undelivered.isEmpty();
      }
    }

    private void committed(GroupEvent event) {
      synchronized (undelivered) {
        undelivered.add(event);
      }
    }
  }

  private final GroupStore store;
  private final WireFormat codec;
  /** The store calls, and whether this repository is the store's only writer (then caches need no catch-up). */
  private final StoreAccess access;
  // Caches over a shared store, complete over the in-memory one (see StoreAccess.cache).
  private final ConcurrentMap<GroupId, Slot> groups;
  private final ConcurrentMap<RequestId, GroupId> requestIndex;
  private final ConcurrentMap<RedPacketId, GroupId> packetIndex;
  private final ConcurrentMap<FamilyId, Family> families;
  /** The passcode records, kept in their own streams beside the groups. */
  public final PasscodeRecords passcodes;
  /** Leases are about real processes, so they run on the wall clock whatever clock commands use. */
  private final Clock leaseClock = Clock.systemUTC();
  public final Idempotency idempotency;
  private final RetentionPolicy retention;
  public final EventDispatcher dispatcher = new EventDispatcher();
  /** The attempt limiter and passcode keys instances on an in-memory store use unless configured otherwise. */
  public final InMemoryAttemptLimiter attempts = InMemoryAttemptLimiter.create();
  public final PasscodeKeys generatedKeys = PasscodeKeys.random();

  public GroupRepository(GroupStore store, WireFormat codec, boolean exclusive, RetentionPolicy retention, Clock clock) {
    this.store = store;
    this.codec = codec;
    this.retention = retention;
    this.idempotency = new Idempotency(retention.keyedResults(), clock);
    this.access = new StoreAccess(store, codec, exclusive);
    this.groups = access.cache(StoreAccess.CACHED_GROUPS);
    this.requestIndex = access.cache(StoreAccess.CACHED_KEYS);
    this.packetIndex = access.cache(StoreAccess.CACHED_KEYS);
    this.families = access.cache(StoreAccess.CACHED_GROUPS);
    this.passcodes = new PasscodeRecords(access);
  }

  /** The store calls idempotency records and passcode records share. */
  public StoreAccess access() {
    return access;
  }

  // ---------------------------------------------------------------- groups

  /**
   * Runs {@code transition} on the group under its lock: first expires its overdue requests (those
   * changes commit whatever happens next), then commits the transition's changes if it returns.
   * On a conflict with another process both are decided again on the caught-up state.
   */
  public <R> R write(GroupId id, Instant now, Transition<R> transition) {
    Slot slot = slot(id);
    slot.lock.lock();
    try {
      for (int conflicts = 0; ; conflicts = StoreAccess.giveUpAfter(conflicts, id)) {
        GroupState state = loaded(slot);
        if (!expire(slot, state, now)) {
          continue;
        }
        Changes out = new Changes();
        R result = transition.decide(state, out);
        if (out.size() == 0 && out.companions().isEmpty()) {
          return result;
        }
        if (commit(slot, now, out, true)) {
          return result;
        }
      }
    } finally {
      slot.lock.unlock();
      afterCommit(slot);
    }
  }

  /** Expires and commits the group's overdue requests; returns how many. */
  public int expireOverdue(GroupId id, Instant now) {
    Slot slot = slot(id);
    slot.lock.lock();
    try {
      for (int conflicts = 0; ; conflicts = StoreAccess.giveUpAfter(conflicts, id)) {
        GroupState state = loaded(slot);
        long before = state.pendingByUser.size();
        if (expire(slot, state, now)) {
          return (int) (before - state.pendingByUser.size());
        }
      }
    } finally {
      slot.lock.unlock();
      afterCommit(slot);
    }
  }

  /** Commits expiries of overdue requests; false on a conflict. */
  private boolean expire(Slot slot, GroupState state, Instant now) {
    if (state.pendingByUser.isEmpty()) {
      return true;
    }
    Changes expired = new Changes();
    for (RequestId id : state.pendingByUser.values()) {
      JoinRequest request = state.requests.get(id);
      if (!request.isPendingAt(now)) {
        expired.emit(Attribution.system(GroupState.EXPIRED_REASON), new RequestHandled(id, request.applicant(), RequestStatus.EXPIRED));
      }
    }
    return expired.size() == 0 || commit(slot, now, expired, false);
  }

  /** Reads the caught-up group under its lock; {@code reader} must copy what it returns. */
  public <R> R read(GroupId id, Function<GroupState, R> reader) {
    Slot slot = slot(id);
    slot.lock.lock();
    try {
      return reader.apply(loaded(slot));
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * Creates a group for {@code creator} unless they already own {@code quota} active groups. The
   * group's first event and its place in the creator's stream are one append, so concurrent
   * creations never exceed the quota, in any number of processes.
   */
  public GroupInfo create(UserId creator, int quota, GroupId id, Instant now, Attribution by, GroupSettings settings) {
    GroupEvent created = new GroupEvent(id, 1, now, by, new GroupChange.GroupCreated(creator, settings));
    for (int conflicts = 0; ; conflicts = StoreAccess.giveUpAfter(conflicts, creator)) {
      Owned owned = owned(creator);
      owned.requireBelow(quota, creator);
      AppendResult result = access.append(List.of(new Append(stream(id), 0, List.of(created)),
          assign(owned, id)), List.of());
      if (result instanceof AppendResult.Conflict c && c.name().equals(stream(id))) {
        throw new IllegalStateException("id generator returned a used group id " + id);
      }
      if (result.isAppended()) {
        GroupState state = new GroupState(id, now);
        state.apply(created);
        Slot slot = new Slot(id);
        slot.state = state;
        if (dispatcher.hasListeners()) {
          slot.committed(created);
        }
        groups.put(id, slot);
        afterCommit(slot);
        return state.info(now);
      }
    }
  }

  /**
   * Hands the group to {@code newOwner} within their quota: the new owner's stream records the
   * group in the same append as the transfer, so a concurrent creation cannot overshoot it.
   */
  public <R> R transfer(GroupId id, UserId newOwner, int quota, Instant now, Transition<R> transition) {
    return write(id, now, (state, out) -> {
      UserId previous = state.owner;
      R result = transition.decide(state, out);
      Owned target = owned(newOwner);
      target.requireBelow(quota, newOwner);
      out.also(assign(target, id), () -> { });
      out.also(release(owned(previous), id), () -> { });
      return result;
    });
  }

  /** The groups one user owns per their creator stream, and the position it was read at. */
  private record Owned(String stream, long lastSequence, Set<GroupId> groups) {
    public void requireBelow(int quota, UserId user) {
      if (groups.size() >= quota) {
        throw new FanGroupsException(ErrorCode.QUOTA_EXCEEDED,
            user + " already owns " + groups.size() + " active groups, the quota is " + quota + "; disband one first");
      }
    }

    public Append with(StoreRecord record) {
      return new Append(stream, lastSequence, List.of(record));
    }
  }

  private Append assign(Owned owned, GroupId group) {
    return owned.with(new GroupAssigned(group));
  }

  private Append release(Owned owned, GroupId group) {
    return owned.with(new GroupReleased(group));
  }

  private Owned owned(UserId user) {
    String stream = "creator/" + user.value();
    Set<GroupId> owned = new LinkedHashSet<>();
    long last = access.readRecords(stream, 0, r -> {
      if (r instanceof GroupAssigned a) {
        owned.add(a.group());
      } else if (r instanceof GroupReleased released) {
        owned.remove(released.group());
      }
    });
    return new Owned(stream, last, owned);
  }

  /** The ids of the active groups {@code owner} owns now, in the order they got them. */
  public List<GroupId> ownedBy(UserId owner) {
    return List.copyOf(owned(owner).groups());
  }

  public Optional<GroupId> groupOf(RequestId request) {
    GroupId cached = requestIndex.get(request);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<GroupId> found = access.exclusive ? Optional.empty() : access.find("request/" + request.value()).map(GroupId::of);
    found.ifPresent(g -> requestIndex.put(request, g));
    return found;
  }

  /** The group a red packet was sent in; empty for an unknown (or voided) packet. */
  public Optional<GroupId> groupOf(RedPacketId packet) {
    GroupId cached = packetIndex.get(packet);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<GroupId> found = access.exclusive ? Optional.empty()
        : access.find(RED_PACKET_KEY + packet.value()).filter(v -> !v.equals(VOIDED)).map(GroupId::of);
    found.ifPresent(g -> packetIndex.put(packet, g));
    return found;
  }

  /** A group and the sequence of its last event, as the store listed them. */
  public record GroupHead(GroupId group, long lastSequence) {
    public String stream() {
      return GroupRepository.stream(group);
    }
  }

  /** Every group with its last sequence, a page at a time from the store (one query per page on a database). */
  public void forEachGroupHead(java.util.function.Consumer<GroupHead> each) {
    String after = "";
    while (true) {
      String from = after;
      List<GroupStore.StreamHead> page = StoreAccess.call(() -> store.heads(GROUPS, from, StoreAccess.READ_BATCH));
      page.forEach(h -> each.accept(new GroupHead(GroupId.of(h.stream().substring(GROUPS.length())), h.lastSequence())));
      if (page.size() < StoreAccess.READ_BATCH) {
        return;
      }
      after = page.get(page.size() - 1).stream();
    }
  }

  /** Up to {@code limit} of the group's events after {@code afterSequence}, read from the store. */
  public List<GroupEvent> events(GroupId group, long afterSequence, int limit) {
    return access.events(group, afterSequence, limit);
  }

  /** Up to {@code limit} of the group's events after {@code afterSequence}, as the store keeps them (JSON). */
  public List<StoredEvent> storedEvents(GroupId group, long afterSequence, int limit) {
    return access.stored(stream(group), afterSequence, limit);
  }

  public long lastSequence(GroupId group) {
    return StoreAccess.call(() -> store.lastSequence(stream(group)));
  }

  // ---------------------------------------------------------------- families

  public void addFamily(Family family) {
    AppendResult result = access.append(List.of(new Append(stream(family.id()), 0, List.of(new FamilyCreated(family)))),
        List.of());
    if (!result.isAppended()) {
      throw new IllegalStateException("id generator returned a used family id " + family.id());
    }
    families.put(family.id(), family);
  }

  public Optional<Family> family(FamilyId id) {
    Family cached = families.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    List<StoreRecord> first = new ArrayList<>(1);
    access.readRecords(stream(id), 0, r -> {
      if (first.isEmpty()) {
        first.add(r);
      }
    });
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Family family = ((FamilyCreated) first.get(0)).family();
    families.put(id, family);
    return Optional.of(family);
  }

  // ---------------------------------------------------------------- outbox cursors and leases

  /** The sequence number up to which a relay consumer ({@code consumer|group}) has delivered. */
  public long relayCursor(String key) {
    return StoreAccess.call(() -> store.cursor("relay/" + key));
  }

  /** Moves a relay consumer's cursor forward; never backward. */
  public void advanceRelayCursor(String key, long sequence) {
    StoreAccess.run(() -> store.advanceCursor("relay/" + key, sequence));
  }

  /** Takes or renews the lease on one group's deliveries for one consumer; false when another relay holds it. */
  public boolean tryTakeRelayLease(String key, String holder, Duration ttl) {
    return StoreAccess.call(() -> store.tryLease("relay/" + key, holder, leaseClock.instant(), ttl));
  }

  public void releaseRelayLease(String key, String holder) {
    StoreAccess.run(() -> store.releaseLease("relay/" + key, holder));
  }

  // ---------------------------------------------------------------- listeners and command scope

  public Subscription subscribe(GroupEventListener listener) {
    return dispatcher.subscribe(listener);
  }

  /** The command running on this thread, if any: listeners are called when the outermost one ends. */
  private static final class CommandScope {
    public int depth;
    public final Set<Slot> committed = new LinkedHashSet<>();
  }

  private final ThreadLocal<CommandScope> scope = ThreadLocal.withInitial(CommandScope::new);

  /**
   * Runs a command. Listeners hear of its events only after it returns, so they never run while
   * the command holds a lock and may call back into the SDK.
   */
  public <R> R inCommand(Supplier<R> command) {
    CommandScope current = scope.get();
    current.depth++;
    try {
      return command.get();
    } finally {
      if (--current.depth == 0 && !current.committed.isEmpty()) {
        List<Slot> slots = List.copyOf(current.committed);
        current.committed.clear();
        slots.forEach(this::deliver);
      }
    }
  }

  private void afterCommit(Slot slot) {
    if (!slot.hasUndelivered()) {
      return;
    }
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
    } catch (VirtualMachineError e) {
      if (!(e instanceof StackOverflowError)) {
        throw e;
      }
      LoggerFactory.getLogger(GroupRepository.class).warn("fangroups: event delivery failed", e);
    } catch (Throwable e) {
      LoggerFactory.getLogger(GroupRepository.class).warn("fangroups: event delivery failed", e);
    }
  }

  // ---------------------------------------------------------------- store access

  private Slot slot(GroupId id) {
    return groups.computeIfAbsent(id, Slot::new);
  }

  /** The slot's state, loaded or caught up from the store. Under the slot's lock. */
  private GroupState loaded(Slot slot) {
    if (slot.state != null && access.exclusive) {
      return slot.state;
    }
    if (slot.state == null) {
      slot.state = fromSnapshot(slot);
    }
    access.readForFold(slot.id, slot.state == null ? 0 : slot.state.lastSequence, read -> {
      long sequence = read instanceof WireFormat.Post post ? post.sequence() : ((GroupEvent) read).sequence();
      if (sequence != (slot.state == null ? 1 : slot.state.lastSequence + 1)) {
        toSnapshotCovering(slot, sequence - 1);
      }
      if (slot.state != null && sequence <= slot.state.lastSequence) {
        return; // folded into the snapshot the state just moved to
      }
      if (slot.state == null) {
        if (!(read instanceof GroupEvent e && e.change() instanceof GroupChange.GroupCreated)) {
          throw new IllegalStateException("group " + slot.id + "'s events before #" + sequence
              + " were deleted and it has no snapshot this SDK version reads; it cannot be rebuilt");
        }
        slot.state = new GroupState(slot.id, e.occurredAt());
      }
      if (read instanceof WireFormat.Post post) {
        slot.state.posted(post.sequence(), post.sender(), post.postedAt());
      } else {
        GroupEvent event = (GroupEvent) read;
        slot.state.apply(event);
        indexRequest(slot.id, event.change());
      }
    });
    if (slot.state == null) {
      groups.remove(slot.id, slot); // unknown ids leave nothing behind
      throw new FanGroupsException(ErrorCode.GROUP_NOT_FOUND, "no group " + slot.id);
    }
    return slot.state;
  }

  /**
   * Events the state has not folded are missing from a read, up to {@code missingThrough}: retention
   * deleted them once a snapshot covered them (another process wrote it, and pruning ran, after this
   * one last read the group or its snapshot). Moves the state to the latest snapshot when that covers
   * them; applying the events after the gap to the old state would lose what the missing ones did.
   * When no snapshot this version reads covers them, the state stays (the events after them are applied).
   */
  private void toSnapshotCovering(Slot slot, long missingThrough) {
    long position = slot.state == null ? 0 : slot.state.lastSequence;
    GroupState latest = fromSnapshot(slot);
    if (latest != null && latest.lastSequence >= missingThrough && latest.lastSequence > position) {
      slot.state = latest;
    }
  }

  /**
   * The group as its latest snapshot recorded it, or null when it has none this version reads (the
   * caller then folds the whole stream; a snapshot of another format version is never trusted).
   */
  private @Nullable GroupState fromSnapshot(Slot slot) {
    Optional<GroupStore.Snapshot> saved = StoreAccess.call(() -> store.snapshot(slot.stream));
    if (saved.isEmpty()) {
      return null;
    }
    Optional<GroupSnapshot> snapshot = codec.decodeSnapshot(saved.get().payload());
    if (snapshot.isEmpty() || snapshot.get().lastSequence() != saved.get().sequence()) {
      return null;
    }
    GroupState state = GroupState.of(slot.id, snapshot.get());
    state.requests.keySet().forEach(r -> requestIndex.put(r, slot.id));
    state.redPackets.keySet().forEach(p -> packetIndex.put(p, slot.id));
    slot.snapshotAt = state.lastSequence;
    return state;
  }

  /** Snapshots the group if enough events came since its last snapshot. Under the slot's lock, after a commit. */
  private void snapshotIfDue(Slot slot) {
    // The in-memory store's only writer never loads a group again, so a snapshot there only serves
    // pruning, which writes one when it needs it; joins in memory pay for no JSON.
    if (access.exclusive || slot.state.lastSequence - slot.snapshotAt < retention.snapshotEvery()) {
      return;
    }
    try {
      saveSnapshot(slot);
    } catch (RuntimeException e) {
      // A snapshot only saves work; the next commit tries again.
      LoggerFactory.getLogger(GroupRepository.class).debug("fangroups: snapshot of {} failed", slot.id, e);
    }
  }

  private long saveSnapshot(Slot slot) {
    GroupState state = slot.state;
    String json = codec.encodeSnapshot(state.toSnapshot());
    StoreAccess.run(() -> store.saveSnapshot(slot.stream, state.lastSequence, json));
    slot.snapshotAt = state.lastSequence;
    return state.lastSequence;
  }

  /** Snapshots the group now; returns the sequence the snapshot covers. */
  public long snapshot(GroupId id) {
    Slot slot = slot(id);
    slot.lock.lock();
    try {
      loaded(slot);
      return saveSnapshot(slot);
    } finally {
      slot.lock.unlock();
    }
  }

  /** The sequence the group's latest snapshot in the store covers; 0 for none. */
  public long snapshotSequence(GroupId id) {
    return StoreAccess.call(() -> store.snapshot(stream(id))).map(GroupStore.Snapshot::sequence).orElse(0L);
  }

  private void indexRequest(GroupId group, GroupChange change) {
    if (change instanceof RequestSubmitted s) {
      requestIndex.put(s.request().id(), group);
    } else if (change instanceof GroupChange.RedPacketSent p) {
      packetIndex.put(p.packet(), group);
    }
  }

  /**
   * Appends the changes with their companions; applies them to the cached state when written.
   * Returns false on a conflict with another process (the caller decides again).
   */
  private boolean commit(Slot slot, Instant now, Changes out, boolean byCommand) {
    GroupState state = slot.state;
    List<GroupEvent> events = new ArrayList<>(out.size());
    List<UniqueKey> keys = new ArrayList<>(out.keys());
    List<Changes.Also> companions = new ArrayList<>(out.companions());
    long sequence = state.lastSequence;
    for (Changes.Emitted e : out.emitted()) {
      GroupEvent event = new GroupEvent(state.id, ++sequence, now, e.attribution(), e.change());
      events.add(event);
      if (e.change() instanceof RequestSubmitted s) {
        keys.add(new UniqueKey("request/" + s.request().id().value(), state.id.value()));
        companions.add(new Changes.Also(new Append(dueStream(DUE, s.request().expiresAt(), s.request().id().value()), 0,
            List.of(new RequestDue(state.id))), () -> { }));
      } else if (e.change() instanceof GroupChange.RedPacketSent p) {
        keys.add(new UniqueKey(RED_PACKET_KEY + p.packet().value(), state.id.value()));
        companions.add(new Changes.Also(new Append(dueStream(RED_PACKET_DUE, p.expiresAt(), p.packet().value()), 0,
            List.of(new StoreRecord.RedPacketDue(state.id, p.packet()))), () -> { }));
      } else if (e.change() instanceof GroupChange.GroupDisbanded) {
        companions.add(new Changes.Also(release(owned(state.owner), state.id), () -> { }));
      }
    }
    List<Append> appends = new ArrayList<>(companions.size() + 1);
    appends.add(new Append(slot.stream, state.lastSequence, events));
    companions.forEach(c -> appends.add(c.append()));
    AppendResult result;
    try {
      result = access.appendChanges(appends, keys, byCommand);
    } catch (FanGroupsException e) {
      throw e;
    } catch (RuntimeException e) {
      slot.state = null; // the append may or may not have landed: reload before the next use
      throw StoreAccess.unavailable(e);
    }
    if (result instanceof AppendResult.Conflict c) {
      // Keys and new passcode streams are named by generated ids: a conflict there is a used id, not
      // another process's progress (a creator's or family's stream moving is; decide again).
      boolean newPasscode = (c.name().startsWith("passcode/") || c.name().startsWith(DUE) || c.name().startsWith(RED_PACKET_DUE))
          && appends.stream().anyMatch(a -> a.stream().equals(c.name()) && a.expectedLastSequence() == 0);
      if (c.kind() == AppendResult.Kind.KEY_EXISTS && c.name().startsWith(RED_PACKET_KEY)) {
        // The sweep voided this packet's hold: its send took longer than the sweep's grace period.
        throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "sending red packet "
            + c.name().substring(RED_PACKET_KEY.length()) + " took too long and its hold was released; send it again");
      }
      if (c.kind() == AppendResult.Kind.KEY_EXISTS || newPasscode) {
        throw new IllegalStateException("id generator returned a used id: " + c.name() + " exists");
      }
      return false;
    }
    boolean listening = dispatcher.hasListeners();
    for (GroupEvent event : events) {
      state.apply(event);
      indexRequest(state.id, event.change());
      if (listening) {
        slot.committed(event);
      }
    }
    companions.forEach(c -> c.onCommit().run());
    snapshotIfDue(slot);
    return true;
  }

  /** An entry in a due index: named by when it falls due (rounded up to the millisecond), then the id of what is due. */
  static String dueStream(String index, Instant at, String id) {
    long millis = at.toEpochMilli() + (at.getNano() % 1_000_000 == 0 ? 0 : 1);
    return index + String.format("%019d", millis) + "/" + id;
  }

  /**
   * Records the expiry of every request the due-request index says is overdue at {@code now}, and
   * removes their entries; returns how many expiries were recorded.
   */
  public int expireDue(Instant now) {
    return sweepDue(DUE, now, r -> r instanceof RequestDue due && lastSequence(due.group()) > 0
        ? expireOverdue(due.group(), now) : 0);
  }

  /**
   * Hands {@code handle} the record of every entry of the due index {@code index} that is due at
   * {@code now}, and removes each entry once handled; returns the sum of what it returned. Reads the
   * index in due order and stops at the first entry not yet due, so it costs what is due, not every
   * group. An entry whose handling throws stays for the next sweep.
   */
  public int sweepDue(String index, Instant now, java.util.function.ToIntFunction<StoreRecord> handle) {
    int[] handled = {0};
    access.forEachStream(index, name -> {
      if (Long.parseLong(name.substring(index.length(), index.length() + 19)) > now.toEpochMilli()) {
        return false;
      }
      for (StoreRecord r : access.records(name)) {
        handled[0] += handle.applyAsInt(r);
      }
      StoreAccess.call(() -> store.deleteStream(name, 1));
      return true;
    });
    return handled[0];
  }

  public static String stream(GroupId id) {
    return GROUPS + id.value();
  }

  public static String stream(FamilyId id) {
    return "family/" + id.value();
  }
}
