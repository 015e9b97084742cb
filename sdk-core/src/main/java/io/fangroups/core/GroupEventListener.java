package io.fangroups.core;

/**
 * Receives committed events. Per group, events arrive once each, in sequence order, on whichever
 * thread committed them (never two at a time for one group). An exception thrown here is logged and
 * does not stop delivery; the listener must not block for long.
 */
@FunctionalInterface
public interface GroupEventListener {
  /** Called once per committed event, in sequence order per group. */
  void onEvent(GroupEvent event);
}
