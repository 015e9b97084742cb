package io.fangroups.core;

import io.fangroups.core.event.OutboxRelay;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pruning passes one after another on a thread of their own while a test's commands and deliveries
 * run, so that the fault tests also hold while pruning deletes what is published and snapshotted
 * and the relay still has deliveries pending. A pass that fails fails the test at {@link #close()}.
 */
final class PruningLoop implements AutoCloseable {
  /**
   * A store that keeps little: messages for an hour, other events only until a snapshot covers them
   * (and every relay destination delivered them), a snapshot every 10 events.
   */
  static final RetentionPolicy KEEP_LITTLE = RetentionPolicy.DEFAULT.withMessages(Duration.ofHours(1))
      .withHistory(RetentionPolicy.History.DELETE_BEFORE_SNAPSHOT).withSnapshotEvery(10);

  /** How much the store keeps while a fault test runs. */
  enum Kept {
    /** Everything: the default policy (history kept, a snapshot every 500 events). */
    EVERYTHING(RetentionPolicy.DEFAULT),
    /** Little ({@link #KEEP_LITTLE}), pruned again and again while the test's commands and deliveries run. */
    LITTLE(KEEP_LITTLE);

    final RetentionPolicy policy;

    Kept(RetentionPolicy policy) {
      this.policy = policy;
    }
  }

  private final FanGroups fanGroups;
  private final Runnable betweenPasses;
  private final Thread thread;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicInteger deletedWhilePending = new AtomicInteger();
  private volatile boolean stopping;

  private PruningLoop(FanGroups fanGroups, Runnable betweenPasses) {
    this.fanGroups = fanGroups;
    this.betweenPasses = betweenPasses;
    this.thread = new Thread(this::loop, "test-pruning-loop");
    thread.setDaemon(true);
  }

  /** Starts passes of {@code fanGroups.retention()}, running {@code betweenPasses} (say, moving a clock) after each. */
  static PruningLoop start(FanGroups fanGroups, Runnable betweenPasses) {
    PruningLoop loop = new PruningLoop(fanGroups, betweenPasses);
    loop.thread.start();
    return loop;
  }

  private void loop() {
    try {
      while (!stopping) {
        Retention.PruneReport report = fanGroups.retention().pruneOnce();
        if (report.historyEventsDeleted() + report.messagesDeleted() > 0) {
          OutboxRelay.Status relay = fanGroups.relay().status();
          if (relay.eventsBehind() + relay.messagesBehind() > 0) {
            deletedWhilePending.incrementAndGet();
          }
        }
        betweenPasses.run();
        Thread.sleep(2);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  /** Passes that deleted events while the relay still had deliveries pending (as its status said right after). */
  int passesThatDeletedWhileDeliveriesWerePending() {
    return deletedWhilePending.get();
  }

  /** Stops after the pass under way; throws what a pass threw, if one did. */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("a pruning pass failed: " + failure.get(), failure.get());
    }
  }
}
