package io.fangroups.core.redpacket.internal;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * How a red packet's amount is split into shares, decided once when the packet is sent: the shares
 * are recorded in the packet's event and a claim takes the next one. Amounts are in minor units
 * (fen); every share is at least the minimum and the shares sum to the amount exactly.
 *
 * <p>{@link #lucky} is the familiar "double mean" sequence put in a uniformly random order. The
 * sequence alone is not fair in order (later claims spread wider, the last takes the rest); the
 * permutation makes the vector exchangeable: every claim position has the same distribution.
 * Why this scheme and not a uniform random composition: {@code docs/red-packet-split.md}.
 */
public final class Splits {
  private Splits() {}

  /**
   * A lucky packet's shares, in claim order: the double-mean sequence (each draw uniform in
   * {@code [minShare, 2 × remaining mean − minShare]}, the last share the rest) shuffled uniformly.
   * O(count) time, two draws from {@code random} per share.
   *
   * @throws IllegalArgumentException if {@code count < 1}, {@code minShare < 1} or
   *     {@code amount < count × minShare}
   */
  public static long[] lucky(long amount, int count, long minShare, RandomGenerator random) {
    long[] shares = doubleMean(amount, count, minShare, random);
    shuffle(shares, random);
    return shares;
  }

  /**
   * Equal shares of {@code amount / count}.
   *
   * @throws IllegalArgumentException if {@code count < 1}, {@code amount < count} or
   *     {@code amount} is not a multiple of {@code count}
   */
  public static long[] equal(long amount, int count) {
    check(amount, count, 1);
    if (amount % count != 0) {
      throw new IllegalArgumentException("amount " + amount + " is not a multiple of count " + count
          + "; an equal packet needs amount = count × share");
    }
    long[] shares = new long[count];
    Arrays.fill(shares, amount / count);
    return shares;
  }

  /**
   * The double-mean sequence in the order it was drawn. Package-private on purpose: claimed in this
   * order it is unfair (the fairness test and the study in {@code benchmarks} compare against it);
   * {@link #lucky} is this plus the shuffle.
   *
   * <p>It splits the surplus over the minimums: draw k of r remaining takes
   * {@code x ~ uniform[0, ⌊2 × surplus / r⌋]}, so its mean is the remaining mean and it never takes
   * more than the surplus left (2 / r ≤ 1 for r ≥ 2); the classic draw, uniform in
   * {@code [min, 2 × mean]} clamped so the others keep their minimum, differs from it by at most
   * {@code minShare}.
   */
  static long[] doubleMean(long amount, int count, long minShare, RandomGenerator random) {
    check(amount, count, minShare);
    long surplus = amount - count * minShare; // no overflow: check() multiplied exactly
    long[] shares = new long[count];
    for (int k = 0; k < count - 1; k++) {
      int remaining = count - k;
      // ⌊2s / r⌋ without computing 2s, which may overflow: 2⌊s / r⌋ + ⌊2(s mod r) / r⌋.
      long upper = 2 * (surplus / remaining) + 2 * (surplus % remaining) / remaining;
      long x = upper == Long.MAX_VALUE ? random.nextLong() >>> 1 : random.nextLong(upper + 1);
      shares[k] = minShare + x;
      surplus -= x;
    }
    shares[count - 1] = minShare + surplus;
    return shares;
  }

  /** Fisher–Yates: every one of the count! orders equally likely, independent of the values. */
  private static void shuffle(long[] shares, RandomGenerator random) {
    for (int i = shares.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long t = shares[i];
      shares[i] = shares[j];
      shares[j] = t;
    }
  }

  private static void check(long amount, int count, long minShare) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, was " + count);
    }
    if (minShare < 1) {
      throw new IllegalArgumentException("minShare must be at least 1 minor unit, was " + minShare);
    }
    long floor;
    try {
      floor = Math.multiplyExact(count, minShare);
    } catch (ArithmeticException overflow) {
      throw new IllegalArgumentException("count × minShare overflows a long: " + count + " × " + minShare, overflow);
    }
    if (amount < floor) {
      throw new IllegalArgumentException("amount " + amount + " is less than count × minimum share = " + count
          + " × " + minShare + "; raise the amount or lower the count");
    }
  }
}
