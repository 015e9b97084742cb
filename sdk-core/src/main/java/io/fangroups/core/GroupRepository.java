package io.fangroups.core;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fangroups.core.GroupChange.RequestHandled;
import io.fangroups.core.GroupChange.RequestSubmitted;
import io.fangroups.core.StoreRecords.FamilyCreated;
import io.fangroups.core.StoreRecords.GroupAssigned;
import io.fangroups.core.StoreRecords.GroupReleased;
import io.fangroups.core.StoreRecords.PasscodeAdded;
import io.fangroups.core.StoreRecords.PasscodeIssued;
import io.fangroups.core.StoreRecords.PasscodeRevoked;
import io.fangroups.core.StoreRecords.PasscodeUsed;
import io.fangroups.core.Transition.Changes;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.UniqueKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
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
 */
final class GroupRepository {
  private static final Duration IDEMPOTENCY_RETENTION = Duration.ofHours(24);
  private static final int READ_BATCH = 500;
  /** Conflicts in a row after which a command gives up; each one means another process progressed. */
  private static final int MAX_CONFLICTS = 200;
  static final String GROUPS = "group/";

  /** One group: its cached state, the lock that guards it, and events committed here not yet heard by listeners. */
  static final class Slot {
    final GroupId id;
    final ReentrantLock lock = new ReentrantLock();
    final ReentrantLock dispatchLock = new ReentrantLock();
    /** Null until loaded from the store, and after a store failure (reloaded on next use). Guarded by lock. */
    GroupState state;
    private final ArrayDeque<GroupEvent> undelivered = new ArrayDeque<>();

    Slot(GroupId id) {
      this.id = id;
    }

    /** Takes the events listeners have not heard yet. */
    List<GroupEvent> takeUndelivered() {
      synchronized (undelivered) {
        List<GroupEvent> batch = List.copyOf(undelivered);
        undelivered.clear();
        return batch;
      }
    }

    boolean hasUndelivered() {
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

  /** One passcode record: its fold, the stream position it is at, and its digest and target. */
  static final class PasscodeSlot {
    final PasscodeId id;
    final ReentrantLock lock = new ReentrantLock();
    /** Null until loaded. Written under lock. */
    volatile PasscodeInfo info;
    private long lastSequence;

    PasscodeSlot(PasscodeId id) {
      this.id = id;
    }

    String stream() {
      return "passcode/" + id.value();
    }

    /** The record and the stream position it reflects, read together. */
    record Position(PasscodeInfo info, long sequence) {}

    Position position() {
      lock.lock();
      try {
        return new Position(info, lastSequence);
      } finally {
        lock.unlock();
      }
    }

    private void apply(Record event) {
      if (event instanceof PasscodeIssued issued) {
        info = issued.info();
      } else if (event instanceof PasscodeUsed) {
        info = info.used();
      } else if (event instanceof PasscodeRevoked revoked) {
        info = info.revoked(revoked.at());
      } else {
        throw new IllegalStateException("unexpected event in " + stream() + ": " + event);
      }
      lastSequence++;
    }
  }

  private final GroupStore store;
  private final StoreCodec codec;
  /** True when this repository is the store's only writer (an in-memory store): caches need no catch-up. */
  private final boolean exclusive;
  // Over a shared store these are caches, bounded: whatever is evicted is read again from the store,
  // and an evicted slot's lock only costs a conflict more. The in-memory store's are its only copy.
  private final ConcurrentMap<GroupId, Slot> groups;
  private final ConcurrentMap<RequestId, GroupId> requestIndex;
  private final ConcurrentMap<FamilyId, Family> families;
  private final ConcurrentMap<PasscodeId, PasscodeSlot> passcodes;
  private final ConcurrentMap<String, PasscodeId> passcodeDigests;
  /** Held only while a passcode command runs, so weakly: an unused target's lock goes away. */
  private final ConcurrentMap<String, ReentrantLock> passcodeTargets =
      Caffeine.newBuilder().weakValues().<String, ReentrantLock>build().asMap();
  /** Leases are about real processes, so they run on the wall clock whatever clock commands use. */
  private final Clock leaseClock = Clock.systemUTC();
  final Idempotency idempotency = new Idempotency(IDEMPOTENCY_RETENTION);
  final EventDispatcher dispatcher = new EventDispatcher();
  /** The attempt limiter and passcode keys instances on an in-memory store use unless configured otherwise. */
  final InMemoryAttemptLimiter attempts = InMemoryAttemptLimiter.create();
  final PasscodeKeys generatedKeys = PasscodeKeys.random();

  GroupRepository(GroupStore store, StoreCodec codec, boolean exclusive) {
    this.store = store;
    this.codec = codec;
    this.exclusive = exclusive;
    this.groups = cache(exclusive, CACHED_GROUPS);
    this.requestIndex = cache(exclusive, CACHED_KEYS);
    this.families = cache(exclusive, CACHED_GROUPS);
    this.passcodes = cache(exclusive, CACHED_GROUPS);
    this.passcodeDigests = cache(exclusive, CACHED_KEYS);
  }

  /** Groups (and families, passcodes) whose state a process on a shared store keeps cached. */
  static final int CACHED_GROUPS = 10_000;
  private static final int CACHED_KEYS = 100_000;

  private static <K, V> ConcurrentMap<K, V> cache(boolean exclusive, int maximumSize) {
    return exclusive ? new ConcurrentHashMap<>() : Caffeine.newBuilder().maximumSize(maximumSize).executor(Runnable::run).<K, V>build().asMap();
  }

  boolean sharedAcrossProcesses() {
    return store.sharedAcrossProcesses();
  }

  // ---------------------------------------------------------------- groups

  /**
   * Runs {@code transition} on the group under its lock: first expires its overdue requests (those
   * changes commit whatever happens next), then commits the transition's changes if it returns.
   * On a conflict with another process both are decided again on the caught-up state.
   */
  <R> R write(GroupId id, Instant now, Transition<R> transition) {
    Slot slot = slot(id);
    slot.lock.lock();
    try {
      for (int conflicts = 0; ; conflicts = giveUpAfter(conflicts, id)) {
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
  int expireOverdue(GroupId id, Instant now) {
    Slot slot = slot(id);
    slot.lock.lock();
    try {
      for (int conflicts = 0; ; conflicts = giveUpAfter(conflicts, id)) {
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
    Changes expired = new Changes();
    for (RequestId id : state.pendingByUser.values()) {
      JoinRequest request = state.requests.get(id);
      if (!request.isPendingAt(now)) {
        expired.emit(Attribution.system("request expired"), new RequestHandled(id, request.applicant(), RequestStatus.EXPIRED));
      }
    }
    return expired.size() == 0 || commit(slot, now, expired, false);
  }

  private static int giveUpAfter(int conflicts, Object what) {
    if (conflicts + 1 >= MAX_CONFLICTS) {
      throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, MAX_CONFLICTS
          + " conflicting writes in a row on " + what + "; the store is too contended, nothing was changed");
    }
    return conflicts + 1;
  }

  /** Reads the caught-up group under its lock; {@code reader} must copy what it returns. */
  <R> R read(GroupId id, Function<GroupState, R> reader) {
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
  GroupInfo create(UserId creator, int quota, GroupId id, Instant now, Attribution by, GroupSettings settings) {
    GroupEvent created = new GroupEvent(id, 1, now, by, new GroupChange.GroupCreated(creator, settings));
    NewEvent encoded = codec.encode(created);
    for (int conflicts = 0; ; conflicts = giveUpAfter(conflicts, creator)) {
      Owned owned = owned(creator);
      owned.requireBelow(quota, creator);
      AppendResult result = append(List.of(new StreamAppend(stream(id), 0, List.of(encoded)),
          assign(owned, id)), List.of());
      if (result instanceof AppendResult.Conflict c && c.name().equals(stream(id))) {
        throw new IllegalStateException("id generator returned a used group id " + id);
      }
      if (result.isAppended()) {
        GroupState state = new GroupState(id, now);
        state.apply(created);
        Slot slot = new Slot(id);
        slot.state = state;
        slot.committed(created);
        groups.put(id, slot);
        afterCommit(slot);
        return state.info();
      }
    }
  }

  /**
   * Hands the group to {@code newOwner} within their quota: the new owner's stream records the
   * group in the same append as the transfer, so a concurrent creation cannot overshoot it.
   */
  <R> R transfer(GroupId id, UserId newOwner, int quota, Instant now, Transition<R> transition) {
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
    void requireBelow(int quota, UserId user) {
      if (groups.size() >= quota) {
        throw new FanGroupsException(ErrorCode.QUOTA_EXCEEDED,
            user + " already owns " + groups.size() + " active groups, the quota is " + quota + "; disband one first");
      }
    }

    StreamAppend with(NewEvent event) {
      return new StreamAppend(stream, lastSequence, List.of(event));
    }
  }

  private StreamAppend assign(Owned owned, GroupId group) {
    return owned.with(codec.encodeRecord(new GroupAssigned(group)));
  }

  private StreamAppend release(Owned owned, GroupId group) {
    return owned.with(codec.encodeRecord(new GroupReleased(group)));
  }

  private Owned owned(UserId user) {
    String stream = "creator/" + user.value();
    Set<GroupId> owned = new LinkedHashSet<>();
    long last = readAll(stream, event -> {
      Record r = codec.decodeRecord(event);
      if (r instanceof GroupAssigned a) {
        owned.add(a.group());
      } else if (r instanceof GroupReleased released) {
        owned.remove(released.group());
      }
    });
    return new Owned(stream, last, owned);
  }

  /** The ids of the active groups {@code owner} owns now, in the order they got them. */
  List<GroupId> ownedBy(UserId owner) {
    return List.copyOf(owned(owner).groups());
  }

  Optional<GroupId> groupOf(RequestId request) {
    GroupId cached = requestIndex.get(request);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<GroupId> found = exclusive ? Optional.empty() : find("request/" + request.value()).map(GroupId::of);
    found.ifPresent(g -> requestIndex.put(request, g));
    return found;
  }

  /** Every group's id, in pages from the store. */
  List<GroupId> allGroups() {
    List<GroupId> all = new ArrayList<>();
    String after = "";
    while (true) {
      String from = after;
      List<String> page = call(() -> store.streams(GROUPS, from, READ_BATCH));
      page.forEach(name -> all.add(GroupId.of(name.substring(GROUPS.length()))));
      if (page.size() < READ_BATCH) {
        return all;
      }
      after = page.get(page.size() - 1);
    }
  }

  /** Up to {@code limit} of the group's events after {@code afterSequence}, read from the store. */
  List<GroupEvent> events(GroupId group, long afterSequence, int limit) {
    List<StoredEvent> stored = call(() -> store.read(stream(group), afterSequence, limit));
    List<GroupEvent> events = new ArrayList<>(stored.size());
    for (StoredEvent e : stored) {
      events.add(codec.decode(group, e));
    }
    return events;
  }

  long lastSequence(GroupId group) {
    return call(() -> store.lastSequence(stream(group)));
  }

  // ---------------------------------------------------------------- families

  void addFamily(Family family) {
    AppendResult result = append(List.of(new StreamAppend(stream(family.id()), 0,
        List.of(codec.encodeRecord(new FamilyCreated(family))))), List.of());
    if (!result.isAppended()) {
      throw new IllegalStateException("id generator returned a used family id " + family.id());
    }
    families.put(family.id(), family);
  }

  Optional<Family> family(FamilyId id) {
    Family cached = families.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    List<StoredEvent> first = call(() -> store.read(stream(id), 0, 1));
    if (first.isEmpty()) {
      return Optional.empty();
    }
    Family family = ((FamilyCreated) codec.decodeRecord(first.get(0))).family();
    families.put(id, family);
    return Optional.of(family);
  }

  // ---------------------------------------------------------------- passcodes

  /** Runs {@code body} holding this process's lock on one passcode target, so a reset's two steps are not split here. */
  <R> R withPasscodeTarget(String target, Supplier<R> body) {
    ReentrantLock lock = passcodeTargets.computeIfAbsent(target, t -> new ReentrantLock());
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Issues a group's passcode: the caller's transition emits {@code PasscodeCreated} into the group
   * stream; this adds the code's own stream and its digest key to the same append.
   */
  void issueWith(Changes out, PasscodeInfo info, String digest, String target) {
    out.also(new StreamAppend(stream(info.id()), 0, List.of(codec.encodeRecord(new PasscodeIssued(info, digest, target)))),
        () -> cacheIssued(info, digest));
    out.claim(new UniqueKey(digestKey(digest), info.id().value()));
  }

  /** Issues a family's passcode: the family's stream lists it, in one append with the code's own stream. */
  void issueForFamily(FamilyId family, int limit, Instant now, PasscodeInfo info, String digest, String target) {
    for (int conflicts = 0; ; conflicts = giveUpAfter(conflicts, family)) {
      long[] last = {0};
      List<PasscodeInfo> codes = familyPasscodes(family, last);
      requireBelowLimit(codes, limit, now, target);
      AppendResult result = append(List.of(
          new StreamAppend(stream(family), last[0], List.of(codec.encodeRecord(new PasscodeAdded(info.id())))),
          new StreamAppend(stream(info.id()), 0, List.of(codec.encodeRecord(new PasscodeIssued(info, digest, target))))),
          List.of(new UniqueKey(digestKey(digest), info.id().value())));
      if (result.isAppended()) {
        cacheIssued(info, digest);
        return;
      }
      if (result instanceof AppendResult.Conflict c && !c.name().equals(stream(family))) {
        throw new IllegalStateException("a passcode id or digest was used twice: " + c.name());
      }
    }
  }

  static void requireBelowLimit(List<PasscodeInfo> codes, int limit, Instant now, String target) {
    long live = codes.stream().filter(p -> p.isLiveAt(now)).count();
    if (live >= limit) {
      throw new FanGroupsException(ErrorCode.PASSCODE_LIMIT_REACHED, target + " already has " + live
          + " live passcodes, the limit; revoke one first");
    }
  }

  private void cacheIssued(PasscodeInfo info, String digest) {
    PasscodeSlot slot = passcodes.computeIfAbsent(info.id(), PasscodeSlot::new);
    slot.lock.lock();
    try {
      if (slot.lastSequence == 0) {
        slot.info = info;
        slot.lastSequence = 1;
      }
    } finally {
      slot.lock.unlock();
    }
    passcodeDigests.put(digest, info.id());
  }

  /** A family's passcodes, caught up; {@code last[0]} receives the family stream's position. */
  List<PasscodeInfo> familyPasscodes(FamilyId family, long[] last) {
    List<PasscodeInfo> codes = new ArrayList<>();
    last[0] = readAll(stream(family), event -> {
      if (codec.decodeRecord(event) instanceof PasscodeAdded added) {
        passcode(added.passcode()).ifPresent(p -> codes.add(p.info));
      }
    });
    return codes;
  }

  /** The group's passcodes, caught up. */
  List<PasscodeInfo> groupPasscodes(GroupState state) {
    return state.passcodes.stream().map(this::passcode).flatMap(Optional::stream).map(p -> p.info).toList();
  }

  /** The passcode, caught up with its stream. */
  Optional<PasscodeSlot> passcode(PasscodeId id) {
    PasscodeSlot slot = passcodes.computeIfAbsent(id, PasscodeSlot::new);
    slot.lock.lock();
    try {
      catchUp(slot);
      if (slot.info == null) {
        passcodes.remove(id, slot);
        return Optional.empty();
      }
      return Optional.of(slot);
    } finally {
      slot.lock.unlock();
    }
  }

  private void catchUp(PasscodeSlot slot) {
    List<StoredEvent> events;
    do {
      events = call(() -> store.read(slot.stream(), slot.lastSequence, READ_BATCH));
      events.forEach(e -> slot.apply(codec.decodeRecord(e)));
    } while (events.size() == READ_BATCH);
  }

  Optional<PasscodeSlot> passcodeByDigest(String digest) {
    PasscodeId id = passcodeDigests.get(digest);
    if (id == null) {
      Optional<String> found = exclusive ? Optional.empty() : find(digestKey(digest));
      if (found.isEmpty()) {
        return Optional.empty();
      }
      id = PasscodeId.of(found.get());
      passcodeDigests.put(digest, id);
    }
    return passcode(id);
  }

  /**
   * Adds {@code event} (a use or a revocation) to the code's stream in the same append as the
   * group's changes, expecting the position the caller checked it at.
   */
  void passcodeEventWith(Changes out, PasscodeSlot slot, long checkedAt, Record event) {
    out.also(new StreamAppend(slot.stream(), checkedAt, List.of(codec.encodeRecord(event))), () -> {
      slot.lock.lock();
      try {
        if (slot.lastSequence == checkedAt) {
          slot.apply(event);
        }
      } finally {
        slot.lock.unlock();
      }
    });
  }

  /** Appends {@code event} to the code's stream alone (a family code's revocation); false on a conflict. */
  boolean appendPasscodeEvent(PasscodeSlot slot, long checkedAt, Record event) {
    Changes out = new Changes();
    passcodeEventWith(out, slot, checkedAt, event);
    Changes.Also also = out.companions().get(0);
    if (!append(List.of(also.append()), List.of()).isAppended()) {
      return false;
    }
    also.onCommit().run();
    return true;
  }

  private static String digestKey(String digest) {
    return "passcode-digest/" + digest;
  }

  // ---------------------------------------------------------------- plain record streams

  /** The records of a stream beside the groups' own (such as an idempotency record), in order. */
  List<Record> records(String stream) {
    List<Record> records = new ArrayList<>();
    readAll(stream, e -> records.add(codec.decodeRecord(e)));
    return records;
  }

  /** Appends one record expecting the stream at {@code expected}; false when it moved. */
  boolean appendRecord(String stream, long expected, Record record) {
    List<StreamAppend> append = List.of(new StreamAppend(stream, expected, List.of(codec.encodeRecord(record))));
    return call(() -> appendChanges(append, List.of(), false)).isAppended();
  }

  StoreCodec codec() {
    return codec;
  }

  // ---------------------------------------------------------------- outbox cursors and leases

  /** The sequence number up to which a relay consumer ({@code consumer|group}) has delivered. */
  long relayCursor(String key) {
    return call(() -> store.cursor("relay/" + key));
  }

  /** Moves a relay consumer's cursor forward; never backward. */
  void advanceRelayCursor(String key, long sequence) {
    call(() -> {
      store.advanceCursor("relay/" + key, sequence);
      return null;
    });
  }

  /** Takes or renews the lease on one group's deliveries for one consumer; false when another relay holds it. */
  boolean tryTakeRelayLease(String key, String holder, Duration ttl) {
    return call(() -> store.tryLease("relay/" + key, holder, leaseClock.instant(), ttl));
  }

  void releaseRelayLease(String key, String holder) {
    call(() -> {
      store.releaseLease("relay/" + key, holder);
      return null;
    });
  }

  // ---------------------------------------------------------------- listeners and command scope

  Subscription subscribe(GroupEventListener listener) {
    return dispatcher.subscribe(listener);
  }

  /** The command running on this thread, if any: listeners are called when the outermost one ends. */
  private static final class CommandScope {
    int depth;
    final Set<Slot> committed = new LinkedHashSet<>();
  }

  private final ThreadLocal<CommandScope> scope = ThreadLocal.withInitial(CommandScope::new);

  /**
   * Runs a command. Listeners hear of its events only after it returns, so they never run while
   * the command holds a lock and may call back into the SDK.
   */
  <R> R inCommand(Supplier<R> command) {
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
    if (slot.state != null && exclusive) {
      return slot.state;
    }
    List<StoredEvent> events;
    do {
      long after = slot.state == null ? 0 : slot.state.lastSequence;
      events = call(() -> store.read(stream(slot.id), after, READ_BATCH));
      for (StoredEvent stored : events) {
        GroupEvent event = codec.decode(slot.id, stored);
        if (slot.state == null) {
          slot.state = new GroupState(slot.id, event.occurredAt());
        }
        slot.state.apply(event);
        indexRequest(slot.id, event.change());
      }
    } while (events.size() == READ_BATCH);
    if (slot.state == null) {
      groups.remove(slot.id, slot); // unknown ids leave nothing behind
      throw new FanGroupsException(ErrorCode.GROUP_NOT_FOUND, "no group " + slot.id);
    }
    return slot.state;
  }

  private void indexRequest(GroupId group, GroupChange change) {
    if (change instanceof RequestSubmitted s) {
      requestIndex.put(s.request().id(), group);
    }
  }

  /**
   * Appends the changes with their companions; applies them to the cached state when written.
   * Returns false on a conflict with another process (the caller decides again).
   */
  private boolean commit(Slot slot, Instant now, Changes out, boolean byCommand) {
    GroupState state = slot.state;
    List<GroupEvent> events = new ArrayList<>(out.size());
    List<NewEvent> encoded = new ArrayList<>(out.size());
    List<UniqueKey> keys = new ArrayList<>(out.keys());
    List<Changes.Also> companions = new ArrayList<>(out.companions());
    long sequence = state.lastSequence;
    for (Changes.Emitted e : out.emitted()) {
      GroupEvent event = new GroupEvent(state.id, ++sequence, now, e.attribution(), e.change());
      events.add(event);
      encoded.add(codec.encode(event));
      if (e.change() instanceof RequestSubmitted s) {
        keys.add(new UniqueKey("request/" + s.request().id().value(), state.id.value()));
      } else if (e.change() instanceof GroupChange.GroupDisbanded) {
        companions.add(new Changes.Also(release(owned(state.owner), state.id), () -> { }));
      }
    }
    List<StreamAppend> appends = new ArrayList<>(companions.size() + 1);
    appends.add(new StreamAppend(stream(state.id), state.lastSequence, encoded));
    companions.forEach(c -> appends.add(c.append()));
    AppendResult result;
    try {
      result = appendChanges(appends, keys, byCommand);
    } catch (FanGroupsException e) {
      throw e;
    } catch (RuntimeException e) {
      slot.state = null; // the append may or may not have landed: reload before the next use
      throw unavailable(e);
    }
    if (result instanceof AppendResult.Conflict c) {
      // Keys and new passcode streams are named by generated ids: a conflict there is a used id, not
      // another process's progress (a creator's or family's stream moving is; decide again).
      boolean newPasscode = c.name().startsWith("passcode/")
          && appends.stream().anyMatch(a -> a.stream().equals(c.name()) && a.expectedLastSequence() == 0);
      if (c.kind() == AppendResult.Kind.KEY_EXISTS || newPasscode) {
        throw new IllegalStateException("id generator returned a used id: " + c.name() + " exists");
      }
      return false;
    }
    for (GroupEvent event : events) {
      state.apply(event);
      indexRequest(state.id, event.change());
      slot.committed(event);
    }
    companions.forEach(c -> c.onCommit().run());
    return true;
  }

  /** A command's append (its changes are marked in its idempotency record). */
  private AppendResult append(List<StreamAppend> appends, List<UniqueKey> keys) {
    return call(() -> appendChanges(appends, keys, true));
  }

  /**
   * Appends; when {@code byCommand} and a keyed command runs on this thread, its record is marked
   * {@code CommandLanded} in the same append, so a retry can tell whether a change of it was written.
   */
  private AppendResult appendChanges(List<StreamAppend> appends, List<UniqueKey> keys, boolean byCommand) {
    KeyedAttempt attempt = byCommand ? keyedAttempt.get() : null;
    if (attempt == null) {
      return store.append(appends, keys);
    }
    List<StreamAppend> marked = new ArrayList<>(appends);
    marked.add(new StreamAppend(attempt.stream, attempt.next,
        List.of(codec.encodeRecord(new StoreRecords.CommandLanded(attempt.token)))));
    AppendResult result = store.append(marked, keys);
    if (result.isAppended()) {
      attempt.next++;
      attempt.landed = true;
    } else if (result instanceof AppendResult.Conflict c && c.name().equals(attempt.stream)) {
      throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "another process took this idempotency key over "
          + "(this attempt ran longer than " + StoreIdempotency.ABANDONED_AFTER + "); nothing more was changed");
    }
    return result;
  }

  /** A keyed command running on this thread, on a shared store: where its record continues. */
  static final class KeyedAttempt {
    final String stream;
    final String token;
    long next;
    boolean landed;

    KeyedAttempt(String stream, String token, long next) {
      this.stream = stream;
      this.token = token;
      this.next = next;
    }
  }

  private final ThreadLocal<KeyedAttempt> keyedAttempt = new ThreadLocal<>();

  /** Runs a keyed command's body with its attempt on this thread (an outer attempt is kept). */
  <R> R asKeyedAttempt(KeyedAttempt attempt, Supplier<R> body) {
    if (keyedAttempt.get() != null) {
      return body.get();
    }
    keyedAttempt.set(attempt);
    try {
      return body.get();
    } finally {
      keyedAttempt.remove();
    }
  }

  private Optional<String> find(String key) {
    return call(() -> store.find(key));
  }

  /** Reads a whole stream, handing each event to {@code each}; returns its last sequence. */
  private long readAll(String stream, java.util.function.Consumer<StoredEvent> each) {
    long last = 0;
    List<StoredEvent> events;
    do {
      long after = last;
      events = call(() -> store.read(stream, after, READ_BATCH));
      for (StoredEvent e : events) {
        each.accept(e);
        last = e.sequence();
      }
    } while (events.size() == READ_BATCH);
    return last;
  }

  private static <T> T call(Supplier<T> storeCall) {
    try {
      return storeCall.get();
    } catch (FanGroupsException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unavailable(e);
    }
  }

  private static FanGroupsException unavailable(RuntimeException e) {
    return new FanGroupsException(ErrorCode.STORE_UNAVAILABLE,
        "the group store failed; the outcome is unknown, retry with the same idempotency key", e);
  }

  static String stream(GroupId id) {
    return GROUPS + id.value();
  }

  private static String stream(FamilyId id) {
    return "family/" + id.value();
  }

  private static String stream(PasscodeId id) {
    return "passcode/" + id.value();
  }
}
