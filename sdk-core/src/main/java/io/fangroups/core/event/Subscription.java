package io.fangroups.core.event;

/** A listener registration; closing it stops delivery. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
