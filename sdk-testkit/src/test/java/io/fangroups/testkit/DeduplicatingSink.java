package io.fangroups.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The reference host side of the at-least-once SPIs: an in-memory consumer that deduplicates on
 * the item's id and keeps first arrivals in order. {@code sink::receive} is the reference
 * {@code EventPublisher} or {@code MessageTransport}: it completes the stage once the item is
 * stored, and fails it when the sink is unavailable.
 *
 * @param <T> an event or a message
 */
final class DeduplicatingSink<T> implements FlawedSenders.Host<T> {
  private final Function<T, String> id;
  private final boolean available;
  private final Map<String, T> firstArrivals = new LinkedHashMap<>();

  private DeduplicatingSink(Function<T, String> id, boolean available) {
    this.id = id;
    this.available = available;
  }

  /** A sink that takes everything. */
  static <T> DeduplicatingSink<T> deduplicatingOn(Function<T, String> id) {
    return new DeduplicatingSink<>(id, true);
  }

  /** A sink that is down: every receive fails. */
  static <T> DeduplicatingSink<T> unavailable(Function<T, String> id) {
    return new DeduplicatingSink<>(id, false);
  }

  /** Stores the item unless its id is already stored; the stage completes once it is stored. */
  @Override
  public CompletionStage<Void> receive(T item) {
    if (!available) {
      return CompletableFuture.failedFuture(new IllegalStateException("host unavailable"));
    }
    synchronized (firstArrivals) {
      firstArrivals.putIfAbsent(id.apply(item), item);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** The first copy of every id received, in arrival order. */
  @Override
  public List<T> received() {
    synchronized (firstArrivals) {
      return new ArrayList<>(firstArrivals.values());
    }
  }
}
