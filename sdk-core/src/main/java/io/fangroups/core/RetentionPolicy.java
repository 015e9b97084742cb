package io.fangroups.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long the SDK keeps what it stores, and how often it snapshots a group so loading one never
 * replays its history. Set it with {@link FanGroups.Builder#retention(RetentionPolicy)}; the pruning
 * job ({@link FanGroups#retention()}) applies it. Every instance on one store should use the same policy.
 * Whatever the policy, a group's latest event is kept (an instance whose cached copy of the group is
 * behind finds by it that events it has not read were deleted, and reloads from the snapshot).
 *
 * @param messages how long posted messages stay in the store (empty: for ever, the default). A
 *     message older than this is deleted once every relay destination has delivered it and a
 *     snapshot covers it; {@code FanGroups.events(...)} then no longer returns it.
 * @param keyedResults how long a keyed command's record stays (default 24 hours): a retry with the same
 *     idempotency key within it returns the first result, after it runs as a new command
 * @param history what happens to a group's other events once a snapshot covers them and every
 *     destination has delivered them: {@link History#KEEP} (default) or
 *     {@link History#DELETE_BEFORE_SNAPSHOT} (the publisher's copy is then the archive)
 * @param snapshotEvery a group is snapshotted after this many events since its last snapshot
 *     (default 500, 10 to 100,000), so a load reads one snapshot and at most about this many events
 * @param pruneInterval how often the background pruning job runs (default 1 hour, at least 1 second)
 */
public record RetentionPolicy(@Nullable Duration messages, Duration keyedResults, History history, int snapshotEvery,
    Duration pruneInterval) {

  /** Messages kept for ever, keyed results for 24 hours, history kept, a snapshot every 500 events, hourly pruning. */
  public static final RetentionPolicy DEFAULT =
      new RetentionPolicy(null, Duration.ofHours(24), History.KEEP, 500, Duration.ofHours(1));

  /** Validates the components: {@link IllegalArgumentException} naming a bad value. */
  public RetentionPolicy {
    if (messages != null && (messages.isNegative() || messages.isZero())) {
      throw new IllegalArgumentException("message retention must be positive, got " + messages);
    }
    Objects.requireNonNull(keyedResults, "keyedResults");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(pruneInterval, "pruneInterval");
    if (keyedResults.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("keyed results must be kept at least 1 minute, got " + keyedResults);
    }
    if (snapshotEvery < 10 || snapshotEvery > 100_000) {
      throw new IllegalArgumentException("snapshotEvery must be between 10 and 100000, got " + snapshotEvery);
    }
    if (pruneInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("pruneInterval must be at least 1 second, got " + pruneInterval);
    }
  }

  /** How long messages are kept, if not for ever. */
  public Optional<Duration> messageRetention() {
    return Optional.ofNullable(messages);
  }

  /** This policy with messages kept for {@code retention}. */
  public RetentionPolicy withMessages(Duration retention) {
    return new RetentionPolicy(Objects.requireNonNull(retention, "retention"), keyedResults, history, snapshotEvery,
        pruneInterval);
  }

  /** This policy with keyed commands' records kept for {@code retention}. */
  public RetentionPolicy withKeyedResults(Duration retention) {
    return new RetentionPolicy(messages, retention, history, snapshotEvery, pruneInterval);
  }

  /** This policy with {@code history}. */
  public RetentionPolicy withHistory(History history) {
    return new RetentionPolicy(messages, keyedResults, history, snapshotEvery, pruneInterval);
  }

  /** This policy snapshotting every {@code events} events. */
  public RetentionPolicy withSnapshotEvery(int events) {
    return new RetentionPolicy(messages, keyedResults, history, events, pruneInterval);
  }

  /** This policy pruning every {@code interval}. */
  public RetentionPolicy withPruneInterval(Duration interval) {
    return new RetentionPolicy(messages, keyedResults, history, snapshotEvery, interval);
  }

  /** What happens to a group's events other than messages once a snapshot covers them. */
  public enum History {
    /** Kept for ever: {@code FanGroups.events(...)} replays a group from its creation. */
    KEEP,
    /** Deleted once a snapshot covers them and every relay destination delivered them. */
    DELETE_BEFORE_SNAPSHOT
  }
}
