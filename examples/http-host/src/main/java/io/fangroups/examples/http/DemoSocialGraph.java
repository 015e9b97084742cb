package io.fangroups.examples.http;

import io.fangroups.spi.FactSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the host's social graph: facts about each fan, served through the fact-source SPI.
 * A real host answers from its follow and fan-club tables, in one batched query.
 */
public final class DemoSocialGraph implements FactSource {
  private final Map<String, Map<String, Object>> facts = new ConcurrentHashMap<>();

  /**
   * The fans the README's curl lines use: {@code old-fan} (40 days, fan-club level 4),
   * {@code new-fan} (3 days, level 1) and {@code casual-fan} (12 days, not in the fan club).
   */
  public static DemoSocialGraph withDemoFans() {
    DemoSocialGraph graph = new DemoSocialGraph();
    graph.put("old-fan", Map.of("days_following", 40, "fan_club_member", true, "fan_club_level", 4));
    graph.put("new-fan", Map.of("days_following", 3, "fan_club_member", true, "fan_club_level", 1));
    graph.put("casual-fan", Map.of("days_following", 12, "fan_club_member", false));
    return graph;
  }

  /** Sets {@code user}'s facts, replacing earlier ones. */
  public void put(String user, Map<String, Object> userFacts) {
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
