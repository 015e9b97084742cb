package io.fangroups.core;

import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbox relay over the in-memory store: two consumers, each with a cursor per group. */
final class DefaultOutboxRelay implements OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(DefaultOutboxRelay.class);
  private static final int BATCH = 100;

  /** One destination: what it makes of an event (nothing to skip it) and how it sends that. */
  private record Consumer<T>(String name, Function<GroupEvent, Optional<T>> map,
      Function<T, java.util.concurrent.CompletionStage<Void>> send) {}

  private final InMemoryGroupStore store;
  private final Options options;
  private final List<Consumer<?>> consumers = new ArrayList<>();
  private final Map<String, Long> retryAtNanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> failureRuns = new ConcurrentHashMap<>();
  private final AtomicLong failedAttempts = new AtomicLong();
  private ExecutorService threads;
  /** Runs the host's publish and deliver calls; threads that a blocking call pins are replaced. */
  private final ExecutorService deliveryPool = Executors.newCachedThreadPool(daemon("fangroups-outbox-delivery"));
  private volatile boolean running;

  DefaultOutboxRelay(InMemoryGroupStore store, Optional<EventPublisher> publisher, Optional<MessageTransport> transport,
      Options options) {
    this.store = store;
    this.options = options;
    publisher.ifPresent(p -> consumers.add(
        new Consumer<PublishedEvent>(PUBLISHER, e -> Optional.of(published(e)), p::publish)));
    transport.ifPresent(t -> consumers.add(new Consumer<OutgoingMessage>(TRANSPORT, Messages::of, t::deliver)));
  }

  static final String PUBLISHER = "publisher";
  static final String TRANSPORT = "transport";

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    threads = Executors.newFixedThreadPool(options.threads(), daemon("fangroups-outbox-relay"));
    for (int i = 0; i < options.threads(); i++) {
      threads.execute(this::loop);
    }
  }

  @Override
  public synchronized void close() {
    if (!running) {
      return;
    }
    running = false;
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(options.deliveryTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        log.warn("fangroups: outbox relay threads did not stop in time; they stop after their current delivery");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void loop() {
    while (running && !Thread.currentThread().isInterrupted()) {
      int delivered;
      try {
        delivered = pass(true);
      } catch (RuntimeException | LinkageError e) {
        // Never let one surprise end a relay thread: the fixed pool would not replace it.
        log.warn("fangroups: outbox relay pass failed; continuing", e);
        delivered = 0;
      }
      if (delivered == 0) {
        try {
          Thread.sleep(options.pollInterval().toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public int drainOnce() {
    return pass(false);
  }

  private int pass(boolean background) {
    int delivered = 0;
    for (GroupId group : store.allGroups()) {
      for (Consumer<?> consumer : consumers) {
        delivered += drain(consumer, group, background);
      }
    }
    return delivered;
  }

  /**
   * Delivers the group's pending events to one consumer, in order, stopping at the first failure.
   * The background threads honour backoff and stop as soon as the relay is closed; a manual
   * {@link #drainOnce()} does neither.
   */
  private <T> int drain(Consumer<T> consumer, GroupId group, boolean background) {
    String key = consumer.name() + "|" + group.value();
    if (background && System.nanoTime() - retryAtNanos.getOrDefault(key, Long.MIN_VALUE / 2) < 0) {
      return 0;
    }
    ReentrantLock lease = store.relayLease(key);
    if (!lease.tryLock()) {
      return 0; // another thread or relay is draining this group for this consumer
    }
    int delivered = 0;
    try {
      long cursor = store.relayCursor(key);
      List<GroupEvent> batch = store.read(group, s -> {
        int from = (int) Math.min(cursor, s.log.size());
        return List.copyOf(s.log.subList(from, Math.min(s.log.size(), from + BATCH)));
      });
      for (GroupEvent event : batch) {
        if (background && (!running || Thread.currentThread().isInterrupted())) {
          return delivered;
        }
        Optional<T> item;
        try {
          item = consumer.map().apply(event);
        } catch (RuntimeException | LinkageError e) {
          failed(consumer, key, event, e); // an event that cannot be rendered waits; other groups go on
          return delivered;
        }
        if (item.isPresent() && !send(consumer, item.get(), key, event)) {
          return delivered;
        }
        store.advanceRelayCursor(key, event.sequence());
        delivered += item.isPresent() ? 1 : 0;
        failureRuns.remove(key);
      }
      return delivered;
    } finally {
      lease.unlock();
    }
  }

  /**
   * Sends on the delivery pool, so a publisher that blocks inside {@code publish} (a Kafka producer
   * waiting for metadata) is bounded by the timeout like one whose stage never completes. A
   * timed-out attempt is cancelled; it may still arrive late, which at-least-once consumers accept.
   */
  private <T> boolean send(Consumer<T> consumer, T item, String key, GroupEvent event) {
    CompletableFuture<Void> done = CompletableFuture
        .supplyAsync(() -> consumer.send().apply(item), deliveryPool)
        .thenCompose(stage -> stage);
    try {
      done.get(options.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.cancel(true);
      return false;
    } catch (Exception | LinkageError e) {
      done.cancel(true);
      failed(consumer, key, event, e);
      return false;
    }
  }

  private void failed(Consumer<?> consumer, String key, GroupEvent event, Throwable e) {
    failedAttempts.incrementAndGet();
    int run = failureRuns.merge(key, 1, Integer::sum);
    long backoff = Math.min(options.maxBackoff().toNanos(), options.initialBackoff().toNanos() << Math.min(run - 1, 30));
    retryAtNanos.put(key, System.nanoTime() + backoff);
    log.debug("fangroups: {} failed on event {} (attempt run {}); retrying in {} ms", consumer.name(),
        event.eventId(), run, backoff / 1_000_000, e);
  }

  @Override
  public Status status() {
    long events = 0;
    long messages = 0;
    Instant oldest = null;
    boolean publishing = consumers.stream().anyMatch(c -> c.name().equals(PUBLISHER));
    boolean sending = consumers.stream().anyMatch(c -> c.name().equals(TRANSPORT));
    for (GroupId group : store.allGroups()) {
      long last = store.read(group, s -> s.lastSequence);
      long published = publishing ? store.relayCursor(PUBLISHER + "|" + group.value()) : last;
      long sent = sending ? store.relayCursor(TRANSPORT + "|" + group.value()) : last;
      events += last - published;
      messages += last - sent;
      long firstPending = Math.min(published, sent);
      if (firstPending < last) {
        Instant at = store.read(group, s -> s.log.get((int) firstPending).occurredAt());
        oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
      }
    }
    return new Status(events, messages, failedAttempts.get(), Optional.ofNullable(oldest));
  }

  private static PublishedEvent published(GroupEvent e) {
    return new PublishedEvent(e.eventId(), e.group().value(), e.sequence(), e.occurredAt(),
        EventJson.type(e.change()), EventJson.write(e));
  }
}
