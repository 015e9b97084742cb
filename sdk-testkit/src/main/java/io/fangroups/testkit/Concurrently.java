package io.fangroups.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Runs work on real threads released together from one gate, so the calls under test overlap as
 * much as they can: what the kits use to check that an implementation is thread-safe, and what a
 * host's tests can use to race its own calls.
 *
 * <pre>{@code
 * // 1000 fans redeem a code limited to 3 uses, on 16 threads; a refusal counts by its error code.
 * Map<String, Integer> outcomes = Concurrently.outcomes(1000, 16,
 *     fan -> groups.redeemPasscode(as(user("fan-" + fan)), code, client).joined() ? "JOINED" : "PENDING",
 *     FanGroupsException.class, e -> e.code().name());
 * assertThat(outcomes).containsEntry("JOINED", 3).containsEntry("PASSCODE_EXHAUSTED", 997);
 * }</pre>
 *
 * <p>A failure on any thread fails the caller with an {@link AssertionError} whose cause is what
 * the thread threw; an interrupt of the waiting caller does too. Nothing here times out: a call
 * that never returns hangs the test, which the build's own timeout then reports.
 */
public final class Concurrently {
  private Concurrently() {}

  /**
   * Runs {@code work} once on each of {@code threads} threads, all started from one gate, and
   * returns what each returned, in thread order.
   *
   * @param threads how many threads, at least 1
   * @param work called with the thread's index, {@code 0} to {@code threads - 1}; may return null
   * @param <T> what the work returns
   * @return the results, element {@code i} from thread {@code i}
   * @throws AssertionError if a thread threw (the cause is what it threw), or the caller was
   *     interrupted while waiting
   */
  public static <T extends @Nullable Object> List<T> run(int threads, IntFunction<? extends T> work) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    Objects.requireNonNull(work, "work");
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

  /**
   * Makes {@code attempts} calls of {@code attempt} on {@code threads} threads released together,
   * and counts them by outcome: the name a call returned, or, for a call that threw a
   * {@code refusal}, the name {@code refusalName} gives it. Each attempt runs exactly once; the
   * threads take the next attempt as they finish one.
   *
   * @param attempts how many calls, zero or more
   * @param threads how many threads, at least 1
   * @param attempt called with the attempt's index, {@code 0} to {@code attempts - 1}; returns the
   *     outcome's name
   * @param refusal the exception that is an outcome rather than a failure, e.g. the SDK's
   *     {@code FanGroupsException}
   * @param refusalName the outcome's name for such an exception, e.g. its error code's name
   * @param <E> the refusal's type
   * @return how many attempts had each outcome, sorted by name; outcomes no attempt had are absent
   * @throws AssertionError if an attempt threw anything but a {@code refusal} (the cause is what it
   *     threw), or the caller was interrupted while waiting
   */
  public static <E extends RuntimeException> Map<String, Integer> outcomes(int attempts, int threads,
      IntFunction<String> attempt, Class<E> refusal, Function<? super E, String> refusalName) {
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must be zero or more, got " + attempts);
    }
    Objects.requireNonNull(attempt, "attempt");
    Objects.requireNonNull(refusal, "refusal");
    Objects.requireNonNull(refusalName, "refusalName");
    AtomicInteger next = new AtomicInteger();
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    run(threads, thread -> {
      for (int n = next.getAndIncrement(); n < attempts; n = next.getAndIncrement()) {
        String outcome;
        try {
          outcome = attempt.apply(n);
        } catch (RuntimeException e) {
          if (!refusal.isInstance(e)) {
            throw e;
          }
          outcome = refusalName.apply(refusal.cast(e));
        }
        counts.merge(Objects.requireNonNull(outcome, "an attempt's outcome"), 1, Integer::sum);
      }
      return null;
    });
    return Collections.unmodifiableMap(new TreeMap<>(counts));
  }
}
