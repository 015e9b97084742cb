package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  void of_withoutZone_showsTheStartInUtc() {
    MutableClock clock = MutableClock.of(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void of_withZone_reportsThatZone() {
    assertThat(MutableClock.of(START, SHANGHAI).getZone()).isEqualTo(SHANGHAI);
  }

  @Test
  void instant_untilMoved_standsStill() {
    MutableClock clock = MutableClock.of(START);
    clock.instant();

    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void advance_movesForwardAndReturnsTheNewInstant() {
    MutableClock clock = MutableClock.of(START);

    assertThat(clock.advance(Duration.ofHours(1))).isEqualTo(START.plusSeconds(3600));
    assertThat(clock.advance(Duration.ZERO)).isEqualTo(START.plusSeconds(3600));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(3600));
  }

  @Test
  void advance_negativeDuration_isRefusedAndLeavesTheClock() {
    MutableClock clock = MutableClock.of(START);

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("set(Instant)");
    assertThat(clock.instant()).isEqualTo(START);
  }

  @Test
  void set_movesForwardOrBack() {
    MutableClock clock = MutableClock.of(START);

    clock.set(START.plusSeconds(60));
    assertThat(clock.instant()).isEqualTo(START.plusSeconds(60));
    clock.set(START.minusSeconds(60));
    assertThat(clock.instant()).isEqualTo(START.minusSeconds(60));
  }

  @Test
  void withZone_sharesTheTimeBothWays() {
    MutableClock utc = MutableClock.of(START);
    MutableClock shanghai = utc.withZone(SHANGHAI);

    utc.advance(Duration.ofMinutes(5));
    assertThat(shanghai.instant()).isEqualTo(START.plusSeconds(300));
    shanghai.set(START);
    assertThat(utc.instant()).isEqualTo(START);
    assertThat(shanghai.getZone()).isEqualTo(SHANGHAI);
    assertThat(utc.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void withZone_sameZone_returnsThisClock() {
    MutableClock clock = MutableClock.of(START, SHANGHAI);

    assertThat(clock.withZone(ZoneId.of("Asia/Shanghai"))).isSameAs(clock);
  }

  @Test
  void equals_onlyClocksSharingTimeAndZone() {
    MutableClock clock = MutableClock.of(START);
    MutableClock shanghai = clock.withZone(SHANGHAI);

    assertThat(shanghai.withZone(ZoneOffset.UTC)).isEqualTo(clock).hasSameHashCodeAs(clock);
    assertThat(shanghai).isNotEqualTo(clock);
    assertThat(MutableClock.of(START)).as("another clock at the same instant").isNotEqualTo(clock);
  }

  @Test
  void advance_fromManyThreads_losesNoMove() {
    MutableClock clock = MutableClock.of(START);
    int threads = 8;
    int movesPerThread = 10_000;

    Concurrently.run(threads, thread -> {
      for (int i = 0; i < movesPerThread; i++) {
        clock.advance(Duration.ofMillis(1));
      }
      return null;
    });

    assertThat(clock.instant()).isEqualTo(START.plusMillis((long) threads * movesPerThread));
  }

  @Test
  void of_nullArguments_areRefusedByName() {
    assertThatThrownBy(() -> MutableClock.of(null)).hasMessage("start");
    assertThatThrownBy(() -> MutableClock.of(START, null)).hasMessage("zone");
  }
}
