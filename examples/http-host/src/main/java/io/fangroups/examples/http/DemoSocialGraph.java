package io.fangroups.examples.http;

import io.fangroups.spi.FactSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the host's social graph, shaped the way a platform holds it: one typed row per fan
 * (relative to the creator), turned into the named facts a rule asks for. A real host reads the rows
 * of all the query's users in one batched lookup; facts it has no column for stay unknown.
 */
public final class DemoSocialGraph implements FactSource {
  /**
   * One fan's row.
   *
   * @param daysFollowing whole days since the fan followed the creator
   * @param fanClubMember whether the fan is in the creator's fan club
   * @param fanClubLevel the fan-club level, 0 outside the club
   */
  public record FanRow(int daysFollowing, boolean fanClubMember, int fanClubLevel) {}

  private final Map<String, FanRow> rows = new ConcurrentHashMap<>();

  /**
   * The fans the README's curl lines use: {@code old-fan} (40 days, fan-club level 4),
   * {@code new-fan} (3 days, level 1) and {@code casual-fan} (12 days, not in the fan club).
   * Everyone else is unknown.
   */
  public static DemoSocialGraph withDemoFans() {
    DemoSocialGraph graph = new DemoSocialGraph();
    graph.put("old-fan", new FanRow(40, true, 4));
    graph.put("new-fan", new FanRow(3, true, 1));
    graph.put("casual-fan", new FanRow(12, false, 0));
    return graph;
  }

  /** Sets {@code user}'s row, replacing an earlier one. */
  public void put(String user, FanRow row) {
    rows.put(user, row);
  }

  @Override
  public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
    Map<String, UserFacts> answer = new HashMap<>();
    for (String user : query.userIds()) {
      FanRow row = rows.get(user);
      Map<String, Object> values = new HashMap<>();
      if (row != null) {
        for (String fact : query.facts()) {
          column(row, fact).ifPresent(value -> values.put(fact, value));
        }
      }
      answer.put(user, UserFacts.of(values));
    }
    return CompletableFuture.completedFuture(answer);
  }

  private static Optional<Object> column(FanRow row, String fact) {
    return switch (fact) {
      case "days_following" -> Optional.of(row.daysFollowing());
      case "fan_club_member" -> Optional.of(row.fanClubMember());
      case "fan_club_level" -> Optional.of(row.fanClubLevel());
      default -> Optional.empty();
    };
  }
}
