package io.fangroups.core.passcode.internal;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.GroupState;
import io.fangroups.core.internal.StoreAccess.Append;
import io.fangroups.core.internal.StoreAccess;
import io.fangroups.core.internal.Transition.Changes;
import io.fangroups.core.internal.format.StoreRecord.PasscodeAdded;
import io.fangroups.core.internal.format.StoreRecord.PasscodeIssued;
import io.fangroups.core.internal.format.StoreRecord.PasscodeRevoked;
import io.fangroups.core.internal.format.StoreRecord.PasscodeUsed;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.UniqueKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Passcode records in the store: each code is a stream {@code passcode/<id>} (issued, used, revoked)
 * found by its digest key; a group's codes are listed by its {@code PasscodeCreated} events, a
 * family's by {@code PasscodeAdded} in the family's stream. Issuing, a use and a revocation are
 * appended together with the group's changes where there are any, so "use + seat" is one step.
 */
public final class PasscodeRecords {
  /** One passcode record: its fold, the stream position it is at, and its digest and target. */
  public static final class PasscodeSlot {
    public final PasscodeId id;
    public final ReentrantLock lock = new ReentrantLock();
    /** Null until loaded. Written under lock. */
    public volatile PasscodeInfo info;
    private long lastSequence;

    public PasscodeSlot(PasscodeId id) {
      this.id = id;
    }

    public String stream() {
      return PasscodeRecords.stream(id);
    }

    /** The record and the stream position it reflects, read together. */
    public record Position(PasscodeInfo info, long sequence) {}

    public Position position() {
      lock.lock();
      try {
        return new Position(info, lastSequence);
      } finally {
        lock.unlock();
      }
    }

    private void apply(StoreRecord event) {
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


  private final StoreAccess access;
  private final ConcurrentMap<PasscodeId, PasscodeSlot> passcodes;
  private final ConcurrentMap<String, PasscodeId> passcodeDigests;
  /** Held only while a passcode command runs, so weakly: an unused target's lock goes away. */
  private final ConcurrentMap<String, ReentrantLock> passcodeTargets =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakValues().<String, ReentrantLock>build().asMap();

  public PasscodeRecords(StoreAccess access) {
    this.access = access;
    this.passcodes = access.cache(StoreAccess.CACHED_GROUPS);
    this.passcodeDigests = access.cache(StoreAccess.CACHED_KEYS);
  }

  /** Runs {@code body} holding this process's lock on one passcode target, so a reset's two steps are not split here. */
  public <R> R withPasscodeTarget(String target, Supplier<R> body) {
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
  public void issueWith(Changes out, PasscodeInfo info, String digest, String target) {
    out.also(new Append(stream(info.id()), 0, List.of(new PasscodeIssued(info, digest, target))),
        () -> cacheIssued(info, digest));
    out.claim(new UniqueKey(digestKey(digest), info.id().value()));
  }

  /** Issues a family's passcode: the family's stream lists it, in one append with the code's own stream. */
  public void issueForFamily(FamilyId family, int limit, Instant now, PasscodeInfo info, String digest, String target) {
    for (int conflicts = 0; ; conflicts = StoreAccess.giveUpAfter(conflicts, family)) {
      FamilyCodes listed = familyPasscodes(family);
      requireBelowLimit(listed.codes(), limit, now, target);
      AppendResult result = access.append(List.of(
          new Append(stream(family), listed.position(), List.of(new PasscodeAdded(info.id()))),
          new Append(stream(info.id()), 0, List.of(new PasscodeIssued(info, digest, target)))),
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

  public static void requireBelowLimit(List<PasscodeInfo> codes, int limit, Instant now, String target) {
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

  /** A family's passcodes, caught up, and the family stream's position they were listed at. */
  public record FamilyCodes(List<PasscodeInfo> codes, long position) {}

  public FamilyCodes familyPasscodes(FamilyId family) {
    List<PasscodeInfo> codes = new ArrayList<>();
    long position = access.readRecords(stream(family), 0, record -> {
      if (record instanceof PasscodeAdded added) {
        passcode(added.passcode()).ifPresent(p -> codes.add(p.info));
      }
    });
    return new FamilyCodes(codes, position);
  }

  /** The group's passcodes, caught up. */
  public List<PasscodeInfo> groupPasscodes(GroupState state) {
    return state.passcodes.stream().map(this::passcode).flatMap(Optional::stream).map(p -> p.info).toList();
  }

  /** The passcode, caught up with its stream. */
  public Optional<PasscodeSlot> passcode(PasscodeId id) {
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
    access.readRecords(slot.stream(), slot.lastSequence, slot::apply);
  }

  public Optional<PasscodeSlot> passcodeByDigest(String digest) {
    PasscodeId id = passcodeDigests.get(digest);
    if (id == null) {
      Optional<String> found = access.exclusive ? Optional.empty() : access.find(digestKey(digest));
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
  public void passcodeEventWith(Changes out, PasscodeSlot slot, long checkedAt, StoreRecord event) {
    out.also(eventAt(slot, checkedAt, event), () -> applyAt(slot, checkedAt, event));
  }

  /** Appends {@code event} to the code's stream alone (a family code's revocation); false on a conflict. */
  public boolean appendPasscodeEvent(PasscodeSlot slot, long checkedAt, StoreRecord event) {
    if (!access.append(List.of(eventAt(slot, checkedAt, event)), List.of()).isAppended()) {
      return false;
    }
    applyAt(slot, checkedAt, event);
    return true;
  }

  private Append eventAt(PasscodeSlot slot, long checkedAt, StoreRecord event) {
    return new Append(slot.stream(), checkedAt, List.of(event));
  }

  /** Applies a written event to the cached record, unless a catch-up already read past it. */
  private static void applyAt(PasscodeSlot slot, long checkedAt, StoreRecord event) {
    slot.lock.lock();
    try {
      if (slot.lastSequence == checkedAt) {
        slot.apply(event);
      }
    } finally {
      slot.lock.unlock();
    }
  }

  private static String digestKey(String digest) {
    return "passcode-digest/" + digest;
  }

  private static String stream(FamilyId id) {
    return GroupRepository.stream(id);
  }

  public static String stream(PasscodeId id) {
    return "passcode/" + id.value();
  }
}
