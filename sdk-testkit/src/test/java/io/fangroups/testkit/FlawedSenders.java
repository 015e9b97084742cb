package io.fangroups.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Deliberately broken at-least-once senders, shared by the broken publishers and transports: each
 * wraps a correct hand-over to the host ({@code host}) and gets one thing wrong.
 */
final class FlawedSenders {
  private FlawedSenders() {}

  /** A send call: hands one item to the host and returns the acknowledgement. */
  interface Sender<T> extends Function<T, CompletionStage<Void>> {}

  /**
   * The host side a twin hands items to.
   *
   * @param <T> an event or a message
   */
  interface Host<T> {
    /** Takes one item; the stage completes once the host has it. */
    CompletionStage<Void> receive(T item);

    /** What the host received, in the order its consumers read it. */
    List<T> received();
  }

  /** Hands the item over but acknowledges whatever the host answered, as a fire-and-forget client. */
  static <T> Sender<T> fireAndForget(Sender<T> host) {
    return item -> {
      try {
        host.apply(item);
      } catch (RuntimeException ignored) {
        // the host's failure never reaches the caller
      }
      return CompletableFuture.completedFuture(null);
    };
  }

  /** Acknowledges at once and hands the item over only on the next call, as a buffering client that lingers. */
  static <T> Sender<T> acknowledgesBeforeHandover(Sender<T> host) {
    List<T> buffer = new ArrayList<>();
    return item -> {
      List<T> flush;
      synchronized (buffer) {
        flush = new ArrayList<>(buffer);
        buffer.clear();
        buffer.add(item);
      }
      flush.forEach(host::apply);
      return CompletableFuture.completedFuture(null);
    };
  }

  /**
   * Drops an item whose {@code key} it has sent before: deduplicates on something other than the
   * id (a sequence number, the content).
   */
  static <T> Sender<T> deduplicatesOn(Sender<T> host, Function<T, Object> key) {
    return onRepeat(host, key, item -> CompletableFuture.completedFuture(null));
  }

  /** Fails the stage of an item whose id it has handed over before, as a unique constraint would. */
  static <T> Sender<T> rejectsResend(Sender<T> host, Function<T, String> id) {
    return onRepeat(host, id::apply,
        item -> CompletableFuture.failedFuture(new IllegalStateException("duplicate key " + id.apply(item))));
  }

  /** Hands an item to the host the first time its key is seen, and answers {@code repeated} after that. */
  private static <T> Sender<T> onRepeat(Sender<T> host, Function<T, Object> key, Sender<T> repeated) {
    Set<Object> seen = new HashSet<>();
    return item -> {
      boolean first;
      synchronized (seen) {
        first = seen.add(key.apply(item));
      }
      return first ? host.apply(item) : repeated.apply(item);
    };
  }

  /** Hands over a changed item. */
  static <T> Sender<T> changing(Sender<T> host, UnaryOperator<T> change) {
    return item -> host.apply(change.apply(item));
  }

  /**
   * A host with four partitions chosen by the item's id rather than its group, read one partition
   * after another: a group's items come back out of order.
   *
   * @param <T> an event or a message
   */
  static final class PartitionedById<T> implements Host<T> {
    private final Function<T, String> id;
    private final List<List<T>> partitions = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
        new ArrayList<>());

    PartitionedById(Function<T, String> id) {
      this.id = id;
    }

    @Override
    public CompletionStage<Void> receive(T item) {
      synchronized (partitions) {
        partitions.get(Math.floorMod(id.apply(item).hashCode(), partitions.size())).add(item);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public List<T> received() {
      synchronized (partitions) {
        return partitions.stream().flatMap(List::stream).toList();
      }
    }
  }
}
