package io.fangroups.core.event.internal;

import io.fangroups.core.GroupId;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import io.fangroups.spi.MessageTransport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The outbox relay over the group store: two consumers, each with a cursor and a lease per group. */
public final class DefaultOutboxRelay implements OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(DefaultOutboxRelay.class);

  /** One destination: what it makes of an event (nothing to skip it) and how it sends that. */
  private record Consumer<T>(String name, BiFunction<GroupId, StoredEvent, Optional<T>> map,
      Function<T, java.util.concurrent.CompletionStage<Void>> send) {}

  private final GroupRepository store;
  private final WireFormat format;
  private final Options options;
  private final List<Consumer<?>> consumers = new ArrayList<>();
  private final Map<String, Long> retryAtNanos = new ConcurrentHashMap<>();
  private final Map<String, Integer> failureRuns = new ConcurrentHashMap<>();
  private final AtomicLong failedAttempts = new AtomicLong();
  private ExecutorService threads;
  /** Runs the host's publish and deliver calls; threads that a blocking call pins are replaced. */
  private final ExecutorService deliveryPool = Executors.newCachedThreadPool(daemon("fangroups-outbox-delivery"));
  private volatile boolean running;
  /** This relay's name on the store's leases, so relays in other processes leave its groups alone. */
  private final String holder = java.util.UUID.randomUUID().toString();
  /** The cursors this relay read or moved, per consumer and group: lower bounds of the store's. */
  private final Map<String, Long> knownCursors =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100_000).<String, Long>build().asMap();
  /** The groups (per consumer) this relay is delivering now: one delivery in flight each. */
  private final java.util.Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** Outlives one delivery, so a lease only lapses when its relay died; then another relay takes over. */
  private final java.time.Duration leaseTtl;

  public DefaultOutboxRelay(GroupRepository store, Optional<EventPublisher> publisher, Optional<MessageTransport> transport,
      Options options) {
    this.store = store;
    this.format = store.access().codec;
    this.options = options;
    this.leaseTtl = options.deliveryTimeout().multipliedBy(2).plusSeconds(1);
    publisher.ifPresent(p -> consumers.add(
        new Consumer<PublishedEvent>(PUBLISHER, (group, stored) -> Optional.of(format.published(group, stored)),
            p::publish)));
    // Only posts and membership changes carry a message: the others are skipped without being read.
    transport.ifPresent(t -> consumers.add(new Consumer<OutgoingMessage>(TRANSPORT, (group, stored) ->
        WireFormat.mayCarryMessage(stored.type()) ? format.message(format.decode(group, stored)) : Optional.empty(),
        t::deliver)));
  }

  public static final String PUBLISHER = "publisher";
  public static final String TRANSPORT = "transport";

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
      try {
        for (GroupRepository.GroupHead head : store.groupHeads()) {
          for (Consumer<?> consumer : consumers) {
            if (mayHavePending(consumer, head)) {
              pump(consumer, head.group());
            }
          }
        }
      } catch (RuntimeException | LinkageError e) {
        // Never let one surprise end a relay thread: the fixed pool would not replace it.
        log.warn("fangroups: outbox relay pass failed; continuing", e);
      }
      try {
        Thread.sleep(options.pollInterval().toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public int drainOnce() {
    int delivered = 0;
    for (GroupRepository.GroupHead head : store.groupHeads()) {
      for (Consumer<?> consumer : consumers) {
        if (mayHavePending(consumer, head)) {
          delivered += drainNow(consumer, head.group());
        }
      }
    }
    return delivered;
  }

  /**
   * Whether the group may have events past this consumer's cursor. The cursors this relay saw are a
   * lower bound of the store's (cursors only move forward), so a group they reach is skipped without
   * asking the store: an idle group costs one row of the heads query per pass, nothing more.
   */
  private boolean mayHavePending(Consumer<?> consumer, GroupRepository.GroupHead head) {
    return knownCursors.getOrDefault(key(consumer, head.group()), 0L) < head.lastSequence();
  }

  /** The store's cursor, noted as known. */
  private long cursor(String key) {
    long cursor = store.relayCursor(key);
    knownCursors.merge(key, cursor, Math::max);
    return cursor;
  }

  /** The store's cursor when the known one is behind {@code last}; else the known one (already past it). */
  private long cursorIfBehind(String key, long last) {
    long known = knownCursors.getOrDefault(key, 0L);
    return known >= last ? known : cursor(key);
  }

  private void advance(String key, long sequence) {
    store.advanceRelayCursor(key, sequence);
    knownCursors.merge(key, sequence, Math::max);
  }

  /**
   * Takes a group's deliveries for one consumer: this relay's own mark first (a store lease renews
   * for its holder, so it cannot tell two of this relay's threads apart), then the store's lease
   * (other relays, other processes).
   */
  private boolean take(String key) {
    if (!inFlight.add(key)) {
      return false;
    }
    boolean leased = false;
    try {
      leased = store.tryTakeRelayLease(key, holder, leaseTtl);
      return leased;
    } finally {
      if (!leased) {
        inFlight.remove(key);
      }
    }
  }

  private void release(String key) {
    try {
      store.releaseRelayLease(key, holder);
    } finally {
      inFlight.remove(key);
    }
  }

  /** The next event this consumer delivers, and what it makes of it. */
  private record Pending<T>(StoredEvent event, T item) {}

  private static String key(Consumer<?> consumer, GroupId group) {
    return consumer.name() + "|" + group.value();
  }

  /**
   * Background delivery without blocking a relay thread: starts the group's next delivery and
   * returns; when it completes the cursor moves and the next one starts. One delivery per group
   * and consumer is in flight at a time (the store's lease), so order holds, and a group whose
   * host hangs holds nothing but its own lease until the timeout, so healthy groups go on.
   */
  private <T> void pump(Consumer<T> consumer, GroupId group) {
    String key = key(consumer, group);
    if (!running || System.nanoTime() - retryAtNanos.getOrDefault(key, Long.MIN_VALUE / 2) < 0
        || !take(key)) {
      return;
    }
    Pending<T> next;
    try {
      next = next(consumer, key, group);
    } catch (RuntimeException | LinkageError e) {
      release(key); // next() recorded the failure and its backoff
      return;
    }
    if (next == null) {
      release(key);
      return;
    }
    start(consumer, next.item()).whenCompleteAsync((done, error) -> {
      boolean advanced = false;
      try {
        if (error == null) {
          advance(key, next.event().sequence());
          failureRuns.remove(key);
          advanced = true;
        } else {
          failed(consumer, key, next.event().sequence(), error);
        }
      } catch (RuntimeException e) {
        failed(consumer, key, next.event().sequence(), e); // delivered, cursor not moved: delivered again later
      } finally {
        release(key);
      }
      if (advanced && running) {
        pump(consumer, group);
      }
    }, deliveryPool);
  }

  /** A manual pass: delivers the group's pending events to one consumer, waiting for each. */
  private <T> int drainNow(Consumer<T> consumer, GroupId group) {
    String key = key(consumer, group);
    if (!take(key)) {
      return 0; // another thread or relay is delivering this group for this consumer
    }
    int delivered = 0;
    try {
      while (true) {
        Pending<T> next = next(consumer, key, group);
        if (next == null || !store.tryTakeRelayLease(key, holder, leaseTtl)) { // renewed per delivery
          return delivered;
        }
        try {
          start(consumer, next.item()).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return delivered;
        } catch (ExecutionException e) {
          failed(consumer, key, next.event().sequence(), e.getCause());
          return delivered;
        }
        advance(key, next.event().sequence());
        failureRuns.remove(key);
        delivered++;
      }
    } catch (RuntimeException | LinkageError e) {
      return delivered; // next() recorded the failure
    } finally {
      release(key);
    }
  }

  /**
   * The first event after the cursor that this consumer delivers, moving the cursor past events it
   * skips; null when there is none. An event that cannot be rendered counts as a failed attempt and
   * waits, so other groups go on. Called under the lease.
   */
  private <T> Pending<T> next(Consumer<T> consumer, String key, GroupId group) {
    while (true) {
      long cursor = cursor(key);
      List<StoredEvent> after = store.storedEvents(group, cursor, 1);
      if (after.isEmpty()) {
        return null;
      }
      StoredEvent event = after.get(0);
      Optional<T> item;
      try {
        item = consumer.map().apply(group, event);
      } catch (RuntimeException | LinkageError e) {
        failed(consumer, key, event.sequence(), e);
        throw e;
      }
      if (item.isPresent()) {
        return new Pending<>(event, item.get());
      }
      advance(key, event.sequence());
    }
  }

  /**
   * Calls the host on the delivery pool, so a {@code publish} that blocks is bounded by the timeout
   * like a stage that never completes. A timed-out attempt may still arrive late: consumers
   * deduplicate on the id.
   */
  private <T> CompletableFuture<Void> start(Consumer<T> consumer, T item) {
    return CompletableFuture.supplyAsync(() -> consumer.send().apply(item), deliveryPool)
        .thenCompose(stage -> stage)
        .orTimeout(options.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void failed(Consumer<?> consumer, String key, long sequence, Throwable e) {
    failedAttempts.incrementAndGet();
    int run = failureRuns.merge(key, 1, Integer::sum);
    long backoff = Math.min(options.maxBackoff().toNanos(), options.initialBackoff().toNanos() << Math.min(run - 1, 30));
    retryAtNanos.put(key, System.nanoTime() + backoff);
    log.debug("fangroups: {} failed on event {} of {} (attempt run {}); retrying in {} ms", consumer.name(),
        sequence, key, run, backoff / 1_000_000, e);
  }

  @Override
  public Status status() {
    long events = 0;
    long messages = 0;
    Instant oldest = null;
    boolean publishing = consumers.stream().anyMatch(c -> c.name().equals(PUBLISHER));
    boolean sending = consumers.stream().anyMatch(c -> c.name().equals(TRANSPORT));
    for (GroupRepository.GroupHead head : store.groupHeads()) {
      GroupId group = head.group();
      long last = head.lastSequence();
      // A cursor read after the heads may be past them already; no lag is negative.
      long published = publishing ? Math.min(last, cursorIfBehind(PUBLISHER + "|" + group.value(), last)) : last;
      long sent = sending ? Math.min(last, cursorIfBehind(TRANSPORT + "|" + group.value(), last)) : last;
      events += last - published;
      messages += last - sent;
      long firstPending = Math.min(published, sent);
      if (firstPending < last) {
        Instant at = store.events(group, firstPending, 1).get(0).occurredAt();
        oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
      }
    }
    return new Status(events, messages, failedAttempts.get(), Optional.ofNullable(oldest));
  }

}
