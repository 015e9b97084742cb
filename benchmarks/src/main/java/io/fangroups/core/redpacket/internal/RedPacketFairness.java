package io.fangroups.core.redpacket.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The red packet fairness study (issue 12), printed as Markdown for {@code benchmarks/README.md}.
 * Not a JMH benchmark: a simulation. It lives in package {@code io.fangroups.core.redpacket.internal}
 * (this module is not published; sdk-core is on the class path) to reach the package-private
 * {@link Splits#doubleMean}, the exact sequence {@link Splits#lucky} shuffles, so the comparison is
 * of our code with and without the permutation, and the package-private {@code KolmogorovSmirnov}
 * of sdk-core's fairness test (from its test jar), so both run one statistic.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.fangroups.core.redpacket.internal.RedPacketFairness [packets]}
 * (default 100,000 packets a table). Each table uses a {@link SplittableRandom} with a fixed seed,
 * so the output is reproducible; production draws from {@code SecureRandom}.
 *
 * <p>Per claim position k: min, max, mean, standard deviation, and the two-sample
 * Kolmogorov–Smirnov statistic D of position k against position 1 with its asymptotic p-value, and
 * how often position k got its packet's largest share.
 * Position 1's sample comes from the first half of the packets and position k's from the second
 * half, so the samples are independent as the test assumes; row 1 compares position 1 in the two
 * halves (a control: it should look like noise).
 */
public final class RedPacketFairness {
  private static final long SEED = 20_261_212L;

  private RedPacketFairness() {}

  /** One way to split a packet; the shares come back in claim order. */
  private interface Scheme {
    long[] split(long amount, int count, RandomGenerator random);
  }

  /** Each scheme has its own seed: with one seed, lucky's packets would reuse double mean's draws. */
  private record Named(String name, long seed, Scheme scheme) {}

  private static final Named LUCKY = new Named("`Splits.lucky` (double mean, shuffled)", SEED,
      (amount, count, random) -> Splits.lucky(amount, count, 1, random));
  private static final Named DOUBLE_MEAN = new Named("double mean in claim order (`Splits.doubleMean`, not shuffled)",
      SEED + 1, (amount, count, random) -> Splits.doubleMean(amount, count, 1, random));
  private static final Named COMPOSITION = new Named("uniform random composition (candidate, not implemented in sdk-core)",
      SEED + 2, RedPacketFairness::uniformComposition);

  public static void main(String[] args) {
    int packets = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long started = System.nanoTime();
    study(packets, 8_888, 10, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    study(packets, 20_000, 100, new int[] {1, 2, 3, 5, 10, 25, 50, 75, 90, 95, 98, 99, 100});
    System.out.printf(Locale.ROOT, "%n(%,d packets a table, seeds %d, +1, +2, %.1f s)%n", packets, SEED,
        (System.nanoTime() - started) / 1e9);
  }

  private static void study(int packets, long amount, int count, int[] shown) {
    System.out.printf(Locale.ROOT, "### %d shares of %,d fen (%s CNY), %,d packets, minimum 1 fen%n%n",
        count, amount, yuan(amount), packets);
    long[][] lucky = simulate(LUCKY, packets, amount, count);
    long[][] doubleMean = simulate(DOUBLE_MEAN, packets, amount, count);
    positionTable(LUCKY, lucky, shown);
    positionTable(DOUBLE_MEAN, doubleMean, shown);
    long[][] composition = simulate(COMPOSITION, packets, amount, count);
    shapeTable(amount, count, new Named[] {LUCKY, DOUBLE_MEAN, COMPOSITION},
        new long[][][] {lucky, doubleMean, composition});
  }

  /** shares[position][packet], every packet checked exact and at least 1 fen a share. */
  private static long[][] simulate(Named scheme, int packets, long amount, int count) {
    SplittableRandom random = new SplittableRandom(scheme.seed());
    long[][] byPosition = new long[count][packets];
    for (int p = 0; p < packets; p++) {
      long[] shares = scheme.scheme().split(amount, count, random);
      long sum = 0;
      for (int k = 0; k < count; k++) {
        if (shares[k] < 1) {
          throw new AssertionError(scheme.name() + ": share below the minimum");
        }
        sum += shares[k];
        byPosition[k][p] = shares[k];
      }
      if (sum != amount) {
        throw new AssertionError(scheme.name() + ": shares sum to " + sum + ", not " + amount);
      }
    }
    return byPosition;
  }

  private static void positionTable(Named scheme, long[][] byPosition, int[] shown) {
    int count = byPosition.length;
    int packets = byPosition[0].length;
    long[] firstHalf = Arrays.copyOfRange(byPosition[0], 0, packets / 2);
    double[] d = new double[count];
    double[] p = new double[count];
    for (int k = 0; k < count; k++) {
      long[] secondHalf = Arrays.copyOfRange(byPosition[k], packets / 2, packets);
      d[k] = KolmogorovSmirnov.statistic(firstHalf, secondHalf);
      p[k] = KolmogorovSmirnov.pValue(d[k], firstHalf.length, secondHalf.length);
    }
    double[] best = bestInPacket(byPosition);
    System.out.printf("%s:%n%n", scheme.name());
    System.out.println("| position | min | max | mean | std dev | P(largest in its packet) | KS D vs 1 | p-value |");
    System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int position : shown) {
      long[] shares = byPosition[position - 1];
      double mean = Arrays.stream(shares).average().orElseThrow();
      double variance = Arrays.stream(shares).mapToDouble(s -> (s - mean) * (s - mean)).sum() / (shares.length - 1);
      System.out.printf(Locale.ROOT, "| %d | %,d | %,d | %,.1f | %,.1f | %s | %.4f | %s |%n", position,
          Arrays.stream(shares).min().orElseThrow(), Arrays.stream(shares).max().orElseThrow(), mean,
          Math.sqrt(variance), percent(best[position - 1]), d[position - 1], pValueText(p[position - 1]));
    }
    double smallest = 1;
    int smallestAt = 2;
    int rejected = 0;
    double bonferroni = 0.01 / (count - 1);
    for (int k = 1; k < count; k++) {
      if (p[k] < smallest) {
        smallest = p[k];
        smallestAt = k + 1;
      }
      if (p[k] < bonferroni) {
        rejected++;
      }
    }
    System.out.printf(Locale.ROOT, "%nPositions 2–%d against 1: smallest p %s (position %d); %d of %d rejected at "
        + "p < %.2g (1%% overall, Bonferroni).%n%n", count, pValueText(smallest), smallestAt, rejected, count - 1,
        bonferroni);
  }

  /** Per position, the share of packets in which it got the largest share (手气最佳; ties count for each). */
  private static double[] bestInPacket(long[][] byPosition) {
    int count = byPosition.length;
    int packets = byPosition[0].length;
    double[] best = new double[count];
    for (int p = 0; p < packets; p++) {
      long largest = 0;
      for (int k = 0; k < count; k++) {
        largest = Math.max(largest, byPosition[k][p]);
      }
      for (int k = 0; k < count; k++) {
        best[k] += byPosition[k][p] == largest ? 1.0 / packets : 0;
      }
    }
    return best;
  }

  /** The shape a fan sees, over all shares and positions. */
  private static void shapeTable(long amount, int count, Named[] schemes, long[][][] results) {
    double mean = (double) amount / count;
    System.out.printf(Locale.ROOT, "Shape of the shares (mean share %s fen):%n%n", trim(mean));
    System.out.println("| scheme | std dev | largest share seen | mean of each packet's largest | "
        + "P(share > 2× mean) | P(share > 3× mean) | P(share < 2× min) | P(share < 10% of mean) |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (int s = 0; s < schemes.length; s++) {
      long[][] byPosition = results[s];
      int packets = byPosition[0].length;
      double total = (double) packets * count;
      double squares = 0;
      long largest = 0;
      double sumOfPacketLargest = 0;
      long overTwice = 0;
      long overThrice = 0;
      long belowTwiceMin = 0;
      long belowTenth = 0;
      for (int p = 0; p < packets; p++) {
        long packetLargest = 0;
        for (int k = 0; k < count; k++) {
          long share = byPosition[k][p];
          squares += (share - mean) * (share - mean);
          packetLargest = Math.max(packetLargest, share);
          overTwice += share > 2 * mean ? 1 : 0;
          overThrice += share > 3 * mean ? 1 : 0;
          belowTwiceMin += share < 2 ? 1 : 0;
          belowTenth += share < mean / 10 ? 1 : 0;
        }
        largest = Math.max(largest, packetLargest);
        sumOfPacketLargest += packetLargest;
      }
      double meanLargest = sumOfPacketLargest / packets;
      System.out.printf(Locale.ROOT, "| %s | %,.1f | %,d (%.2f×) | %,.0f (%.2f×) | %s | %s | %s | %s |%n",
          schemes[s].name(), Math.sqrt(squares / (total - 1)), largest, largest / mean, meanLargest,
          meanLargest / mean, percent(overTwice / total), percent(overThrice / total), percent(belowTwiceMin / total),
          percent(belowTenth / total));
    }
    System.out.println();
  }

  // ---- candidate (a), for the comparison only ----

  /**
   * Every composition of the surplus into {@code count} non-negative parts equally likely (stars and
   * bars): {@code count − 1} bars among {@code surplus + count − 1} places, chosen by Floyd's
   * sampling and sorted; a share is 1 fen plus the stars between two bars.
   */
  private static long[] uniformComposition(long amount, int count, RandomGenerator random) {
    long surplus = amount - count;
    long places = surplus + count - 1;
    Set<Long> bars = new HashSet<>();
    for (long j = places - (count - 1); j < places; j++) {
      long t = random.nextLong(j + 1);
      bars.add(bars.contains(t) ? j : t);
    }
    long[] sorted = bars.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] shares = new long[count];
    long previous = -1;
    for (int k = 0; k < count - 1; k++) {
      shares[k] = 1 + sorted[k] - previous - 1;
      previous = sorted[k];
    }
    shares[count - 1] = 1 + places - 1 - previous;
    return shares;
  }

  // ---- formatting ----

  private static String pValueText(double p) {
    return p < 1e-16 ? "< 1e-16" : String.format(Locale.ROOT, "%.3g", p);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
  }

  private static String yuan(long fen) {
    return String.format(Locale.ROOT, "%d.%02d", fen / 100, fen % 100);
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? String.format(Locale.ROOT, "%,.0f", value)
        : String.format(Locale.ROOT, "%,.1f", value);
  }
}
