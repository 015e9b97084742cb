package io.fangroups.testkit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Waits for the stages an SPI returns. The wait is bounded by a hang guard so that a stage that
 * never completes fails the test instead of hanging the build; the guard is never a performance
 * check, and the kits let the adapter widen it.
 */
final class Stages {
  private Stages() {}

  /** How a call that returns a stage ended. */
  enum Outcome {
    /** The call returned a stage that completed normally. */
    COMPLETED,
    /** The call threw, returned null, or its stage completed exceptionally. */
    FAILED,
    /** The stage did not complete within the hang guard. */
    PENDING
  }

  /**
   * The value of the stage {@code call} returns; fails the test if the call throws or the stage
   * does not complete normally within {@code guard}.
   */
  static <T> T await(String what, Supplier<? extends CompletionStage<T>> call, Duration guard) {
    CompletionStage<T> stage = stageOf(what, call);
    try {
      return stage.toCompletableFuture().get(guard.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " completed exceptionally: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete within the hang guard of " + guard, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  /** The stage {@code call} returns; fails the test if the call throws or returns null. */
  static <T> CompletionStage<T> stageOf(String what, Supplier<? extends CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      throw new AssertionError(what + " threw instead of failing its stage: " + e, e);
    }
    if (stage == null) {
      throw new AssertionError(what + " returned null instead of a stage");
    }
    return stage;
  }

  /**
   * What {@code call} failed with: what it threw, or what its stage completed with within
   * {@code guard}. Fails the test if the call returned null, or its stage completed normally or hung.
   */
  static Throwable failure(String what, Supplier<? extends CompletionStage<?>> call, Duration guard) {
    Throwable failure = failureIfAny(what, call, guard);
    if (failure == null) {
      throw new AssertionError(what + " completed normally; it must fail");
    }
    return failure;
  }

  /**
   * As {@link #failure}, but null when the stage completed normally: for calls that may go either
   * way. Fails the test if the call returned null or its stage hung.
   */
  static @Nullable Throwable failureIfAny(String what, Supplier<? extends CompletionStage<?>> call, Duration guard) {
    CompletionStage<?> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      return e;
    }
    if (stage == null) {
      throw new AssertionError(what + " returned null instead of a stage");
    }
    try {
      stage.toCompletableFuture().get(guard.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(what + " did not complete within the hang guard of " + guard, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }

  /** How {@code call} ended, waiting for its stage at most {@code guard}; never throws for the call's failures. */
  static Outcome outcome(Supplier<? extends CompletionStage<?>> call, Duration guard) {
    try {
      CompletionStage<?> stage = call.get();
      if (stage == null) {
        return Outcome.FAILED;
      }
      stage.toCompletableFuture().get(guard.toMillis(), TimeUnit.MILLISECONDS);
      return Outcome.COMPLETED;
    } catch (RuntimeException | ExecutionException e) {
      return Outcome.FAILED;
    } catch (TimeoutException e) {
      return Outcome.PENDING;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a stage", e);
    }
  }

  /**
   * Runs {@code call} on a fresh daemon thread and returns its result, failing the test if it has not
   * returned within {@code guard}: for calls that must return without waiting for a backend.
   */
  static <T> T returnsWithin(String what, Supplier<T> call, Duration guard) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        result.complete(call.get());
      } catch (RuntimeException | Error e) {
        result.completeExceptionally(e);
      }
    }, "testkit-caller");
    caller.setDaemon(true);
    caller.start();
    try {
      return result.get(guard.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(what + " threw: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(what + " had not returned after the hang guard of " + guard
          + ": it waits for the backend", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + what, e);
    }
  }
}
