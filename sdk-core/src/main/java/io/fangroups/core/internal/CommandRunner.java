package io.fangroups.core.internal;

import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.FanGroupsObserver;
import io.fangroups.core.GroupId;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every command runs: once per idempotency key (in this process, and across processes on a
 * shared store), as one command scope whose events listeners hear after it returns, with its
 * transitions applied to one group at a time under that group's lock at the SDK clock's now.
 */
public final class CommandRunner {
  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private final GroupRepository store;
  /** Idempotency records in the store, when other processes share it; null for an in-memory store. */
  private final @Nullable StoreIdempotency acrossProcesses;
  private final Clock clock;
  /** The host's observer; null when none was set, so a command then pays nothing for it. */
  private final @Nullable FanGroupsObserver observer;
  private final AtomicBoolean observerFailureLogged = new AtomicBoolean();

  public CommandRunner(GroupRepository store, @Nullable StoreIdempotency acrossProcesses, Clock clock,
      @Nullable FanGroupsObserver observer) {
    this.store = store;
    this.acrossProcesses = acrossProcesses;
    this.clock = clock;
    this.observer = observer;
  }

  public Instant now() {
    return clock.instant();
  }

  /**
   * Runs a command once per idempotency key, as one command scope: listeners hear of its events
   * after it returns and every lock is released. {@code args} with the command's name make the
   * fingerprint a retry must match.
   */
  public <R> R idempotent(CommandContext ctx, String command, Supplier<R> body, Object... args) {
    if (observer == null) {
      return runOnce(ctx, command, body, args);
    }
    long start = System.nanoTime();
    String outcome = FanGroupsObserver.FAILED;
    try {
      R result = runOnce(ctx, command, body, args);
      outcome = FanGroupsObserver.OK;
      return result;
    } catch (FanGroupsException e) {
      outcome = e.code().name();
      throw e;
    } finally {
      String finalOutcome = outcome;
      long nanos = System.nanoTime() - start;
      observe(o -> o.commandCompleted(command, finalOutcome, nanos));
    }
  }

  /**
   * Tells the observer, if any; its failure is logged (once) and never reaches the command.
   */
  public void observe(Consumer<FanGroupsObserver> call) {
    if (observer == null) {
      return;
    }
    try {
      call.accept(observer);
    } catch (RuntimeException e) {
      if (observerFailureLogged.compareAndSet(false, true)) {
        log.warn("fangroups: the observer {} threw; ignored (logged once)", observer.getClass().getName(), e);
      }
    }
  }

  private <R> R runOnce(CommandContext ctx, String command, Supplier<R> body, Object... args) {
    if (ctx.idempotencyKey().isEmpty()) {
      return store.inCommand(body); // no key, no record: the fingerprint (a SHA-256) is not needed
    }
    String fingerprint = Idempotency.fingerprint(command, ctx.reason().orElse(null), args);
    // This process's record first (a concurrent retry here waits for the first attempt), then the store's.
    Supplier<R> once = acrossProcesses == null ? body : () -> acrossProcesses.run(ctx, fingerprint, body);
    return store.inCommand(() -> store.idempotency.run(ctx, fingerprint, once));
  }

  /** Runs the transition on the group now. */
  public <R> R write(GroupId group, Transition<R> transition) {
    return store.write(group, now(), transition);
  }

  /** Runs the transition with the instant its caller already read, so checks and expiry agree. */
  public <R> R write(GroupId group, Instant now, Transition<R> transition) {
    return store.write(group, now, transition);
  }
}
