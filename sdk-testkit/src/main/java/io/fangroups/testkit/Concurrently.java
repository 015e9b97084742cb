package io.fangroups.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Runs work on real threads released together, so the calls under test overlap as much as they can. */
final class Concurrently {
  private Concurrently() {}

  /**
   * Runs {@code work} once on each of {@code threads} threads, all started from one gate, and returns
   * what each returned, in thread order. A failure on any thread fails the caller with its cause.
   */
  static <T> List<T> run(int threads, IntFunction<T> work) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch gate = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          gate.await();
          return work.apply(thread);
        }));
      }
      gate.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the worker threads", e);
    } catch (ExecutionException e) {
      throw new AssertionError("a worker thread failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
