package io.fangroups.core.event.internal;

import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.GroupEventListener;
import io.fangroups.core.event.Subscription;
import io.fangroups.core.internal.GroupRepository;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers committed events to listeners, per group in sequence order and never two at a time for
 * one group. Whoever commits drains; a thread that finds another draining leaves its events to it,
 * and the drainer looks again after letting go, so no event is stranded.
 */
public final class EventDispatcher {
  private static final Logger log = LoggerFactory.getLogger(EventDispatcher.class);

  private final List<GroupEventListener> listeners = new CopyOnWriteArrayList<>();

  /** Whether anyone listens; events committed while nobody does are not queued for delivery. */
  public boolean hasListeners() {
    return !listeners.isEmpty();
  }

  public Subscription subscribe(GroupEventListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void drain(GroupRepository.Slot slot) {
    if (slot.dispatchLock.isHeldByCurrentThread()) {
      return; // a listener's own command: the loop below delivers its events next, in order
    }
    while (slot.dispatchLock.tryLock()) {
      try {
        List<GroupEvent> batch;
        // Taken before delivery, so a re-entrant command never sees them again.
        while (!(batch = slot.takeUndelivered()).isEmpty()) {
          for (GroupEvent event : batch) {
            deliver(event);
          }
        }
      } finally {
        slot.dispatchLock.unlock();
      }
      if (!slot.hasUndelivered()) {
        return;
      }
    }
  }

  private void deliver(GroupEvent event) {
    for (GroupEventListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) {
        // A host's listener bug (even an AssertionError or a linkage error) never fails a committed command.
        log.warn("fangroups: event listener {} failed on event {}; delivery continues", listener, event.eventId(), e);
      }
    }
  }
}
