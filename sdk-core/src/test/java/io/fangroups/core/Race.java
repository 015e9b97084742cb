package io.fangroups.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Many attempts released together on a thread pool, counted by outcome (shared with the examples' tests). */
public final class Race {
  private Race() {}

  /**
   * Runs {@code attempts} calls of {@code attempt} on {@code threads} threads released together;
   * counts what they return, and a refusal by its error code. Anything else thrown fails the race.
   */
  public static Map<String, Integer> outcomes(int attempts, int threads, IntFunction<String> attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    Map<String, Integer> outcomes = new ConcurrentHashMap<>();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          start.await();
          String outcome;
          try {
            outcome = attempt.apply(n);
          } catch (FanGroupsException e) {
            outcome = e.code().name();
          }
          outcomes.merge(outcome, 1, Integer::sum);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return outcomes;
  }
}
