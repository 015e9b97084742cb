package io.fangroups.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/** Runs work on real threads that start together, so the calls under test overlap. */
final class Race {
  private Race() {}

  /**
   * Runs {@code work} once on each of {@code threads} threads and returns the results in thread
   * order; a thread's failure is thrown (wrapped in an ExecutionException), one still running after a
   * minute is cancelled.
   */
  static <T> List<T> run(int threads, IntFunction<T> work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CyclicBarrier start = new CyclicBarrier(threads);
    try {
      List<Callable<T>> tasks = IntStream.range(0, threads).<Callable<T>>mapToObj(t -> () -> {
        start.await();
        return work.apply(t);
      }).toList();
      List<T> results = new ArrayList<>();
      for (Future<T> result : pool.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
        results.add(result.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
