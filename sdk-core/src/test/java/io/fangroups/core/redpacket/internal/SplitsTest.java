package io.fangroups.core.redpacket.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class SplitsTest {
  private static final long MAX_AMOUNT = 1_000_000_000_000L;
  private static final int MAX_COUNT = 10_000;
  private static final long MAX_MIN_SHARE = 1_000_000;

  // ---- properties ----

  /** Mostly 1 fen (the default) and small minimums, sometimes large ones. */
  private static Gen<Long> minShares() {
    return longs().between(1, 3).mix(longs().between(1, MAX_MIN_SHARE));
  }

  /** What is left over the minimums: often nothing or a little (tight packets), otherwise up to 10^12. */
  private static Gen<Long> surpluses() {
    return longs().between(0, 100).mix(longs().between(0, MAX_AMOUNT - MAX_COUNT * MAX_MIN_SHARE));
  }

  @Test
  void property_lucky_sumsToTheAmountExactlyWithEveryShareAtLeastTheMinimum() {
    qt().withExamples(1_000).forAll(integers().between(1, MAX_COUNT), minShares(), surpluses(), longs().all())
        .checkAssert((count, minShare, surplus, seed) -> {
          long amount = count * minShare + surplus;
          long[] shares = Splits.lucky(amount, count, minShare, new SplittableRandom(seed));
          assertThat(shares).hasSize(count);
          assertThat(Arrays.stream(shares).sum()).isEqualTo(amount);
          assertThat(Arrays.stream(shares).min().getAsLong()).isGreaterThanOrEqualTo(minShare);
        });
  }

  @Test
  void property_equal_sharesAreAllAmountOverCount() {
    qt().withExamples(1_000).forAll(integers().between(1, MAX_COUNT), longs().between(1, MAX_AMOUNT / MAX_COUNT))
        .checkAssert((count, share) -> {
          long[] shares = Splits.equal(count * share, count);
          assertThat(shares).hasSize(count).containsOnly(share);
        });
  }

  // ---- edges and preconditions ----

  @Test
  void lucky_amountIsExactlyTheMinimums_givesEveryoneTheMinimum() {
    assertThat(Splits.lucky(10_000, 100, 100, new SplittableRandom(1))).hasSize(100).containsOnly(100L);
    assertThat(Splits.lucky(7, 1, 1, new SplittableRandom(1))).containsExactly(7L);
  }

  @Test
  void lucky_largestSupportedPacket_sumsExactly() {
    long[] shares = Splits.lucky(MAX_AMOUNT, MAX_COUNT, 1, new SplittableRandom(2));
    assertThat(shares).hasSize(MAX_COUNT);
    assertThat(Arrays.stream(shares).sum()).isEqualTo(MAX_AMOUNT);
    assertThat(Arrays.stream(shares).min().getAsLong()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void lucky_amountNearLongMax_doesNotOverflow() {
    long[] shares = Splits.lucky(Long.MAX_VALUE, 2, 1, new SplittableRandom(3));
    assertThat(shares[0] + shares[1]).isEqualTo(Long.MAX_VALUE);
    assertThat(Math.min(shares[0], shares[1])).isGreaterThanOrEqualTo(1);
    shares = Splits.lucky(Long.MAX_VALUE - 5, 7, 1, new SplittableRandom(4));
    assertThat(Arrays.stream(shares).sum()).isEqualTo(Long.MAX_VALUE - 5);
  }

  @Test
  void lucky_invalidArguments_throwNamingTheSetting() {
    SplittableRandom random = new SplittableRandom(5);
    assertThatThrownBy(() -> Splits.lucky(100, 0, 1, random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count");
    assertThatThrownBy(() -> Splits.lucky(100, 10, 0, random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minShare");
    assertThatThrownBy(() -> Splits.lucky(99, 10, 10, random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount 99");
    assertThatThrownBy(() -> Splits.lucky(Long.MAX_VALUE, 10, Long.MAX_VALUE / 2, random))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overflows");
  }

  @Test
  void equal_amountNotAMultipleOfCount_throws() {
    assertThatThrownBy(() -> Splits.equal(100, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a multiple");
    assertThatThrownBy(() -> Splits.equal(2, 3))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount 2");
  }

  // ---- fairness ----

  private static final int PACKETS = 20_000;
  private static final int SHARES = 10;
  private static final long AMOUNT = 8_888; // 88.88 CNY

  private interface Scheme {
    long[] split(SplittableRandom random);
  }

  /** shares[position][packet]. */
  private static long[][] byPosition(Scheme scheme, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    long[][] byPosition = new long[SHARES][PACKETS];
    for (int p = 0; p < PACKETS; p++) {
      long[] shares = scheme.split(random);
      for (int k = 0; k < SHARES; k++) {
        byPosition[k][p] = shares[k];
      }
    }
    return byPosition;
  }

  /**
   * p-values of position k (k = 2..10, index 1..9) against position 1. Position 1 is taken from the
   * first half of the packets and position k from the second half, so the two samples are
   * independent as the test assumes (shares of one packet are negatively correlated).
   */
  private static double[] pValuesAgainstFirst(long[][] byPosition) {
    long[] first = Arrays.copyOfRange(byPosition[0], 0, PACKETS / 2);
    double[] p = new double[SHARES];
    for (int k = 1; k < SHARES; k++) {
      long[] other = Arrays.copyOfRange(byPosition[k], PACKETS / 2, PACKETS);
      p[k] = KolmogorovSmirnov.pValue(KolmogorovSmirnov.statistic(first, other), first.length, other.length);
    }
    return p;
  }

  @Test
  void lucky_everyClaimPositionHasTheFirstPositionsDistribution() {
    double[] p = pValuesAgainstFirst(byPosition(r -> Splits.lucky(AMOUNT, SHARES, 1, r), 20_260_001));
    for (int k = 1; k < SHARES; k++) {
      // 9 comparisons at an overall 1%: Bonferroni gives about 0.001 each.
      assertThat(p[k]).as("KS p-value, position %d vs 1", k + 1).isGreaterThan(0.001);
    }
  }

  @Test
  void doubleMeanInClaimOrder_lastPositionIsDistributedDifferently() {
    double[] p = pValuesAgainstFirst(byPosition(r -> Splits.doubleMean(AMOUNT, SHARES, 1, r), 20_260_001));
    assertThat(p[SHARES - 1]).as("KS p-value, position 10 vs 1").isLessThan(1e-6);
  }

  // ---- the test's own statistics ----

  @Test
  void kolmogorovSmirnov_knownValues() {
    assertThat(KolmogorovSmirnov.statistic(new long[] {1, 2, 3}, new long[] {4, 5, 6})).isEqualTo(1.0);
    assertThat(KolmogorovSmirnov.statistic(new long[] {1, 2, 2, 3}, new long[] {3, 2, 1, 2})).isEqualTo(0.0);
    assertThat(KolmogorovSmirnov.statistic(new long[] {1, 2, 3, 4}, new long[] {3, 4, 5, 6})).isEqualTo(0.5);
    // Tabulated critical values of the Kolmogorov distribution: Q(1.358) = 0.05, Q(1.628) = 0.01.
    assertThat(KolmogorovSmirnov.q(1.358)).isCloseTo(0.05, within(5e-4));
    assertThat(KolmogorovSmirnov.q(1.628)).isCloseTo(0.01, within(1e-4));
    assertThat(KolmogorovSmirnov.q(0.5)).isCloseTo(0.9639, within(1e-4));
    // Both branches meet at 1.18.
    assertThat(KolmogorovSmirnov.q(1.17999)).isCloseTo(KolmogorovSmirnov.q(1.18001), within(5e-5));
  }
}
