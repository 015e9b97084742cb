package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/**
 * The checks shared by the two at-least-once SPIs, {@code EventPublisher} and
 * {@code MessageTransport}: items are handed to the host one call at a time, each call's stage
 * completes once the host has the item, and the host deduplicates on the item's id. Each kit
 * describes its item type through {@link Items} and names the rules.
 *
 * @param <T> the item: an event or a message
 */
final class DeliveryChecks<T> {
  private static final int THREADS = 8;

  /** How the checks make and read items of one SPI. */
  interface Items<T> {
    /** A new item; its content depends only on the sequence, so items of different groups differ only in ids. */
    T make(String groupId, long sequence);

    /** The id the host deduplicates on. */
    String id(T item);

    String groupId(T item);

    long sequence(T item);
  }

  private final Items<T> items;
  private final String call;
  private final Function<T, CompletionStage<Void>> send;
  private final Supplier<List<T>> delivered;
  private final Duration guard;
  private final String groupPrefix = "testkit-" + UUID.randomUUID() + "-";

  /**
   * @param call what the SPI call is named in messages, e.g. {@code "publish"}
   * @param send the call under test
   * @param delivered what the host side received, in order, duplicates allowed
   */
  DeliveryChecks(Items<T> items, String call, Function<T, CompletionStage<Void>> send, Supplier<List<T>> delivered,
      Duration guard) {
    this.items = items;
    this.call = call;
    this.send = send;
    this.delivered = delivered;
    this.guard = guard;
  }

  /** The host has each item by the time its stage completed normally. */
  void completesOnlyWhenHandedOver() {
    String group = group("handover");
    for (long sequence = 1; sequence <= 5; sequence++) {
      T item = items.make(group, sequence);
      sendAndAwait(item);
      assertThat(firstArrivals().keySet()).as("ids the host has once the stage of %s completed", items.id(item))
          .contains(items.id(item));
    }
  }

  /** The host gets every field as sent. */
  void arrivesUnchanged() {
    T item = items.make(group("fields"), 1);
    sendAndAwait(item);
    assertThat(firstArrivals().get(items.id(item))).as("what the host received").isEqualTo(item);
  }

  /** Sending an item again (the retry after a lost acknowledgement) succeeds, and every copy carries the item's id. */
  void retryIsSafe() {
    T item = items.make(group("retry"), 1);
    sendAndAwait(item);
    sendAndAwait(item);
    List<String> ids = ownItems().stream().filter(received -> items.groupId(received).equals(items.groupId(item)))
        .map(items::id).toList();
    assertThat(ids).as("ids of the copies the host received of one item sent twice").isNotEmpty()
        .containsOnly(items.id(item));
  }

  /** Items with different ids all reach the host, even when everything but the ids is equal. */
  void distinctItemsAreNeverMerged() {
    List<T> sent = List.of(items.make(group("first"), 1), items.make(group("second"), 1),
        items.make(group("first"), 2), items.make(group("second"), 2));
    sent.forEach(this::sendAndAwait);
    assertThat(firstArrivals().keySet()).as("ids the host has")
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(items::id).toList());
  }

  /** One group's items sent one at a time reach the host in sequence order. */
  void keepsOrderPerGroup() {
    String group = group("ordered");
    int count = 50;
    for (long sequence = 1; sequence <= count; sequence++) {
      sendAndAwait(items.make(group, sequence));
    }
    assertThat(sequencesOf(firstArrivals(), group)).as("sequences of the group in order of first arrival")
        .isEqualTo(oneTo(count));
  }

  /** Several groups sent from several threads at once: nothing lost, each group in order. */
  void threadSafeAcrossGroups() {
    int perGroup = 100;
    Concurrently.run(THREADS, thread -> {
      for (long sequence = 1; sequence <= perGroup; sequence++) {
        sendAndAwait(items.make(group("parallel-" + thread), sequence));
      }
      return null;
    });
    Map<String, T> arrived = firstArrivals();
    for (int thread = 0; thread < THREADS; thread++) {
      assertThat(sequencesOf(arrived, group("parallel-" + thread)))
          .as("sequences of group %d of %d sent at once, in order of first arrival", thread, THREADS)
          .isEqualTo(oneTo(perGroup));
    }
  }

  /** A host that cannot take the item never gets it acknowledged: the call throws, fails or stays pending. */
  void unavailableHostIsNeverAcknowledged(Function<T, CompletionStage<Void>> sendToUnavailableHost) {
    T item = items.make(group("unavailable"), 1);
    assertThat(Stages.outcome(() -> sendToUnavailableHost.apply(item), guard))
        .as("how %s to an unavailable host ended", call).isNotEqualTo(Stages.Outcome.COMPLETED);
  }

  private void sendAndAwait(T item) {
    Stages.await(call + " of " + items.id(item), () -> send.apply(item), guard);
  }

  private String group(String name) {
    return groupPrefix + name;
  }

  /** What the host received of the kit's own groups (a shared host may hold other traffic). */
  private List<T> ownItems() {
    List<T> received = delivered.get();
    assertThat(received).as("delivered()").isNotNull();
    return received.stream().filter(item -> items.groupId(item).startsWith(groupPrefix)).toList();
  }

  /** The host's view after deduplicating on the id: the first copy of each id, in arrival order. */
  private Map<String, T> firstArrivals() {
    Map<String, T> first = new LinkedHashMap<>();
    ownItems().forEach(item -> first.putIfAbsent(items.id(item), item));
    return first;
  }

  private List<Long> sequencesOf(Map<String, T> arrived, String group) {
    return arrived.values().stream().filter(item -> items.groupId(item).equals(group))
        .map(items::sequence).toList();
  }

  private static List<Long> oneTo(int count) {
    return LongStream.rangeClosed(1, count).boxed().toList();
  }
}
