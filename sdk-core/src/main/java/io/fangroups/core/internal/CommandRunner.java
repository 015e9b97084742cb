package io.fangroups.core.internal;

import io.fangroups.core.CommandContext;
import io.fangroups.core.GroupId;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How every command runs: once per idempotency key (in this process, and across processes on a
 * shared store), as one command scope whose events listeners hear after it returns, with its
 * transitions applied to one group at a time under that group's lock at the SDK clock's now.
 */
public final class CommandRunner {
  private final GroupRepository store;
  /** Idempotency records in the store, when other processes share it; null for an in-memory store. */
  private final @Nullable StoreIdempotency acrossProcesses;
  private final Clock clock;

  public CommandRunner(GroupRepository store, @Nullable StoreIdempotency acrossProcesses, Clock clock) {
    this.store = store;
    this.acrossProcesses = acrossProcesses;
    this.clock = clock;
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
