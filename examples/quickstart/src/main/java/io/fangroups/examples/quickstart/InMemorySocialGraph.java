package io.fangroups.examples.quickstart;

import io.fangroups.spi.FactSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A host's social graph in miniature: facts per fan, served through the fact-source SPI. */
final class InMemorySocialGraph implements FactSource {
  private final Map<String, Map<String, Object>> facts = new ConcurrentHashMap<>();

  void put(String user, Map<String, Object> userFacts) {
    facts.put(user, Map.copyOf(userFacts));
  }

  @Override
  public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
    Map<String, UserFacts> answer = new HashMap<>();
    for (String user : query.userIds()) {
      Map<String, Object> known = new HashMap<>(facts.getOrDefault(user, Map.of()));
      known.keySet().retainAll(query.facts()); // answer only what the rule reads
      answer.put(user, UserFacts.of(known));
    }
    return CompletableFuture.completedFuture(answer);
  }
}
