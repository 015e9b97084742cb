package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fangroups.spi.AttemptLimiter;
import io.fangroups.spi.AttemptLimiter.AttemptCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AttemptLimiter}, rules {@code AL-1} to {@code AL-10} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test and return the implementation under test:
 *
 * <pre>{@code
 * class RedisAttemptLimiterCompatibilityTest extends AttemptLimiterCompatibilityKit {
 *   @Override
 *   protected AttemptLimiter newLimiter() {
 *     return new RedisAttemptLimiter(redis);
 *   }
 * }
 * }</pre>
 *
 * <p>Every test uses keys no other test uses, so an implementation backed by a shared store needs
 * no cleaning between tests. Time is only what the kit passes as {@code now}: nothing sleeps.
 */
public abstract class AttemptLimiterCompatibilityKit {
  private static final Duration HOUR = Duration.ofHours(1);
  /** The start of an hour window, and of a 10-minute window. */
  private static final Instant TEN_O_CLOCK = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration ONE_MILLI = Duration.ofMillis(1);
  private static final int THREADS = 16;
  private static final int CALLS_PER_THREAD = 1_000;

  private final String keyPrefix = "testkit-" + UUID.randomUUID() + "-";
  private AttemptLimiter limiter;

  /** Creates the kit. */
  protected AttemptLimiterCompatibilityKit() {}

  /**
   * The implementation under test; called once before each test, and once more by AL-10. An
   * implementation that declares {@link AttemptLimiter#sharedAcrossInstances()} must return, on each
   * call, what a further SDK instance would get: a client of the same shared store. The kit's keys
   * never collide across tests, so the store needs no cleaning.
   */
  protected abstract AttemptLimiter newLimiter();

  @BeforeEach
  final void createLimiter() {
    limiter = Objects.requireNonNull(newLimiter(), "newLimiter() returned null");
  }

  /** AL-1: concurrent {@code begin} calls on one key each get their own count. */
  @Test
  @DisplayName("AL-1 begin is atomic per key")
  void al1_beginIsAtomicPerKey() {
    String key = key("hot");
    List<long[]> perThread = Concurrently.run(THREADS,
        thread -> beginRepeatedly(key, TEN_O_CLOCK.plusSeconds(1), CALLS_PER_THREAD));

    long[] inWindow = perThread.stream().flatMapToLong(Arrays::stream).toArray();
    assertExactlyOneToN(inWindow, "inWindow values of " + THREADS + " threads x " + CALLS_PER_THREAD
        + " concurrent begin calls on one key");
  }

  /** AL-2: one key's attempts never show in another key's counts. */
  @Test
  @DisplayName("AL-2 counts are per key")
  void al2_countsArePerKey() {
    Instant now = TEN_O_CLOCK.plusSeconds(5);
    beginRepeatedly(key("user"), now, 3);

    assertNextBegin(key("device"), now, new AttemptCounts(1, 1), "first attempt of another key");
    assertNextBegin(key("user"), now, new AttemptCounts(4, 4), "fourth attempt of the first key");
  }

  /** AL-3: windows start at multiples of the window length since the epoch, not at the first attempt. */
  @Test
  @DisplayName("AL-3 windows are fixed and aligned to the epoch")
  void al3_windowsAreFixedAndAlignedToTheEpoch() {
    String key = key("hourly");
    Instant halfPastTen = TEN_O_CLOCK.plus(Duration.ofMinutes(30));
    Instant eleven = TEN_O_CLOCK.plus(HOUR);
    assertThat(limiter.begin(key, HOUR, halfPastTen).inWindow()).as("first attempt, 10:30").isEqualTo(1);
    assertThat(limiter.begin(key, HOUR, eleven.minus(ONE_MILLI)).inWindow()).as("10:59:59.999, same window")
        .isEqualTo(2);
    assertThat(limiter.begin(key, HOUR, eleven).inWindow())
        .as("11:00, a new window although the first attempt was only 30 minutes ago").isEqualTo(1);
    assertThat(limiter.begin(key, HOUR, eleven.plus(HOUR).minus(ONE_MILLI)).inWindow())
        .as("11:59:59.999, same window as 11:00").isEqualTo(2);

    Duration sevenMinutes = Duration.ofMinutes(7);
    long sevenMillis = sevenMinutes.toMillis();
    Instant boundary = Instant.ofEpochMilli(Math.floorDiv(TEN_O_CLOCK.toEpochMilli(), sevenMillis) * sevenMillis)
        .plus(sevenMinutes);
    String odd = key("seven-minutes");
    limiter.begin(odd, sevenMinutes, boundary.minus(ONE_MILLI));
    assertThat(limiter.begin(odd, sevenMinutes, boundary).inWindow())
        .as("7-minute windows start at multiples of 7 minutes since the epoch; %s starts one", boundary)
        .isEqualTo(1);
  }

  /** AL-4: the run of consecutive attempts goes on across windows; only the window count restarts. */
  @Test
  @DisplayName("AL-4 consecutive survives window changes")
  void al4_consecutiveSurvivesWindowChanges() {
    String key = key("persistent");
    Instant eleven = TEN_O_CLOCK.plus(HOUR);
    beginRepeatedly(key, eleven.minus(ONE_MILLI), 3);

    assertThat(limiter.begin(key, HOUR, eleven).consecutive()).as("consecutive, first attempt of the next window")
        .isEqualTo(4);
    assertThat(limiter.begin(key, HOUR, eleven.plus(HOUR)).consecutive())
        .as("consecutive after a whole window without attempts").isEqualTo(5);
  }

  /** AL-5: {@code succeeded} ends the run of consecutive attempts. */
  @Test
  @DisplayName("AL-5 succeeded ends the run of consecutive attempts")
  void al5_succeededEndsTheRun() {
    Instant now = TEN_O_CLOCK.plusSeconds(10);
    String key = threeAttemptsThenSucceeded("admitted", now);

    assertThat(limiter.begin(key, HOUR, now).consecutive()).as("consecutive after succeeded").isEqualTo(1);

    limiter.succeeded(key, HOUR, now.plus(HOUR));
    assertThat(limiter.begin(key, HOUR, now.plus(HOUR)).consecutive())
        .as("consecutive after succeeded in a later window").isEqualTo(1);
  }

  /** AL-6: every attempt stays charged to its window; {@code succeeded} gives nothing back. */
  @Test
  @DisplayName("AL-6 succeeded leaves the window count unchanged")
  void al6_succeededLeavesTheWindowCount() {
    Instant now = TEN_O_CLOCK.plusSeconds(10);
    String key = threeAttemptsThenSucceeded("charged", now);

    assertThat(limiter.begin(key, HOUR, now).inWindow()).as("inWindow of the fourth attempt in the window")
        .isEqualTo(4);
  }

  /** AL-7: {@code reset} forgets the key's window and consecutive counts, and nothing of other keys. */
  @Test
  @DisplayName("AL-7 reset forgets every count of the key, and only of that key")
  void al7_resetForgetsEveryCountOfTheKey() {
    Instant now = TEN_O_CLOCK.plusSeconds(20);
    beginRepeatedly(key("locked"), now, 5);
    beginRepeatedly(key("bystander"), now, 2);
    limiter.reset(key("locked"));

    assertNextBegin(key("locked"), now, new AttemptCounts(1, 1), "first attempt after reset");
    assertNextBegin(key("bystander"), now, new AttemptCounts(3, 3), "another key after the reset");
  }

  /** AL-8: {@code succeeded} and {@code reset} on a key never counted are no-ops, not errors. */
  @Test
  @DisplayName("AL-8 succeeded and reset on an unknown key are harmless")
  void al8_succeededAndResetOnUnknownKeyAreHarmless() {
    Instant now = TEN_O_CLOCK.plusSeconds(30);
    assertThatCode(() -> {
      limiter.succeeded(key("never-seen"), HOUR, now);
      limiter.reset(key("never-seen-either"));
    }).doesNotThrowAnyException();

    assertNextBegin(key("never-seen"), now, new AttemptCounts(1, 1), "first attempt after succeeded");
    assertNextBegin(key("never-seen-either"), now, new AttemptCounts(1, 1), "first attempt after reset");
  }

  /** AL-9: many threads on many keys at once: every key still counts exactly. */
  @Test
  @DisplayName("AL-9 thread-safe across keys")
  void al9_threadSafeAcrossKeys() {
    int keys = 4;
    Instant now = TEN_O_CLOCK.plusSeconds(40);
    List<long[][]> perThread = Concurrently.run(THREADS, thread -> {
      long[][] seen = new long[keys][CALLS_PER_THREAD / keys];
      for (int call = 0; call < CALLS_PER_THREAD; call++) {
        int k = (call + thread) % keys;
        seen[k][call / keys] = limiter.begin(key("shared-" + k), HOUR, now).inWindow();
      }
      return seen;
    });

    for (int k = 0; k < keys; k++) {
      int index = k;
      long[] inWindow = perThread.stream().flatMapToLong(seen -> Arrays.stream(seen[index])).toArray();
      assertExactlyOneToN(inWindow, "inWindow values of key " + k + " of " + keys + " keys begun from "
          + THREADS + " threads");
    }
  }

  /** AL-10: a limiter that declares it is shared across instances counts each key once for all of them. */
  @Test
  @DisplayName("AL-10 a limiter shared across instances counts once for all of them")
  void al10_sharedAcrossInstancesCountsOnce() {
    assumeTrue(limiter.sharedAcrossInstances(), "the limiter does not declare sharedAcrossInstances()");
    AttemptLimiter otherInstance = Objects.requireNonNull(newLimiter(), "newLimiter() returned null");
    String key = key("cluster");
    List<long[]> perThread = Concurrently.run(THREADS, thread -> {
      AttemptLimiter instance = thread % 2 == 0 ? limiter : otherInstance;
      return IntStream.range(0, CALLS_PER_THREAD)
          .mapToLong(i -> instance.begin(key, HOUR, TEN_O_CLOCK.plusSeconds(50)).inWindow()).toArray();
    });

    long[] inWindow = perThread.stream().flatMapToLong(Arrays::stream).toArray();
    assertExactlyOneToN(inWindow, "inWindow values of concurrent begin calls on one key through two instances");
  }

  private long[] beginRepeatedly(String key, Instant now, int times) {
    return IntStream.range(0, times).mapToLong(i -> limiter.begin(key, HOUR, now).inWindow()).toArray();
  }

  private void assertNextBegin(String key, Instant now, AttemptCounts expected, String what) {
    assertThat(limiter.begin(key, HOUR, now)).as(what).isEqualTo(expected);
  }

  /** A fresh key with three attempts and then a success, all at {@code now}. */
  private String threeAttemptsThenSucceeded(String name, Instant now) {
    String key = key(name);
    beginRepeatedly(key, now, 3);
    limiter.succeeded(key, HOUR, now);
    return key;
  }

  private String key(String name) {
    return keyPrefix + name;
  }

  private static void assertExactlyOneToN(long[] values, String what) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    assertThat(Arrays.stream(sorted).distinct().count()).as("distinct %s (a repeat means two calls got the same count)",
        what).isEqualTo(n);
    assertThat(sorted[0]).as("smallest of %s", what).isEqualTo(1);
    assertThat(sorted[n - 1]).as("largest of %s", what).isEqualTo(n);
  }
}
