package io.fangroups.core.internal;

import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.Retention;
import io.fangroups.core.RetentionPolicy;
import io.fangroups.core.event.internal.RelayDestinations;
import io.fangroups.spi.GroupStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pruning job ({@link Retention}). Per pass: keyed commands' records past their retention go
 * (the store deletes them by the retention their appends set); overdue requests are expired from
 * the due-request index; then each group with events past its prune cursor is visited once:
 * messages older than the retention are deleted through the last one that every registered relay
 * destination delivered and a snapshot covers (a snapshot is written first when needed, so the tail
 * after a snapshot is always whole), and, when the policy says so, other events a snapshot covers.
 * The prune cursor ({@code prune/<group>}) remembers how far a group was examined, so a pass
 * reads each event about once over its lifetime.
 *
 * <p>A group's last event is never deleted. A process whose cached state of the group is behind
 * catches up by reading the events after its position; with the last event still there, that read
 * always returns one, and a gap before it tells the process that events it has not folded were
 * deleted (it then moves to the snapshot that covers them). Were every event after its position
 * gone, it could not tell, would keep deciding on the stale state and conflict on every append.
 */
public final class Pruner implements Retention {
  private static final Logger log = LoggerFactory.getLogger(Pruner.class);
  private static final String MESSAGE = "MessagePosted";
  private static final int BATCH = StoreAccess.READ_BATCH;

  private final GroupRepository repository;
  private final GroupStore store;
  private final RetentionPolicy policy;
  private final Clock clock;
  /** Every group change type except a post: what history deletion removes. */
  private final Set<String> historyTypes;
  /** This instance's relay destinations: kept for even before its relay registered them in the store. */
  private final Set<String> localDestinations;
  private ScheduledExecutorService scheduler;
  private long passes;
  private PruneReport total = PruneReport.NONE;
  private Optional<Instant> lastPassAt = Optional.empty();
  private Optional<String> lastFailure = Optional.empty();

  public Pruner(GroupRepository repository, RetentionPolicy policy, Clock clock, Set<String> localDestinations) {
    this.localDestinations = Set.copyOf(localDestinations);
    this.repository = repository;
    this.store = repository.access().store;
    this.policy = policy;
    this.clock = clock;
    Set<String> types = new HashSet<>(repository.access().codec.typeNames());
    types.remove(MESSAGE);
    this.historyTypes = Set.copyOf(types);
  }

  @Override
  public synchronized PruneReport pruneOnce() {
    try {
      PruneReport report = pass(clock.instant());
      passes++;
      total = total.plus(report);
      lastPassAt = Optional.of(clock.instant());
      lastFailure = Optional.empty();
      return report;
    } catch (RuntimeException e) {
      lastFailure = Optional.of(String.valueOf(e.getMessage()));
      throw e;
    }
  }

  private PruneReport pass(Instant now) {
    long keyed = 0;
    for (int deleted = BATCH; deleted == BATCH; ) {
      deleted = StoreAccess.call(() -> store.deleteExpired(now, BATCH));
      keyed += deleted;
    }
    long expired = repository.expireDue(now);
    Set<String> destinations = registeredDestinations();
    long[] counts = new long[4]; // messages, history, snapshots, awaiting delivery
    repository.forEachGroupHead(head -> prune(head, now, destinations, counts));
    return new PruneReport(keyed, counts[0], counts[1], expired, counts[2], counts[3]);
  }

  private Set<String> registeredDestinations() {
    Set<String> registered = new HashSet<>(StoreAccess.call(() -> RelayDestinations.registered(store)));
    registered.addAll(localDestinations);
    return registered;
  }

  private void prune(GroupRepository.GroupHead head, Instant now, Set<String> destinations, long[] counts) {
    GroupId group = head.group();
    String cursor = "prune/" + group.value();
    long examined = StoreAccess.call(() -> store.cursor(cursor));
    long deletable = head.lastSequence() - 1; // all but the last event: see the class comment
    if (examined >= deletable) {
      return;
    }
    long delivered = head.lastSequence();
    for (String d : destinations) {
      delivered = Math.min(delivered, StoreAccess.call(() -> store.cursor(RelayDestinations.cursorName(d, group))));
    }
    long snapshotAt = repository.snapshotSequence(group);
    long through = examined;
    if (policy.messageRetention().isPresent()) {
      Instant cutoff = now.minus(policy.messageRetention().get());
      Scan scan = scan(group, examined, delivered, cutoff);
      counts[3] += scan.awaiting;
      through = scan.through;
      if (through > snapshotAt && (snapshotAt = snapshotNow(group, counts)) < 0) {
        return;
      }
      long messagesThrough = Math.min(Math.min(through, snapshotAt), deletable);
      counts[0] += StoreAccess.call(() -> store.deleteEvents(head.stream(), messagesThrough, Set.of(MESSAGE)));
      through = messagesThrough;
    }
    if (policy.history() == RetentionPolicy.History.DELETE_BEFORE_SNAPSHOT) {
      // The in-memory store snapshots only when pruning needs one (see GroupRepository.snapshotIfDue).
      if (repository.access().exclusive && Math.min(delivered, deletable) > snapshotAt
          && (snapshotAt = snapshotNow(group, counts)) < 0) {
        return;
      }
      long historyThrough = Math.min(Math.min(snapshotAt, delivered), deletable);
      counts[1] += StoreAccess.call(() -> store.deleteEvents(head.stream(), historyThrough, historyTypes));
      through = policy.messageRetention().isPresent() ? through : historyThrough;
    }
    long position = through;
    StoreAccess.run(() -> store.advanceCursor(cursor, position));
  }

  /** Snapshots the group now and counts it; -1 when the group went away meanwhile. */
  private long snapshotNow(GroupId group, long[] counts) {
    try {
      long at = repository.snapshot(group);
      counts[2]++;
      return at;
    } catch (FanGroupsException e) {
      return -1;
    }
  }

  /** How far messages may go: up to the first one younger than the cutoff or not yet delivered. */
  private record Scan(long through, long awaiting) {}

  private Scan scan(GroupId group, long from, long delivered, Instant cutoff) {
    long through = from;
    long awaiting = 0;
    long after = from;
    while (true) {
      List<StoreAccess.EventHead> page = repository.access().heads(group, after, BATCH);
      for (StoreAccess.EventHead e : page) {
        boolean oldMessage = e.type().equals(MESSAGE) && e.occurredAt().isBefore(cutoff);
        if (e.type().equals(MESSAGE) && !oldMessage) {
          return new Scan(through, awaiting);
        }
        if (e.sequence() > delivered) {
          awaiting += oldMessage ? 1 : 0;
        } else {
          through = e.sequence();
        }
      }
      if (page.size() < BATCH) {
        return new Scan(through, awaiting);
      }
      after = page.get(page.size() - 1).sequence();
    }
  }

  @Override
  public long snapshot(GroupId group) {
    return repository.snapshot(group);
  }

  @Override
  public synchronized Status status() {
    return new Status(passes, total, lastPassAt, lastFailure);
  }

  @Override
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fangroups-pruning");
      t.setDaemon(true);
      return t;
    });
    long every = policy.pruneInterval().toMillis();
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        pruneOnce();
      } catch (RuntimeException e) {
        log.warn("fangroups: pruning pass failed; the next pass tries again", e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdown();
      scheduler = null;
    }
  }
}
