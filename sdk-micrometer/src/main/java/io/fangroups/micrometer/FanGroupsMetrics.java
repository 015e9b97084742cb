package io.fangroups.micrometer;

import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsObserver;
import io.fangroups.core.event.OutboxRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The SDK's activity as Micrometer meters. Wire it in two steps, since the observer must exist
 * before the instance it observes:
 *
 * <pre>{@code
 * FanGroupsMetrics metrics = FanGroupsMetrics.create(registry);
 * FanGroups fanGroups = FanGroups.builder().observer(metrics)...build();
 * metrics.bindTo(fanGroups); // the relay gauges
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #COMMANDS}</td><td>counter</td><td>{@code command}, {@code outcome} ({@code ok}, an error code, {@code failed})</td></tr>
 *   <tr><td>{@value #COMMAND_LATENCY}</td><td>timer</td><td>{@code command}</td></tr>
 *   <tr><td>{@value #ATTEMPTS_REFUSED}</td><td>counter</td><td>{@code reason} ({@code limit}, {@code locked}, {@code limiter_failed})</td></tr>
 *   <tr><td>{@value #LOOKUPS}</td><td>counter</td><td>{@code result} ({@code found}, {@code not_found})</td></tr>
 *   <tr><td>{@value #RELAY_BEHIND}</td><td>gauge</td><td>{@code destination} ({@code publisher}, {@code transport}, {@code wallet})</td></tr>
 *   <tr><td>{@value #RELAY_PARKED}</td><td>gauge</td><td></td></tr>
 *   <tr><td>{@value #RELAY_FAILED_ATTEMPTS}</td><td>function counter</td><td></td></tr>
 *   <tr><td>{@value #RELAY_OLDEST_PENDING}</td><td>gauge, seconds</td><td></td></tr>
 * </table>
 *
 * <p>The relay gauges read {@link OutboxRelay#status()}, which asks the store; one reading serves
 * every gauge for a second, so a scrape costs one status call.
 */
public final class FanGroupsMetrics implements FanGroupsObserver {
  public static final String COMMANDS = "fangroups.commands";
  public static final String COMMAND_LATENCY = "fangroups.command.latency";
  public static final String ATTEMPTS_REFUSED = "fangroups.passcode.attempts.refused";
  public static final String LOOKUPS = "fangroups.passcode.lookups";
  public static final String RELAY_BEHIND = "fangroups.relay.behind";
  public static final String RELAY_PARKED = "fangroups.relay.parked";
  public static final String RELAY_FAILED_ATTEMPTS = "fangroups.relay.failed.attempts";
  public static final String RELAY_OLDEST_PENDING = "fangroups.relay.oldest.pending";

  private final MeterRegistry registry;
  /** How long one relay status reading serves the gauges. */
  private final long statusFreshNanos;
  // Meters by tag values: registering looks the meter up by id, which allocates; this does not.
  private final Map<String, Counter> commandCounters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
  private final Counter found;
  private final Counter notFound;

  private FanGroupsMetrics(MeterRegistry registry, Duration statusFreshFor) {
    this.registry = registry;
    this.statusFreshNanos = statusFreshFor.toNanos();
    this.found = lookups("found");
    this.notFound = lookups("not_found");
  }

  /** Meters on {@code registry}; pass the result to {@link FanGroups.Builder#observer}. */
  public static FanGroupsMetrics create(MeterRegistry registry) {
    return create(registry, Duration.ofSeconds(1));
  }

  /** As {@link #create(MeterRegistry)}, with a relay status reading kept for {@code statusFreshFor}. */
  static FanGroupsMetrics create(MeterRegistry registry, Duration statusFreshFor) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    return new FanGroupsMetrics(registry, statusFreshFor);
  }

  /** Adds the relay's gauges for {@code fanGroups}; call once, after building it. */
  public FanGroupsMetrics bindTo(FanGroups fanGroups) {
    if (fanGroups == null) {
      throw new IllegalArgumentException("fanGroups must not be null");
    }
    RelayReading reading = new RelayReading(fanGroups.relay(), statusFreshNanos);
    behind(reading, "publisher", OutboxRelay.Status::eventsBehind);
    behind(reading, "transport", OutboxRelay.Status::messagesBehind);
    behind(reading, "wallet", OutboxRelay.Status::walletBehind);
    Gauge.builder(RELAY_PARKED, reading, r -> r.status().parked()).strongReference(true)
        .description("deliveries parked as dead letters").register(registry);
    FunctionCounter.builder(RELAY_FAILED_ATTEMPTS, reading, r -> r.status().failedAttempts())
        .description("deliveries that failed, threw or timed out since the relay was built").register(registry);
    Gauge.builder(RELAY_OLDEST_PENDING, reading, RelayReading::oldestPendingSeconds).strongReference(true)
        .baseUnit("seconds").description("age of the oldest event not yet handed over; 0 when caught up")
        .register(registry);
    return this;
  }

  private void behind(RelayReading reading, String destination, ToDoubleFunction<OutboxRelay.Status> value) {
    Gauge.builder(RELAY_BEHIND, reading, r -> value.applyAsDouble(r.status())).strongReference(true)
        .tag("destination", destination).description("committed events this destination has not caught up with")
        .register(registry);
  }

  @Override
  public void commandCompleted(String command, String outcome, long nanos) {
    commandCounters.computeIfAbsent(command + '\n' + outcome, k -> Counter.builder(COMMANDS)
        .tag("command", command).tag("outcome", outcome).description("commands by outcome").register(registry))
        .increment();
    timers.computeIfAbsent(command, k -> Timer.builder(COMMAND_LATENCY).tag("command", command)
        .description("command latency, refusals included").register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void passcodeAttemptRefused(String reason) {
    refusals.computeIfAbsent(reason, k -> Counter.builder(ATTEMPTS_REFUSED).tag("reason", reason)
        .description("passcode attempts the attempt limiter refused before any lookup").register(registry))
        .increment();
  }

  @Override
  public void passcodeLookedUp(boolean wasFound) {
    (wasFound ? found : notFound).increment();
  }

  private Counter lookups(String result) {
    return Counter.builder(LOOKUPS).tag("result", result).description("passcode candidates looked up")
        .register(registry);
  }

  /** One status reading shared by the gauges for a second. */
  private static final class RelayReading {
    private final OutboxRelay relay;
    private final long freshNanos;
    private OutboxRelay.Status last;
    private long readAt;

    RelayReading(OutboxRelay relay, long freshNanos) {
      this.relay = relay;
      this.freshNanos = freshNanos;
    }

    synchronized OutboxRelay.Status status() {
      long now = System.nanoTime();
      if (last == null || now - readAt >= freshNanos) {
        last = relay.status();
        readAt = now;
      }
      return last;
    }

    double oldestPendingSeconds() {
      return status().oldestPending().map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0).orElse(0.0);
    }
  }
}
