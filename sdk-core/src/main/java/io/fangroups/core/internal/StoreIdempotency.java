package io.fangroups.core.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.UserId;
import io.fangroups.core.internal.format.StoreRecord.CommandFailed;
import io.fangroups.core.internal.format.StoreRecord.CommandFinished;
import io.fangroups.core.internal.format.StoreRecord.CommandStarted;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.passcode.internal.PasscodeHasher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Idempotency keys across processes on a shared store: a keyed command's record is a stream of its
 * own, {@code idem/<hash of actor and key>}. An attempt appends {@link CommandStarted} (with a
 * random token) expecting the stream where it read it, so of two processes running one key at once
 * only one runs it; every change the command writes marks the record {@link CommandLanded} in the
 * same append; at the end it appends {@link CommandFinished} with the result (a clear passcode
 * sealed with the passcode keys), or {@link CommandFailed} when it was refused.
 *
 * <p>A retry anywhere returns the stored result, runs the command again after a refusal or when the
 * attempt ended without a change landing, and waits for an attempt still running. An attempt is over
 * when this process saw it end, or when it started more than the keyed attempt timeout ago (its
 * process died; {@code FanGroups.Builder.keyedAttemptTimeout}, default 60 s). Every append to a
 * record sets its retention, so the store deletes a key's record that long after its last use. If an attempt that is over had a change land but no result recorded (the store
 * failed between the two), the retry is refused with {@code STORE_UNAVAILABLE}: running it again
 * could apply it twice, so the caller reads the state instead.
 */
public final class StoreIdempotency {
  private static final Duration WAIT_FOR_RUNNING = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 20;

  private final StoreAccess store;
  private final PasscodeHasher seals;
  /** The wall clock: whether an attempt was abandoned is about real processes, not the SDK's clock. */
  private final Clock wallClock = Clock.systemUTC();
  /** Tokens of attempts this process saw end without a record saying so (the store failed). */
  private final Set<String> ended;
  /** An attempt started longer ago than this is over: its process died (or stalled past any command's length). */
  private final Duration abandonedAfter;
  /** The SDK's clock, and how long after its last append a key's record may be deleted. */
  private final Clock clock;
  private final Duration retention;

  public StoreIdempotency(StoreAccess store, PasscodeHasher seals, Clock clock, Duration retention, Duration abandonedAfter) {
    this.store = store;
    this.seals = seals;
    this.clock = clock;
    this.retention = retention;
    this.abandonedAfter = abandonedAfter;
    this.ended = Collections.newSetFromMap(Caffeine.newBuilder()
        .expireAfterWrite(abandonedAfter.multipliedBy(2)).<String, Boolean>build().asMap()); // then the age rule decides
  }

  /** When a record appended now may be deleted. */
  private Instant retainUntil() {
    return clock.instant().plus(retention);
  }

  @SuppressWarnings("unchecked")
  public <R> R run(CommandContext ctx, String fingerprint, Supplier<R> command) {
    if (ctx.idempotencyKey().isEmpty()) {
      return command.get();
    }
    String key = ctx.idempotencyKey().get();
    String stream = stream(ctx.actor(), key);
    Instant giveUpWaiting = wallClock.instant().plus(WAIT_FOR_RUNNING);
    while (true) {
      List<StoreRecord> records = store.records(stream);
      Attempt last = Attempt.of(records);
      if (last.holder() != null && !fingerprint.equals(last.holder())) {
        throw new FanGroupsException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key '" + key + "' was already used by "
            + ctx.actor() + " for a different command; use a new key per command");
      }
      if (last.record instanceof CommandFinished finished) {
        return (R) store.codec.decodeResult(finished.result(), seals::open);
      }
      if (last.record instanceof StoreRecord.CommandUnknown) {
        throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "the first attempt with idempotency key '" + key
            + "' was applied but the store failed before its result was recorded; read the state instead of retrying");
      }
      Instant now = wallClock.instant();
      if (last.started != null && !(last.record instanceof CommandFailed)) {
        boolean over = ended.contains(last.started.token()) || !now.isBefore(last.started.at().plus(abandonedAfter));
        if (over && last.landed) {
          throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "the first attempt with idempotency key '" + key
              + "' was applied but the store failed before its result was recorded; read the state instead of retrying");
        }
        if (!over) {
          if (now.isAfter(giveUpWaiting)) {
            throw new FanGroupsException(ErrorCode.STORE_UNAVAILABLE, "the first attempt with idempotency key '" + key
                + "' is still running in another process; retry later with the same key");
          }
          sleep();
          continue;
        }
      }
      StoreAccess.KeyedAttempt attempt = new StoreAccess.KeyedAttempt(stream,
          java.util.UUID.randomUUID().toString(), records.size() + 1L, retainUntil());
      if (!start(stream, records.size(), new CommandStarted(fingerprint, attempt.token, now))) {
        continue; // another process started it first: look again
      }
      return runAttempt(attempt, fingerprint, command);
    }
  }

  /** Appends the start record; if the store fails, the attempt is over (whether or not it landed). */
  private boolean start(String stream, long position, CommandStarted started) {
    try {
      return store.appendRecord(stream, position, started, retainUntil());
    } catch (RuntimeException e) {
      ended.add(started.token());
      throw e;
    }
  }

  private <R> R runAttempt(StoreAccess.KeyedAttempt attempt, String fingerprint, Supplier<R> command) {
    R result;
    try {
      result = store.asKeyedAttempt(attempt, command);
    } catch (FanGroupsException e) {
      if (e.code() == ErrorCode.STORE_UNAVAILABLE) {
        settleUnknown(attempt, fingerprint);
      } else {
        recordQuietly(attempt, new CommandFailed(fingerprint));
      }
      throw e;
    } catch (RuntimeException e) {
      settleUnknown(attempt, fingerprint); // not a refusal: whether it changed anything is in the record
      throw e;
    } catch (Error e) {
      ended.add(attempt.token);
      throw e;
    }
    try {
      if (attempt.uncertain) {
        store.resync(attempt);
      }
      if (!store.appendRecord(attempt.stream, attempt.next,
          new CommandFinished(fingerprint, store.codec.encodeResult(result, seals::seal)), retainUntil())) {
        ended.add(attempt.token);
      }
    } catch (RuntimeException e) {
      // The command is done; only its record is missing. A retry is told to read the state.
      ended.add(attempt.token);
    }
    return result;
  }

  /**
   * After a store failure: if the store answers again, the record shows whether a change of this
   * attempt landed; it is closed as failed (a retry runs again) or unknown (a retry reads the state).
   */
  private void settleUnknown(StoreAccess.KeyedAttempt attempt, String fingerprint) {
    ended.add(attempt.token);
    try {
      List<StoreRecord> records = store.records(attempt.stream);
      Attempt now = Attempt.of(records);
      if (now.started != null && now.started.token().equals(attempt.token) && !(now.record instanceof CommandFailed) && !(now.record instanceof StoreRecord.CommandUnknown)) {
        store.appendRecord(attempt.stream, records.size(),
            now.landed ? new StoreRecord.CommandUnknown(fingerprint) : new CommandFailed(fingerprint), retainUntil());
      }
    } catch (RuntimeException stillDown) {
      // Others wait for the attempt until it counts as abandoned; this process already knows it ended.
    }
  }

  private void recordQuietly(StoreAccess.KeyedAttempt attempt, StoreRecord record) {
    try {
      if (attempt.uncertain) {
        store.resync(attempt);
      }
      if (!store.appendRecord(attempt.stream, attempt.next, record, retainUntil())) {
        ended.add(attempt.token);
      }
    } catch (RuntimeException e) {
      ended.add(attempt.token);
    }
  }

  /** The last record of a key's stream, and the latest attempt's start and whether a change of it landed. */
  public record Attempt(StoreRecord record, CommandStarted started, boolean landed) {
    /** The fingerprint of the command that holds the key; null when it is free (never used, or refused last). */
    public String holder() {
      if (record == null || record instanceof CommandFailed) {
        return null;
      }
      if (record instanceof CommandFinished f) {
        return f.fingerprint();
      }
      return record instanceof StoreRecord.CommandUnknown u ? u.fingerprint() : started.fingerprint();
    }

    public static Attempt of(List<StoreRecord> records) {
      CommandStarted started = null;
      boolean landed = false;
      for (StoreRecord r : records) {
        if (r instanceof CommandStarted s) {
          started = s;
          landed = false;
        } else if (r instanceof StoreRecord.CommandLanded l && started != null && l.token().equals(started.token())) {
          landed = true;
        }
      }
      return new Attempt(records.isEmpty() ? null : records.get(records.size() - 1), started, landed);
    }
  }

  /** The stream of one actor's key; hashed, so any key fits the store's name length. */
  public static String stream(UserId actor, String key) {
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
