package io.fangroups.core;

import java.time.Instant;
import java.util.Optional;

/**
 * The pruning job that keeps the store small: it deletes keyed commands' records past their
 * retention, messages past theirs (once delivered and covered by a snapshot), history before a
 * snapshot when the {@link RetentionPolicy} says so, and records the expiry of overdue join
 * requests. {@link FanGroups.Builder#build()} starts it on a background thread every
 * {@link RetentionPolicy#pruneInterval()} when the store is shared across processes or messages have
 * a retention (unless {@link FanGroups.Builder#startPruning(boolean)} says otherwise); a host with
 * its own scheduler calls {@link #pruneOnce()}. Several instances may prune one store at once:
 * every deletion is conditional, so they only repeat each other's work.
 */
public interface Retention extends AutoCloseable {

  /** One pass over the store on the calling thread; returns what it did. */
  PruneReport pruneOnce();

  /**
   * Snapshots the group now, at its last event, whatever {@link RetentionPolicy#snapshotEvery()}
   * says; returns the sequence the snapshot covers. {@code GROUP_NOT_FOUND} for an unknown group.
   */
  long snapshot(GroupId group);

  /** What this instance's pruning did so far, and what its last pass left pending. */
  Status status();

  /** Starts the background job; starting twice is harmless. */
  void start();

  /** Stops the background job after the pass under way, if any. */
  @Override
  void close();

  /**
   * What one pass did.
   *
   * @param keyedRecordsDeleted keyed commands' records deleted past their retention
   * @param messagesDeleted messages deleted past their retention
   * @param historyEventsDeleted other events deleted before a snapshot
   * @param requestsExpired overdue join requests whose expiry was recorded
   * @param snapshotsWritten snapshots written so that messages past retention could be deleted
   * @param messagesAwaitingDelivery messages past their retention kept because a relay destination
   *     has not delivered them yet (pending: a later pass deletes them)
   */
  record PruneReport(long keyedRecordsDeleted, long messagesDeleted, long historyEventsDeleted, long requestsExpired,
      long snapshotsWritten, long messagesAwaitingDelivery) {
    /** Nothing done. */
    public static final PruneReport NONE = new PruneReport(0, 0, 0, 0, 0, 0);

    /** The sum of two reports; what is pending is the later one's. */
    public PruneReport plus(PruneReport later) {
      return new PruneReport(keyedRecordsDeleted + later.keyedRecordsDeleted, messagesDeleted + later.messagesDeleted,
          historyEventsDeleted + later.historyEventsDeleted, requestsExpired + later.requestsExpired,
          snapshotsWritten + later.snapshotsWritten, later.messagesAwaitingDelivery);
    }
  }

  /**
   * The job's progress in this instance.
   *
   * @param passes passes completed since the instance was built
   * @param total what they did together ({@code messagesAwaitingDelivery}: the last pass's)
   * @param lastPassAt when the last pass ended, if one did
   * @param lastFailure the last pass's failure message, if it failed (the next pass tries again)
   */
  record Status(long passes, PruneReport total, Optional<Instant> lastPassAt, Optional<String> lastFailure) {}
}
