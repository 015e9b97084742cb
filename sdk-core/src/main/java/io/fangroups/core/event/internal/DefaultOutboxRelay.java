package io.fangroups.core.event.internal;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.fangroups.core.GroupId;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.event.ParkedDelivery;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.StoreAccess;
import io.fangroups.core.internal.format.StoreRecord.DeliveryParked;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.spi.DeliveryRejectedException;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamHead;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.Wallet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox relay over the group store: per destination (publisher, transport) a cursor and a
 * lease per group. Work is found on the store's change feed: a pass lists the marked groups (one
 * store call when there are none), delivers each one's events past the cursors in batches, and
 * clears a group's mark once every registered destination's cursor has reached it.
 */
public final class DefaultOutboxRelay implements OutboxRelay {
  private static final Logger log = LoggerFactory.getLogger(DefaultOutboxRelay.class);
  /** Marks (and heads, in a full pass) listed per store call. */
  private static final int PAGE = StoreAccess.READ_BATCH;

  /** One destination: what it makes of an event (nothing to skip it) and how it sends that. */
  private record Destination<T>(String name, BiFunction<GroupId, StoredEvent, Optional<T>> map,
      Function<T, CompletionStage<Void>> send) {}

  /** The event of a group's deliveries to one destination that failed last, and how often in a row. */
  private record Failure(long sequence, int attempts) {}

  private final GroupRepository repository;
  private final StoreAccess access;
  private final WireFormat format;
  private final Options options;
  /** In name order, as {@link RelayDestinations#ALL}. */
  private final List<Destination<?>> destinations = new ArrayList<>();
  private final ParkedDeliveries parked;
  /** Per relay key ({@link RelayDestinations#key}): the last failure. */
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();
  /** Per relay key: when a background pass may try the group again. */
  private final Map<String, Long> retryAtNanos = new ConcurrentHashMap<>();
  private final AtomicLong failedAttempts = new AtomicLong();
  private @Nullable ExecutorService threads;
  /** Runs the host's publish and deliver calls and what follows them; threads a blocking call pins are replaced. */
  private final ExecutorService deliveryPool = Executors.newCachedThreadPool(daemon("fangroups-outbox-delivery"));
  private volatile boolean running;
  private boolean threadsStopped;
  /** This relay's name on the store's leases, so relays in other processes leave its groups alone. */
  private final String holder = java.util.UUID.randomUUID().toString();
  /** The cursors this relay read or moved, by relay key: lower bounds of the store's (cursors only move forward). */
  private final Map<String, Long> knownCursors =
      Caffeine.newBuilder().maximumSize(100_000).<String, Long>build().asMap();
  /** The cursors (groups per destination) this relay is delivering now: one run each. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** Outlives one delivery, so a lease only lapses when its relay died; then another relay takes over. */
  private final Duration leaseTtl;
  /** Set once this relay's destinations are registered and it knows which still need a full pass. */
  private volatile boolean ready;
  /** This relay's destinations whose full pass over every group has not ended yet (see {@link RelayDestinations}). */
  private final Set<String> fullPassPending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean fullPassRunning = new AtomicBoolean();
  /** The heads of the groups the full pass found behind and has to go back to; null before it listed them. */
  private @Nullable List<StreamHead> fullPassBehind;
  /** The registered destinations, once all of them are (keys are permanent, so that never changes again). */
  private volatile @Nullable Set<String> allRegistered;

  /** Whether the wallet destination delivers: once any process sent a red packet on the store (see {@link RelayDestinations#WALLET}). */
  private volatile boolean walletActive;
  /** When this relay, with no other destination to deliver to, last asked the store whether the wallet is registered. */
  private volatile long walletCheckedAtNanos = System.nanoTime() - WALLET_CHECK_NANOS;
  private static final long WALLET_CHECK_NANOS = TimeUnit.SECONDS.toNanos(10);

  public DefaultOutboxRelay(GroupRepository repository, Clock clock, Optional<EventPublisher> publisher,
      Optional<MessageTransport> transport, Wallet wallet, Options options) {
    this.repository = repository;
    this.access = repository.access();
    this.format = access.codec;
    this.options = options;
    this.parked = new ParkedDeliveries(access, clock);
    this.leaseTtl = options.deliveryTimeout().multipliedBy(2).plusSeconds(1);
    publisher.ifPresent(p -> destinations.add(new Destination<PublishedEvent>(RelayDestinations.PUBLISHER,
        (group, stored) -> Optional.of(format.published(group, stored)), p::publish)));
    // Only posts and membership changes carry a message: the others are skipped without being read.
    transport.ifPresent(t -> destinations.add(new Destination<OutgoingMessage>(RelayDestinations.TRANSPORT,
        (group, stored) -> WireFormat.mayCarryMessage(stored.type())
            ? format.message(format.decode(group, stored)) : Optional.empty(),
        t::deliver)));
    destinations.add(new Destination<WalletCalls.Call>(RelayDestinations.WALLET,
        (group, stored) -> WalletCalls.of(format, group, stored), call -> call.on(wallet).thenApply(done -> null)));
  }

  /**
   * Registers the wallet destination on the store, before the first red packet this process sends:
   * from then on every relay on the store pays claims and releases refunds, and no group's mark is
   * cleared before the wallet's cursor passed it.
   */
  public void activateWallet() {
    if (walletActive) {
      return;
    }
    StoreAccess.run(() -> RelayDestinations.register(access.store, RelayDestinations.WALLET));
    StoreAccess.run(() -> RelayDestinations.fullPassEnded(access.store, RelayDestinations.WALLET));
    walletActive = true;
  }

  private boolean delivers(Destination<?> d) {
    return walletActive || !d.name().equals(RelayDestinations.WALLET);
  }

  /**
   * Whether this relay has a destination to deliver to now. A relay with only the wallet, not yet
   * registered, asks the store at most every 10 seconds, so an idle SDK without red packets costs
   * next to nothing; with another destination it learns of the wallet from the registered set.
   */
  private boolean hasWork() {
    if (walletActive || destinations.size() > 1) {
      return true;
    }
    long now = System.nanoTime();
    if (now - walletCheckedAtNanos < WALLET_CHECK_NANOS) {
      return false;
    }
    walletCheckedAtNanos = now;
    registered(); // marks the wallet active when another process registered it
    return walletActive;
  }

  @Override
  public synchronized void start() {
    if (running || destinations.isEmpty() || threadsStopped) {
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
    threadsStopped = true; // a red packet after close does not start it again
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(options.deliveryTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        log.warn("fangroups: outbox relay threads did not stop in time; they stop after their current delivery");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void loop() {
    while (running && !Thread.currentThread().isInterrupted()) {
      try {
        pass(false);
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
    return destinations.isEmpty() ? 0 : pass(true);
  }

  /**
   * One pass over the change feed, after a step of the full pass while a destination still needs
   * one; returns the deliveries that completed while it waited for them.
   */
  private int pass(boolean waits) {
    ready();
    if (!hasWork()) {
      return 0;
    }
    Pass pass = new Pass(waits);
    if (!fullPassPending.isEmpty() && fullPassRunning.compareAndSet(false, true)) {
      try {
        fullPass(pass);
      } finally {
        fullPassRunning.set(false);
      }
    }
    feedPass(pass);
    return pass.delivered;
  }

  /**
   * Registers this relay's destinations now, so that pruning in any process keeps what they have
   * not delivered even before this relay first runs; a store failure leaves it to the first run.
   */
  public void registerEarly() {
    try {
      ready();
    } catch (RuntimeException e) {
      log.debug("fangroups: relay destinations not registered yet; the relay's first run does it", e);
    }
  }

  /** Registers this relay's destinations, and notes which still need a full pass. Once per relay. */
  private void ready() {
    if (ready) {
      return;
    }
    synchronized (fullPassPending) {
      if (ready) {
        return;
      }
      for (Destination<?> d : destinations) {
        if (d.name().equals(RelayDestinations.WALLET)) {
          continue; // registered by the first red packet (activateWallet)
        }
        StoreAccess.run(() -> RelayDestinations.register(access.store, d.name()));
        if (!StoreAccess.call(() -> RelayDestinations.fullPassDone(access.store, d.name()))) {
          fullPassPending.add(d.name());
        }
      }
      ready = true;
    }
  }

  /**
   * Delivers the groups on the change feed and clears the marks of those every registered
   * destination has caught up with. One store call when no group is marked.
   */
  private void feedPass(Pass pass) {
    eachGroup(after -> access.store.changed(after, PAGE), head -> {
      long last = head.lastSequence();
      if (pass.deliverBehind(group(head), last) && caughtUp(pass.registered(), group(head), last)) {
        StoreAccess.run(() -> access.store.clearChanged(head.stream(), last));
      }
    });
  }

  /**
   * A step of the pass over every group's head (not only the marked ones), for destinations that
   * may have missed groups whose marks were cleared before they registered. The first step lists
   * every head and delivers the groups behind; later steps only go back to the groups not yet caught
   * up with the heads then listed (what came after is on the change feed, and no mark is cleared
   * before the destination, registered by then, has it). When none is left, the full pass has ended
   * for good. One thread at a time ({@link #fullPassRunning}).
   */
  private void fullPass(Pass pass) {
    List<StreamHead> behind = new ArrayList<>();
    Consumer<StreamHead> deliver = head -> {
      if (!pass.deliverBehind(group(head), head.lastSequence())) {
        behind.add(head);
      }
    };
    if (fullPassBehind == null) {
      eachGroup(after -> access.store.heads(GroupRepository.GROUPS, after, PAGE), deliver);
    } else {
      fullPassBehind.forEach(deliver);
    }
    fullPassBehind = behind;
    if (behind.isEmpty()) {
      for (String d : List.copyOf(fullPassPending)) {
        StoreAccess.run(() -> RelayDestinations.fullPassEnded(access.store, d));
        fullPassPending.remove(d);
      }
    }
  }

  /**
   * Lists groups' streams with their last sequences a page ({@value #PAGE}) per store call, each page
   * after the last stream of the one before, and hands each group's to {@code each} (marks on other
   * streams are not the relay's).
   */
  private static void eachGroup(Function<@Nullable String, List<StreamHead>> page, Consumer<StreamHead> each) {
    String after = null;
    while (true) {
      String from = after;
      List<StreamHead> heads = StoreAccess.call(() -> page.apply(from));
      for (StreamHead head : heads) {
        if (head.stream().startsWith(GroupRepository.GROUPS)) {
          each.accept(head);
        }
      }
      if (heads.size() < PAGE) {
        return;
      }
      after = heads.get(heads.size() - 1).stream();
    }
  }

  private static GroupId group(StreamHead head) {
    return GroupId.of(head.stream().substring(GroupRepository.GROUPS.length()));
  }

  /**
   * One pass's deliveries. A waiting pass ({@link #drainOnce}) runs each group's deliveries to the
   * end (or a failure) before the next group's, and tries a group at most once per destination; a
   * background pass starts them and goes on, at most one run per group and destination, leaving
   * alone a group that is waiting to be retried.
   */
  private final class Pass {
    final boolean waits;
    /** The relay keys a waiting pass has tried. */
    final Set<String> tried = new java.util.HashSet<>();
    /** Deliveries that completed while a waiting pass waited. */
    int delivered;
    /** The registered destinations, asked once per pass that clears a mark. */
    private @Nullable Set<String> registered;

    Pass(boolean waits) {
      this.waits = waits;
    }

    Set<String> registered() {
      if (registered == null) {
        registered = DefaultOutboxRelay.this.registered();
      }
      return registered;
    }

    /**
     * Delivers the group's events up to {@code last} to each destination behind; returns whether
     * every destination of this relay has reached {@code last}.
     */
    boolean deliverBehind(GroupId group, long last) {
      boolean caughtUp = true;
      for (Destination<?> d : destinations) {
        if (!delivers(d)) {
          continue;
        }
        String key = RelayDestinations.key(d.name(), group);
        if (knownCursors.getOrDefault(key, 0L) >= last) {
          continue;
        }
        if (waits ? tried.contains(key) : inFlight.contains(key) || backingOff(key)) {
          caughtUp = false; // no store call for a group already tried, being delivered or waiting to be retried
          continue;
        }
        if (cursorIfBehind(key, last) >= last) {
          continue;
        }
        if (waits) {
          tried.add(key);
          delivered += drainNow(d, group, key);
          caughtUp &= knownCursors.getOrDefault(key, 0L) >= last;
        } else {
          pump(d, group, key);
          caughtUp = false;
        }
      }
      return caughtUp;
    }
  }

  /** The registered destinations, asked of the store until all of them are. */
  private Set<String> registered() {
    Set<String> known = allRegistered;
    if (known != null) {
      return known;
    }
    Set<String> registered = StoreAccess.call(() -> RelayDestinations.registered(access.store));
    if (registered.contains(RelayDestinations.WALLET)) {
      walletActive = true; // another process sent a red packet
    }
    if (registered.size() == RelayDestinations.ALL.size()) {
      allRegistered = Set.copyOf(registered);
    }
    return registered;
  }

  /** Whether every registered destination's cursor of the group has reached {@code last}. */
  private boolean caughtUp(Set<String> registered, GroupId group, long last) {
    for (String destination : registered) {
      if (cursorIfBehind(RelayDestinations.key(destination, group), last) < last) {
        return false;
      }
    }
    return true;
  }

  /** The store's cursor, noted as known. */
  private long readCursor(String name) {
    long cursor = repository.relayCursor(name);
    knownCursors.merge(name, cursor, Math::max);
    return cursor;
  }

  /** The store's cursor when the known one is behind {@code last}; else the known one (already past it). */
  private long cursorIfBehind(String name, long last) {
    long known = knownCursors.getOrDefault(name, 0L);
    return known >= last ? known : readCursor(name);
  }

  private void advance(String name, long sequence) {
    repository.advanceRelayCursor(name, sequence);
    knownCursors.merge(name, sequence, Math::max);
  }

  private boolean backingOff(String cursor) {
    Long at = retryAtNanos.get(cursor);
    return at != null && System.nanoTime() - at < 0;
  }

  /**
   * Takes a group's deliveries to one destination: this relay's own mark first (a store lease renews
   * for its holder, so it cannot tell two of this relay's threads apart), then the store's lease
   * (other relays, other processes).
   */
  private boolean take(String cursor) {
    if (!inFlight.add(cursor)) {
      return false;
    }
    boolean leased = false;
    try {
      leased = repository.tryTakeRelayLease(cursor, holder, leaseTtl);
      return leased;
    } finally {
      if (!leased) {
        inFlight.remove(cursor);
      }
    }
  }

  private void release(String cursor) {
    try {
      repository.releaseRelayLease(cursor, holder);
    } finally {
      inFlight.remove(cursor);
    }
  }

  /** Background delivery: starts a run and returns; the run goes on as each delivery completes. */
  private <T> void pump(Destination<T> destination, GroupId group, String cursor) {
    if (running && take(cursor)) {
      new Run<>(destination, group, cursor, true).go();
    }
  }

  /** A manual pass's delivery: runs the group's deliveries to one destination and waits for the run to end. */
  private <T> int drainNow(Destination<T> destination, GroupId group, String cursor) {
    if (!take(cursor)) {
      return 0; // another thread or relay is delivering this group to this destination
    }
    Run<T> run = new Run<>(destination, group, cursor, false);
    run.go();
    try {
      return run.ended.get();
    } catch (InterruptedException e) {
      run.cancelled = true;
      Thread.currentThread().interrupt();
      return 0;
    } catch (ExecutionException e) {
      return 0; // never: a run completes normally
    }
  }

  /**
   * One group's deliveries to one destination under its lease: reads a batch after the cursor,
   * delivers its events one at a time (each after the previous completed, on the delivery pool),
   * moves the cursor once the batch is delivered, and goes on with the next batch until the group is
   * caught up, a delivery fails, the lease is lost or the relay stops. A delivery the host rejects, or
   * that failed {@link Options#maxAttempts()} times, is parked and the run goes on past it.
   * Confined to one thread at a time: each step follows the completion of the one before.
   */
  private final class Run<T> {
    private final Destination<T> destination;
    private final GroupId group;
    private final String cursorName;
    private final boolean background;
    /** Completed with the number of deliveries that completed, when the run ends and its lease is released. */
    final CompletableFuture<Integer> ended = new CompletableFuture<>();
    volatile boolean cancelled;
    private int delivered;
    private List<StoredEvent> batch = List.of();
    /** The batch's next event to deliver. */
    private int next;
    /** Where the cursor is: the sequence delivered (or skipped, or parked) up to; -1 until read. */
    private long position = -1;
    private long renewedAtNanos = System.nanoTime();

    Run(Destination<T> destination, GroupId group, String cursor, boolean background) {
      this.destination = destination;
      this.group = group;
      this.cursorName = cursor;
      this.background = background;
    }

    /** Delivers on from {@link #next}; returns once a delivery is under way (its completion goes on) or the run ended. */
    void go() {
      try {
        while (true) {
          if (next == batch.size() && !nextBatch()) {
            end();
            return;
          }
          StoredEvent event = batch.get(next);
          if (stopping() || !renewIfDue()) {
            moveCursor(next);
            end();
            return;
          }
          Optional<T> item;
          try {
            item = destination.map().apply(group, event);
          } catch (RuntimeException | LinkageError e) {
            if (failed(event, e)) {
              continue;
            }
            return;
          }
          if (item.isEmpty()) {
            next++;
            continue;
          }
          send(destination, item.get()).whenCompleteAsync((done, error) -> {
            if (error == null) {
              delivered++;
              failures.remove(cursorName);
              retryAtNanos.remove(cursorName);
              next++;
              go();
            } else if (guarded(() -> failed(event, error))) {
              go();
            }
          }, deliveryPool);
          return;
        }
      } catch (RuntimeException | LinkageError e) {
        storeFailed(e);
      }
    }

    /**
     * Ends the batch delivered (moving the cursor past it) and reads the next; false when there is
     * none: the group is caught up, or the run should stop.
     */
    private boolean nextBatch() {
      if (!batch.isEmpty()) {
        moveCursor(batch.size());
        if (batch.size() < options.readBatch()) {
          return false; // the batch reached the end of the stream
        }
        if (stopping() || !renew()) {
          return false;
        }
      }
      if (position < 0) {
        position = readCursor(cursorName);
      }
      batch = repository.storedEvents(group, position, options.readBatch());
      next = 0;
      return !batch.isEmpty();
    }

    /** Moves the cursor past the batch's first {@code count} events (delivered, skipped or parked). */
    private void moveCursor(int count) {
      if (count > 0 && batch.get(count - 1).sequence() > position) {
        advance(cursorName, batch.get(count - 1).sequence());
        position = batch.get(count - 1).sequence();
      }
    }

    /**
     * Counts a failed attempt at {@code event}. Parks it when the host rejected it or it has failed
     * {@link Options#maxAttempts()} times, and returns true (go on with the next event); otherwise
     * moves the cursor up to just before it, backs off and ends the run (returns false).
     */
    private boolean failed(StoredEvent event, Throwable error) {
      failedAttempts.incrementAndGet();
      Failure failure = failures.merge(cursorName, new Failure(event.sequence(), 1),
          (was, now) -> was.sequence() == now.sequence() ? new Failure(now.sequence(), was.attempts() + 1) : now);
      Throwable cause = ParkedDeliveries.cause(error);
      boolean rejected = cause instanceof DeliveryRejectedException;
      if (rejected || failure.attempts() >= options.maxAttempts()) {
        boolean parkedNow = parked.park(destination.name(), group, event, failure.attempts(), error);
        log.warn("fangroups: {} the {} delivery of event {}/{} ({}) after {} attempt(s), the last failing with {}; "
                + "the group's later events go on (OutboxRelay.parked lists it, retry delivers it)",
            parkedNow ? "parked" : "found already parked", destination.name(), group.value(), event.sequence(),
            event.type(), failure.attempts(), cause.toString());
        failures.remove(cursorName);
        next++;
        return true;
      }
      moveCursor(next);
      long backoff = Math.min(options.maxBackoff().toNanos(),
          options.initialBackoff().toNanos() << Math.min(failure.attempts() - 1, 30));
      retryAtNanos.put(cursorName, System.nanoTime() + backoff);
      log.debug("fangroups: {} failed on event {} of {} (attempt {}); retrying in {} ms", destination.name(),
          event.sequence(), group.value(), failure.attempts(), backoff / 1_000_000, error);
      end();
      return false;
    }

    /** Runs a step after a delivery; a store failure in it ends the run. */
    private boolean guarded(java.util.function.BooleanSupplier step) {
      try {
        return step.getAsBoolean();
      } catch (RuntimeException | LinkageError e) {
        storeFailed(e);
        return false;
      }
    }

    /**
     * The store failed (reading, moving the cursor, parking): the run ends and the group waits one
     * initial backoff; what was delivered since the cursor last moved is delivered again later.
     */
    private void storeFailed(Throwable e) {
      retryAtNanos.put(cursorName, System.nanoTime() + options.initialBackoff().toNanos());
      log.debug("fangroups: the store failed while delivering {} to {}; retrying later", group.value(),
          destination.name(), e);
      end();
    }

    private boolean stopping() {
      return cancelled || (background && !running);
    }

    /** Renews the lease for the next batch. */
    private boolean renew() {
      renewedAtNanos = System.nanoTime();
      return repository.tryTakeRelayLease(cursorName, holder, leaseTtl);
    }

    /** Renews the lease within a batch once a third of it has passed, so a long batch never outlives it. */
    private boolean renewIfDue() {
      return System.nanoTime() - renewedAtNanos < leaseTtl.toNanos() / 3 || renew();
    }

    private void end() {
      if (ended.isDone()) {
        return;
      }
      try {
        release(cursorName);
      } catch (RuntimeException e) {
        log.debug("fangroups: releasing the relay lease {} failed; it lapses by itself", cursorName, e);
      } finally {
        ended.complete(delivered);
      }
    }
  }

  /**
   * Calls the host on the delivery pool, so a {@code publish} that blocks is bounded by the timeout
   * like a stage that never completes. A timed-out attempt may still arrive late: consumers
   * deduplicate on the id.
   */
  private <T> CompletableFuture<Void> send(Destination<T> destination, T item) {
    return CompletableFuture.supplyAsync(() -> destination.send().apply(item), deliveryPool)
        .thenCompose(stage -> stage)
        .orTimeout(options.deliveryTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- status

  @Override
  public Status status() {
    if (destinations.size() == 1 && !walletActive) { // the wallet alone, and no red packet yet
      return new Status(0, 0, failedAttempts.get(), Optional.empty(), 0, 0);
    }
    Backlog backlog = new Backlog();
    // Groups without a mark are caught up: only the marked ones can be behind.
    eachGroup(after -> access.store.changed(after, PAGE), head -> backlog.add(group(head), head.lastSequence()));
    return new Status(backlog.events, backlog.messages, failedAttempts.get(), Optional.ofNullable(backlog.oldest),
        parked.count(destinationNames()), backlog.wallet);
  }

  /** What {@link #status} adds up, group by group. */
  private final class Backlog {
    private final boolean publishing = destination(RelayDestinations.PUBLISHER) != null;
    private final boolean sending = destination(RelayDestinations.TRANSPORT) != null;
    private final boolean paying = walletActive;
    long events;
    long messages;
    long wallet;
    @Nullable Instant oldest;

    void add(GroupId group, long last) {
      // A cursor read after the marks may be past them already; no lag is negative.
      long published = publishing
          ? Math.min(last, cursorIfBehind(RelayDestinations.key(RelayDestinations.PUBLISHER, group), last)) : last;
      long sent = sending
          ? Math.min(last, cursorIfBehind(RelayDestinations.key(RelayDestinations.TRANSPORT, group), last)) : last;
      long paid = paying
          ? Math.min(last, cursorIfBehind(RelayDestinations.key(RelayDestinations.WALLET, group), last)) : last;
      events += last - published;
      messages += last - sent;
      wallet += last - paid;
      long firstPending = Math.min(Math.min(published, sent), paid);
      if (firstPending < last) {
        for (GroupEvent pending : repository.events(group, firstPending, 1)) {
          oldest = oldest == null || pending.occurredAt().isBefore(oldest) ? pending.occurredAt() : oldest;
        }
      }
    }
  }

  // ---------------------------------------------------------------- parked deliveries

  @Override
  public List<ParkedDelivery> parked(@Nullable ParkedDelivery after, int limit) {
    if (limit < 1 || limit > 1_000) {
      throw new IllegalArgumentException("limit must be 1 to 1000, got " + limit);
    }
    return parked.list(destinationNames(), after == null ? null : ParkedDeliveries.stream(after), limit);
  }

  @Override
  public boolean retry(ParkedDelivery delivery) {
    Destination<?> destination = destination(delivery.destination());
    if (destination == null) {
      throw new IllegalArgumentException("this relay has no " + delivery.destination() + " to retry "
          + delivery.eventId() + " on; retry it on a relay that has one");
    }
    String stream = ParkedDeliveries.stream(delivery);
    // The parked stream's own lease: of concurrent retries one delivers, the others find it taken or gone.
    if (!repository.tryTakeRelayLease(stream, holder, leaseTtl)) {
      return false;
    }
    try {
      Optional<DeliveryParked> record = parked.read(stream);
      if (record.isEmpty() || !redeliver(destination, record.get())) {
        return false;
      }
      parked.delete(stream); // false only when a drop deleted it meanwhile: delivered all the same
      return true;
    } finally {
      repository.releaseRelayLease(stream, holder);
    }
  }

  /** Delivers a parked copy now, waiting at most the delivery timeout; false when the host did not accept it. */
  private <T> boolean redeliver(Destination<T> destination, DeliveryParked record) {
    try {
      Optional<T> item = destination.map().apply(record.group(), ParkedDeliveries.event(record));
      if (item.isPresent()) {
        send(destination, item.get()).get();
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | RuntimeException e) {
      log.info("fangroups: retrying the parked {} delivery of event {}/{} failed; it stays parked",
          record.destination(), record.group().value(), record.sequence(), ParkedDeliveries.cause(e));
      return false;
    }
  }

  @Override
  public void drop(ParkedDelivery delivery) {
    if (parked.delete(ParkedDeliveries.stream(delivery))) {
      log.warn("fangroups: dropped the parked {} delivery of event {} ({}, parked at {} after {} attempt(s): {}); "
              + "it will not be delivered", delivery.destination(), delivery.eventId(), delivery.type(),
          delivery.parkedAt(), delivery.attempts(), delivery.lastError());
    }
  }

  private @Nullable Destination<?> destination(String name) {
    for (Destination<?> d : destinations) {
      if (d.name().equals(name)) {
        return d;
      }
    }
    return null;
  }

  /** The destinations this relay delivers to. */
  public List<String> destinationNames() {
    return destinations.stream().map(Destination::name).toList();
  }

  /** The destinations registered when the relay is built: all but the wallet, which the first red packet registers. */
  public List<String> eagerDestinationNames() {
    return destinationNames().stream().filter(d -> !d.equals(RelayDestinations.WALLET)).toList();
  }
}
