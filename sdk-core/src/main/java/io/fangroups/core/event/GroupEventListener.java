package io.fangroups.core.event;

/**
 * Receives committed events. Per group, events arrive once each, in sequence order, never two at a
 * time for one group, on whichever thread is draining the group once the command that committed
 * them has returned (so no SDK lock is held and the listener may call back into the SDK). Anything
 * thrown here is logged and does not stop delivery; the listener must not block for long.
 */
@FunctionalInterface
public interface GroupEventListener {
  /** Called once per committed event, in sequence order per group. */
  void onEvent(GroupEvent event);
}
