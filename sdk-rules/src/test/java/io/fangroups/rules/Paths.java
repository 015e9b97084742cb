package io.fangroups.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Applying paths to applicants, and the brute-force cheapest paths to compare with. */
final class Paths {
  private static final List<String> GROWING = List.of("days_following", "account_age_days");
  private static final int MAX_WAIT = 25;
  private static final int MAX_LEVEL = 15;

  private Paths() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> apply(EligibilityPath path, Map<String, Object> facts) {
    Map<String, Object> after = new HashMap<>(facts);
    grow(after, path.waitDays());
    for (PathStep step : path.steps()) {
      switch (step.kind()) {
        case WAIT -> { }
        case RAISE -> after.put(step.fact(), Double.parseDouble(step.target()));
        case ENABLE -> after.put(step.fact(), true);
        case DISABLE -> after.put(step.fact(), false);
        case CHANGE -> after.put(step.fact(), step.target());
        case JOIN, LEAVE -> {
          Set<String> set = new HashSet<>((Set<String>) after.get(step.fact()));
          if (step.kind() == PathStep.Kind.JOIN) {
            set.add(step.target());
          } else {
            set.remove(step.target());
          }
          after.put(step.fact(), set);
        }
      }
    }
    return after;
  }

  private static void grow(Map<String, Object> facts, long days) {
    for (String name : GROWING) {
      if (facts.get(name) instanceof Double value) {
        facts.put(name, value + days);
      }
    }
  }

  /**
   * Every (action cost, wait) pair no other valid change beats, sorted by cost then wait, found by
   * trying every wait, level, phone state and group set the small domain allows. Levels only rise.
   */
  @SuppressWarnings("unchecked")
  static List<long[]> bruteForceFrontier(Rule rule, Map<String, Object> facts) {
    Policy policy = Policy.of(rule);
    double level = (Double) facts.get("fan_club_level");
    boolean phone = (Boolean) facts.get("phone_verified");
    Set<String> groups = (Set<String>) facts.get("member_of_groups");
    List<long[]> valid = new ArrayList<>();
    for (int wait = 0; wait <= MAX_WAIT; wait++) {
      for (int target = (int) level; target <= MAX_LEVEL; target++) {
        // phone_verified is a gain: it may be turned on, never off.
        for (boolean newPhone : phone ? new boolean[] {true} : new boolean[] {false, true}) {
          for (int mask = 0; mask < 1 << Generators.GROUPS.size(); mask++) {
            Map<String, Object> after = new HashMap<>(facts);
            grow(after, wait);
            after.put("fan_club_level", (double) target);
            after.put("phone_verified", newPhone);
            Set<String> newGroups = new HashSet<>();
            for (int i = 0; i < Generators.GROUPS.size(); i++) {
              if ((mask & 1 << i) != 0) {
                newGroups.add(Generators.GROUPS.get(i));
              }
            }
            after.put("member_of_groups", newGroups);
            long cost = (long) (target - level) + (newPhone != phone ? 1 : 0)
                + symmetricDifference(groups, newGroups);
            boolean changed = wait > 0 || cost > 0;
            if (changed && ReferenceInterpreter.eval(policy, after) == Truth.TRUE) {
              valid.add(new long[] {cost, wait});
            }
          }
        }
      }
    }
    return valid.stream()
        .filter(c -> valid.stream().noneMatch(d -> d[0] <= c[0] && d[1] <= c[1] && (d[0] < c[0] || d[1] < c[1])))
        .map(c -> c[0] + "/" + c[1]).distinct().sorted(java.util.Comparator
            .comparingLong((String s) -> Long.parseLong(s.split("/")[0])).thenComparingLong(s -> Long.parseLong(s.split("/")[1])))
        .map(s -> new long[] {Long.parseLong(s.split("/")[0]), Long.parseLong(s.split("/")[1])})
        .toList();
  }

  private static int symmetricDifference(Set<String> a, Set<String> b) {
    Set<String> union = new HashSet<>(a);
    union.addAll(b);
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return union.size() - both.size();
  }

  static List<String> show(List<long[]> pairs) {
    return pairs.stream().map(p -> "cost " + p[0] + " wait " + p[1]).toList();
  }
}
