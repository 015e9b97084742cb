package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {

  @Test
  void run_returnsEachThreadsResultInThreadOrder() {
    assertThat(Concurrently.run(5, thread -> "t" + thread)).containsExactly("t0", "t1", "t2", "t3", "t4");
  }

  @Test
  void run_workMayReturnNull() {
    assertThat(Concurrently.run(2, thread -> null)).containsExactly(null, null);
  }

  @Test
  void run_runsEveryThreadAtOnce() {
    // Each thread waits for all the others: this completes only if they all run at the same time.
    int threads = 6;
    CyclicBarrier all = new CyclicBarrier(threads);

    List<Integer> arrivals = Concurrently.run(threads, thread -> {
      try {
        return all.await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });

    assertThat(arrivals).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
  }

  @Test
  void run_aThreadThrows_failsWithWhatItThrew() {
    IllegalStateException broken = new IllegalStateException("broken");

    assertThatThrownBy(() -> Concurrently.run(3, thread -> {
      if (thread == 1) {
        throw broken;
      }
      return thread;
    })).isInstanceOf(AssertionError.class).hasCause(broken);
  }

  @Test
  void run_noThreads_isRefused() {
    assertThatThrownBy(() -> Concurrently.run(0, thread -> thread))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
  }

  @Test
  void outcomes_countsReturnedNamesAndRefusalsByTheirName() {
    Map<String, Integer> outcomes = Concurrently.outcomes(100, 8, n -> {
      if (n % 4 == 0) {
        throw new Refused(n % 8 == 0 ? "FULL" : "BANNED");
      }
      return "JOINED";
    }, Refused.class, Refused::getMessage);

    assertThat(outcomes).containsExactly(Map.entry("BANNED", 12), Map.entry("FULL", 13), Map.entry("JOINED", 75));
  }

  @Test
  void outcomes_runsEachAttemptExactlyOnce() {
    Set<Integer> seen = ConcurrentHashMap.newKeySet();

    Map<String, Integer> outcomes = Concurrently.outcomes(1000, 16,
        n -> seen.add(n) ? "first" : "again", Refused.class, Refused::getMessage);

    assertThat(outcomes).containsExactly(Map.entry("first", 1000));
    assertThat(seen).hasSize(1000).allMatch(n -> n >= 0 && n < 1000);
  }

  @Test
  void outcomes_anotherException_failsTheRun() {
    IllegalStateException bug = new IllegalStateException("a bug, not a refusal");

    assertThatThrownBy(() -> Concurrently.outcomes(10, 2, n -> {
      throw bug;
    }, Refused.class, Refused::getMessage)).isInstanceOf(AssertionError.class).hasCause(bug);
  }

  @Test
  void outcomes_noAttempts_isEmpty() {
    assertThat(Concurrently.outcomes(0, 4, n -> "never", Refused.class, Refused::getMessage)).isEmpty();
  }

  /** A refusal whose message is its outcome's name. */
  private static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String name) {
      super(name);
    }
  }
}
