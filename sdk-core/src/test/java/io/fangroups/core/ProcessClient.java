package io.fangroups.core;

import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.spi.GroupStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * One "process's" client of a shared in-memory store: a store that is not the
 * {@link InMemoryGroupStore} itself, so each {@link FanGroups} built on one gets its own repository
 * and caches and must catch up and resolve conflicts through the SPI, as separate processes on a
 * database do. It can also be told to fail.
 */
class ProcessClient implements GroupStore {
  static final PasscodeKeys KEYS = PasscodeKeys.of(
      java.util.Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), "k1");
  /**
   * The opt-out every simulated process states: each keeps its own in-memory attempt limiter, as
   * separate processes without a shared limiter would; these tests do not count passcode attempts
   * across processes (the PostgreSQL example's cluster test does, with a shared limiter).
   */
  static final String LOCAL_LIMITS = "simulated processes in one JVM, each with its own in-memory limiter;"
      + " passcode attempt limits across processes are not under test here";

  private final GroupStore shared;
  /** Appends to refuse with an exception before they reach the store. */
  final AtomicInteger failNextAppends = new AtomicInteger();
  /** When set, the next append reaches the store and then reports a failure (the outcome-unknown case). */
  final AtomicBoolean landThenFail = new AtomicBoolean();
  /** When set, every call fails, as if the database were down. */
  final AtomicBoolean down = new AtomicBoolean();
  /** One-shot: {@link #before} runs when an append matching this reaches the client (another process's move). */
  final AtomicReference<Predicate<List<StreamAppend>>> beforeWhen = new AtomicReference<>();
  volatile Runnable before = () -> { };
  /** One-shot: an append matching this lands, then the call fails (outcome unknown). */
  final AtomicReference<Predicate<List<StreamAppend>>> landThenFailWhen = new AtomicReference<>();
  /** Cursor updates to fail. */
  final AtomicInteger failAdvanceCursor = new AtomicInteger();
  /** One-shot: runs after {@code changed} read the store and before it returns (another process moves meanwhile). */
  final AtomicReference<Runnable> afterChanged = new AtomicReference<>();
  /** Calls made through this client, by method name. */
  final java.util.Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();

  ProcessClient(GroupStore shared) {
    this.shared = shared;
  }

  /** Appends that touch a stream whose name starts with {@code prefix}. */
  static Predicate<List<StreamAppend>> touches(String prefix) {
    return appends -> appends.stream().anyMatch(a -> a.stream().startsWith(prefix));
  }

  /** A builder for one process on {@code shared}, with the passcode keys every process shares and local attempt limits. */
  static FanGroups.Builder process(InMemoryGroupStore shared) {
    return FanGroups.builder().store(new ProcessClient(shared)).passcodeKeys(KEYS).allowLocalAttemptLimits(LOCAL_LIMITS);
  }

  private void check() {
    calls.computeIfAbsent(StackWalker.getInstance().walk(f -> f.skip(1).findFirst().orElseThrow().getMethodName()),
        m -> new AtomicInteger()).incrementAndGet();
    if (down.get()) {
      throw new IllegalStateException("connection refused (test)");
    }
  }

  @Override
  public AppendResult append(List<StreamAppend> appends, List<UniqueKey> keys) {
    check();
    if (failNextAppends.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("append failed (test)");
    }
    Predicate<List<StreamAppend>> b = beforeWhen.get();
    if (b != null && b.test(appends) && beforeWhen.compareAndSet(b, null)) {
      before.run();
    }
    AppendResult result = shared.append(appends, keys);
    Predicate<List<StreamAppend>> f = landThenFailWhen.get();
    boolean matched = f != null && f.test(appends) && landThenFailWhen.compareAndSet(f, null);
    if (landThenFail.getAndSet(false) || matched) {
      throw new IllegalStateException("connection lost after commit (test)");
    }
    return result;
  }

  @Override
  public List<StoredEvent> read(String stream, long afterSequence, int limit) {
    check();
    return shared.read(stream, afterSequence, limit);
  }

  @Override
  public long lastSequence(String stream) {
    check();
    return shared.lastSequence(stream);
  }

  @Override
  public Optional<String> find(String key) {
    check();
    return shared.find(key);
  }

  @Override
  public List<String> streams(String prefix, String after, int limit) {
    check();
    return shared.streams(prefix, after, limit);
  }

  @Override
  public List<StreamHead> heads(String prefix, String after, int limit) {
    check();
    return shared.heads(prefix, after, limit);
  }

  @Override
  public long cursor(String name) {
    check();
    return shared.cursor(name);
  }

  @Override
  public void advanceCursor(String name, long position) {
    check();
    if (failAdvanceCursor.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("cursor update failed (test)");
    }
    shared.advanceCursor(name, position);
  }

  @Override
  public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
    check();
    return shared.tryLease(name, holder, now, ttl);
  }

  @Override
  public void releaseLease(String name, String holder) {
    check();
    shared.releaseLease(name, holder);
  }

  @Override
  public void saveSnapshot(String stream, long sequence, String payload) {
    check();
    shared.saveSnapshot(stream, sequence, payload);
  }

  @Override
  public Optional<Snapshot> snapshot(String stream) {
    check();
    return shared.snapshot(stream);
  }

  @Override
  public int deleteEvents(String stream, long throughSequence, java.util.Set<String> types) {
    check();
    return shared.deleteEvents(stream, throughSequence, types);
  }

  @Override
  public boolean deleteStream(String stream, long expectedLastSequence) {
    check();
    return shared.deleteStream(stream, expectedLastSequence);
  }

  @Override
  public int deleteExpired(Instant now, int limit) {
    check();
    return shared.deleteExpired(now, limit);
  }

  @Override
  public List<StreamHead> changed(String after, int limit) {
    check();
    List<StreamHead> changed = shared.changed(after, limit);
    Runnable meanwhile = afterChanged.getAndSet(null);
    if (meanwhile != null) {
      meanwhile.run();
    }
    return changed;
  }

  @Override
  public void clearChanged(String stream, long throughSequence) {
    check();
    shared.clearChanged(stream, throughSequence);
  }

  @Override
  public boolean sharedAcrossProcesses() {
    return true;
  }
}
