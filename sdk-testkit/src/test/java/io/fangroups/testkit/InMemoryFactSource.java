package io.fangroups.testkit;

import io.fangroups.spi.FactSource;
import io.fangroups.testkit.FactSourceCompatibilityKit.KnownFact;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * A reference {@link FactSource} over an in-memory table, answering on another thread as a remote
 * host would. Its backend can be made to fail or to never answer.
 */
final class InMemoryFactSource implements FactSource {
  private final Map<String, Map<String, Object>> factsByCreatorAndUser = new ConcurrentHashMap<>();
  private final Backend backend;
  private final Executor executor = ForkJoinPool.commonPool();

  InMemoryFactSource(List<KnownFact> known, Backend backend) {
    this.backend = backend;
    for (KnownFact fact : known) {
      factsByCreatorAndUser.computeIfAbsent(row(fact.creatorId(), fact.userId()), r -> new ConcurrentHashMap<>())
          .put(fact.fact(), fact.value());
    }
  }

  @Override
  public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
    return switch (backend) {
      case FAILS -> CompletableFuture.failedFuture(new IllegalStateException("fact backend unavailable"));
      case SILENT -> new CompletableFuture<>();
      case ANSWERS -> CompletableFuture.supplyAsync(() -> answer(query), executor);
    };
  }

  private Map<String, UserFacts> answer(FactQuery query) {
    Map<String, UserFacts> answer = new HashMap<>();
    for (String userId : query.userIds()) {
      Map<String, Object> row = factsByCreatorAndUser.getOrDefault(row(query.creatorId(), userId), Map.of());
      Map<String, Object> values = new HashMap<>();
      query.facts().forEach(fact -> {
        Object value = row.get(fact);
        if (value != null) {
          values.put(fact, value);
        }
      });
      answer.put(userId, UserFacts.of(values));
    }
    return answer;
  }

  private static String row(String creatorId, String userId) {
    return creatorId + "\u0000" + userId;
  }
}
