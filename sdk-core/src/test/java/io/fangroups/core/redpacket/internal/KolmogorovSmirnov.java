package io.fangroups.core.redpacket.internal;

import java.util.Arrays;

/**
 * The two-sample Kolmogorov–Smirnov test: the statistic D (the largest gap between the two
 * empirical distribution functions) and its asymptotic p-value. Ties are stepped over together, so
 * integer samples are handled; with ties the test is conservative (the p-value is, if anything, too
 * high). The fairness study in benchmarks ({@code RedPacketFairness}) runs this class too, through
 * this module's test jar, which holds it alone.
 */
final class KolmogorovSmirnov {
  private KolmogorovSmirnov() {}

  /** D = sup |F_a(x) − F_b(x)|. Sorts copies; the arguments are left as they are. */
  static double statistic(long[] a, long[] b) {
    long[] x = a.clone();
    long[] y = b.clone();
    Arrays.sort(x);
    Arrays.sort(y);
    int i = 0;
    int j = 0;
    double d = 0;
    while (i < x.length && j < y.length) {
      long v = Math.min(x[i], y[j]);
      while (i < x.length && x[i] == v) {
        i++;
      }
      while (j < y.length && y[j] == v) {
        j++;
      }
      d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
    }
    return d;
  }

  /** P(D ≥ d) for samples of n and m drawn from one distribution, asymptotically (Stephens' correction). */
  static double pValue(double d, int n, int m) {
    double effective = Math.sqrt((double) n * m / (n + m));
    return q((effective + 0.12 + 0.11 / effective) * d);
  }

  /** Q_KS(λ) = 2 Σ (−1)^(j−1) e^(−2 j² λ²), the Kolmogorov distribution's upper tail. */
  static double q(double lambda) {
    if (lambda <= 0) {
      return 1;
    }
    if (lambda < 1.18) {
      // The alternating series converges slowly here; the theta-function form converges fast.
      double y = Math.exp(-Math.PI * Math.PI / (8 * lambda * lambda));
      double sum = 0;
      for (int j = 1; j <= 9; j += 2) {
        sum += Math.pow(y, (double) j * j);
      }
      return Math.min(1, Math.max(0, 1 - Math.sqrt(2 * Math.PI) / lambda * sum));
    }
    double sum = 0;
    for (int j = 1; j <= 100; j++) {
      double term = Math.exp(-2.0 * j * j * lambda * lambda);
      sum += (j % 2 == 1 ? term : -term);
      if (term < 1e-17) {
        break;
      }
    }
    return Math.min(1, Math.max(0, 2 * sum));
  }
}
