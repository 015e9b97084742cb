package io.fangroups.testkit;

import io.fangroups.spi.PreJoinHook;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A reference {@link PreJoinHook} over a table of verdicts, answering on another thread as a
 * remote host would; attempts not in the table are allowed. Its backend can be made to fail or to
 * never answer.
 */
final class InMemoryPreJoinHook implements PreJoinHook {
  private final Map<JoinAttempt, Verdict> decisions;
  private final Backend backend;

  InMemoryPreJoinHook(Map<JoinAttempt, Verdict> decisions, Backend backend) {
    this.decisions = Map.copyOf(decisions);
    this.backend = backend;
  }

  @Override
  public CompletionStage<Verdict> beforeJoin(JoinAttempt attempt) {
    return switch (backend) {
      case FAILS -> CompletableFuture.failedFuture(new IllegalStateException("risk service unavailable"));
      case SILENT -> new CompletableFuture<>();
      case ANSWERS -> CompletableFuture.supplyAsync(() -> decisions.getOrDefault(attempt, Verdict.allow()));
    };
  }
}
