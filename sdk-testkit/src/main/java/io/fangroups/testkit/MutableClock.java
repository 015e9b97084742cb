package io.fangroups.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Clock} that stands still until the test moves it: inject it wherever the code under test
 * reads the time, then {@link #advance} or {@link #set} it to make TTLs expire, bans end or windows
 * change, without sleeping.
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
 * FanGroups groups = FanGroups.builder().clock(clock).build();
 * // … a request is made …
 * clock.advance(Duration.ofDays(8));
 * // … the request has expired …
 * }</pre>
 *
 * <p>Thread-safe: any thread may read or move it, and every thread sees a move once the call
 * returned. Clocks made by {@link #withZone} share this clock's time: moving one moves them all.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * A clock at {@code start}, in UTC.
   *
   * @param start the instant the clock shows until it is moved
   * @return a new clock with its own time
   */
  public static MutableClock of(Instant start) {
    return of(start, ZoneOffset.UTC);
  }

  /**
   * A clock at {@code start}, in {@code zone}.
   *
   * @param start the instant the clock shows until it is moved
   * @param zone the zone {@link #getZone()} reports
   * @return a new clock with its own time
   */
  public static MutableClock of(Instant start, ZoneId zone) {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(zone, "zone");
    return new MutableClock(new AtomicReference<>(start), zone);
  }

  /** The instant the clock shows: where it started, or was last moved to. */
  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /**
   * A clock in {@code zone} that shares this clock's time: moving either moves both.
   *
   * @param zone the zone of the returned clock
   * @return this clock when the zone is the same, otherwise a view of the same time in {@code zone}
   */
  @Override
  public MutableClock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(this.zone) ? this : new MutableClock(now, zone);
  }

  /**
   * Moves the clock to {@code instant}, forward or back.
   *
   * @param instant the instant the clock shows from now on
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  /**
   * Moves the clock forward by {@code duration}. Concurrent calls add up: none is lost.
   *
   * @param duration how far to move it; zero or more (use {@link #set} to go back)
   * @return the instant the clock shows after this move
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("advance takes a duration of zero or more, got " + duration
          + "; use set(Instant) to move the clock back");
    }
    return now.updateAndGet(instant -> instant.plus(duration));
  }

  /** Equal to another {@code MutableClock} that shares its time and zone (one made by {@link #withZone}). */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof MutableClock clock && clock.now == now && clock.zone.equals(zone);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(now) * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "," + zone + "]";
  }
}
