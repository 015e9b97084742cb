package io.fangroups.core;

import io.fangroups.core.StoreRecords.CommandFailed;
import io.fangroups.core.StoreRecords.CommandFinished;
import io.fangroups.core.StoreRecords.CommandStarted;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Idempotency keys across processes on a shared store: a keyed command's record is a stream of its
 * own, {@code idem/<hash of actor and key>}. The first attempt appends {@link CommandStarted}
 * expecting an empty stream, so of two processes running one key at once only one runs it; it then
 * appends {@link CommandFinished} with the result (a clear passcode sealed with the passcode keys)
 * or {@link CommandFailed}. A retry anywhere returns the stored result, runs the command again after
 * a failure, and waits for an attempt still running. An attempt that started more than
 * {@link #ABANDONED_AFTER} ago and never finished (its process died) is taken over.
 */
final class StoreIdempotency {
  static final Duration ABANDONED_AFTER = Duration.ofSeconds(60);
  private static final Duration WAIT_FOR_RUNNING = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 20;

  private final GroupRepository store;
  private final PasscodeHasher seals;
  /** The wall clock: whether an attempt was abandoned is about real processes, not the SDK's clock. */
  private final Clock wallClock = Clock.systemUTC();

  StoreIdempotency(GroupRepository store, PasscodeHasher seals) {
    this.store = store;
    this.seals = seals;
  }

  @SuppressWarnings("unchecked")
  <R> R run(CommandContext ctx, String fingerprint, Supplier<R> command) {
    if (ctx.idempotencyKey().isEmpty()) {
      return command.get();
    }
    String stream = stream(ctx.actor(), ctx.idempotencyKey().get());
    Instant giveUpWaiting = wallClock.instant().plus(WAIT_FOR_RUNNING);
    while (true) {
      List<Record> records = store.records(stream);
      Record last = records.isEmpty() ? null : records.get(records.size() - 1);
      if (last != null && !fingerprint.equals(fingerprintOf(last))) {
        throw new FanGroupsException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key '" + ctx.idempotencyKey().get()
            + "' was already used by " + ctx.actor() + " for a different command; use a new key per command");
      }
      if (last instanceof CommandFinished finished) {
        return (R) store.codec().decodeResult(finished.result(), seals::open);
      }
      Instant now = wallClock.instant();
      if (last instanceof CommandStarted started && now.isBefore(started.at().plus(ABANDONED_AFTER))) {
        if (now.isAfter(giveUpWaiting)) {
          throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "the first attempt with idempotency key '"
              + ctx.idempotencyKey().get() + "' is still running in another process; retry later with the same key");
        }
        sleep();
        continue;
      }
      long position = records.size();
      if (!store.appendRecord(stream, position, new CommandStarted(fingerprint, now))) {
        continue; // another process started it first: look again
      }
      R result;
      try {
        result = command.get();
      } catch (RuntimeException | Error e) {
        store.appendRecord(stream, position + 1, new CommandFailed(fingerprint));
        throw e;
      }
      store.appendRecord(stream, position + 1,
          new CommandFinished(fingerprint, store.codec().encodeResult(result, seals::seal)));
      return result;
    }
  }

  private static String fingerprintOf(Record record) {
    if (record instanceof CommandStarted r) {
      return r.fingerprint();
    } else if (record instanceof CommandFinished r) {
      return r.fingerprint();
    } else if (record instanceof CommandFailed r) {
      return r.fingerprint();
    }
    throw new IllegalStateException("unexpected record in an idempotency stream: " + record);
  }

  /** The stream of one actor's key; hashed, so any key fits the store's name length. */
  static String stream(UserId actor, String key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(actor.value().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(key.getBytes(StandardCharsets.UTF_8));
      return "idem/" + HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "interrupted while waiting for the first attempt");
    }
  }
}
