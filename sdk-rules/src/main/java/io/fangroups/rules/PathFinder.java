package io.fangroups.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds the cheapest paths to eligibility by trying, for every fact the applicant can change, the
 * values where some clause changes its truth (the rule's thresholds and constants), and for time a
 * shared wait that moves all growing facts together. Every candidate is checked by evaluating the
 * rule, so a reported path always allows; candidates that another beats on both wait and action
 * cost are dropped. The search is bounded by {@link #MAX_COMBINATIONS}.
 */
final class PathFinder {
  static final int MAX_COMBINATIONS = 4096;
  static final int MAX_PATHS = 3;
  static final long MAX_WAIT_DAYS = 36_500;
  private static final int MAX_SET_TOGGLES = 6;

  private PathFinder() {}

  /** One value a fact may take on a path; the unchanged value comes first with cost 0. */
  private record Choice(long cost, long bits, Object ref, List<PathStep> steps) {}

  private record Dimension(int slot, List<Choice> choices) {}

  private record Candidate(long waitDays, long cost, List<PathStep> steps, String key) {}

  static List<EligibilityPath> find(Node root, Facts facts, Instant now) {
    Map<Integer, List<Node.Leaf>> leavesBySlot = new TreeMap<>();
    root.forEachLeaf(leaf -> leavesBySlot.computeIfAbsent(leaf.slot, s -> new ArrayList<>()).add(leaf));
    List<Integer> growing = new ArrayList<>();
    List<Dimension> dimensions = new ArrayList<>();
    Dimension wait = waits(leavesBySlot, facts, growing);
    dimensions.add(wait);
    leavesBySlot.forEach((slot, leaves) -> {
      Fact fact = leaves.get(0).fact;
      if (fact.suggestible() && fact.change() == FactChange.USER_ACTION && facts.present(slot)) {
        List<Choice> choices = actions(fact, slot, leaves, facts);
        if (choices.size() > 1) {
          dimensions.add(new Dimension(slot, choices));
        }
      }
    });
    shrink(dimensions);
    List<Candidate> candidates = enumerate(root, facts, dimensions, growing);
    return best(candidates, now);
  }

  private static Dimension waits(Map<Integer, List<Node.Leaf>> leavesBySlot, Facts facts, List<Integer> growing) {
    TreeMap<Long, PathStep> waits = new TreeMap<>();
    leavesBySlot.forEach((slot, leaves) -> {
      Fact fact = leaves.get(0).fact;
      if (fact.change() != FactChange.GROWS_WITH_TIME || !facts.present(slot)) {
        return;
      }
      growing.add(slot);
      if (!fact.suggestible()) {
        return; // it still grows, but its thresholds are never disclosed as a wait
      }
      double now = facts.numberAt(slot);
      for (Node.Leaf leaf : leaves) {
        for (double threshold : leaf.thresholds()) {
          for (long days : new long[] {(long) Math.ceil(threshold - now), (long) Math.floor(threshold - now) + 1}) {
            if (days > 0 && days <= MAX_WAIT_DAYS) {
              waits.putIfAbsent(days, PathStep.of(PathStep.Kind.WAIT, fact.name(), Long.toString(days), days));
            }
          }
        }
      }
    });
    List<Choice> choices = new ArrayList<>();
    choices.add(new Choice(0, 0, null, List.of()));
    waits.forEach((days, step) -> choices.add(new Choice(days, days, null, List.of(step))));
    return new Dimension(-1, choices);
  }

  private static List<Choice> actions(Fact fact, int slot, List<Node.Leaf> leaves, Facts facts) {
    List<Choice> choices = new ArrayList<>();
    choices.add(new Choice(0, facts.bits[slot], facts.refs[slot], List.of()));
    String name = fact.name();
    switch (fact.type()) {
      case NUMBER -> {
        double now = facts.numberAt(slot);
        TreeSet<Double> targets = new TreeSet<>();
        for (Node.Leaf leaf : leaves) {
          for (double threshold : leaf.thresholds()) {
            targets.add(Math.ceil(threshold));
            targets.add(Math.floor(threshold) + 1);
          }
        }
        for (double target : targets.tailSet(now, false)) {
          choices.add(new Choice((long) Math.ceil(target - now), Double.doubleToRawLongBits(target), null,
              List.of(PathStep.of(PathStep.Kind.RAISE, name, Format.number(target), (long) Math.ceil(target - now)))));
        }
      }
      case BOOLEAN -> {
        boolean now = facts.bits[slot] != 0;
        choices.add(new Choice(1, now ? 0 : 1, null,
            List.of(PathStep.of(now ? PathStep.Kind.DISABLE : PathStep.Kind.ENABLE, name, Boolean.toString(!now), 1))));
      }
      case STRING -> {
        TreeSet<String> targets = new TreeSet<>();
        leaves.forEach(leaf -> targets.addAll(leaf.strings()));
        targets.remove((String) facts.refs[slot]);
        for (String target : targets) {
          choices.add(new Choice(1, 0, target, List.of(PathStep.of(PathStep.Kind.CHANGE, name, target, 1))));
        }
      }
      case STRING_SET -> choices.addAll(toggles(name, leaves, leaves.get(0).setAt(facts)));
      case INSTANT -> { }
    }
    choices.sort(Comparator.comparingLong(Choice::cost));
    return choices;
  }

  /** Every non-empty combination of joining or leaving the sets' mentioned elements. */
  private static List<Choice> toggles(String name, List<Node.Leaf> leaves, Set<String> now) {
    TreeSet<String> mentioned = new TreeSet<>();
    leaves.forEach(leaf -> mentioned.addAll(leaf.strings()));
    List<String> elements = new ArrayList<>(mentioned).subList(0, Math.min(mentioned.size(), MAX_SET_TOGGLES));
    List<Choice> choices = new ArrayList<>();
    for (int mask = 1; mask < 1 << elements.size(); mask++) {
      Set<String> next = new HashSet<>(now);
      List<PathStep> steps = new ArrayList<>();
      for (int i = 0; i < elements.size(); i++) {
        if ((mask & 1 << i) != 0) {
          String element = elements.get(i);
          boolean member = now.contains(element);
          steps.add(PathStep.of(member ? PathStep.Kind.LEAVE : PathStep.Kind.JOIN, name, element, 1));
          if (member) {
            next.remove(element);
          } else {
            next.add(element);
          }
        }
      }
      choices.add(new Choice(steps.size(), 0, Set.copyOf(next), steps));
    }
    return choices;
  }

  /** Drops the dearest choices of the widest dimension until the search fits the bound. */
  private static void shrink(List<Dimension> dimensions) {
    while (combinations(dimensions) > MAX_COMBINATIONS) {
      Dimension widest = dimensions.stream().max(Comparator.comparingInt(d -> d.choices().size())).orElseThrow();
      widest.choices().remove(widest.choices().size() - 1);
    }
  }

  private static long combinations(List<Dimension> dimensions) {
    long product = 1;
    for (Dimension dimension : dimensions) {
      product = Math.min(product * dimension.choices().size(), Long.MAX_VALUE / 1024);
    }
    return product;
  }

  private static List<Candidate> enumerate(Node root, Facts facts, List<Dimension> dimensions, List<Integer> growing) {
    List<Candidate> found = new ArrayList<>();
    Facts scratch = facts.copy();
    int[] index = new int[dimensions.size()];
    do {
      long wait = dimensions.get(0).choices().get(index[0]).bits();
      for (int slot : growing) {
        scratch.bits[slot] = Double.doubleToRawLongBits(facts.numberAt(slot) + wait);
      }
      long cost = 0;
      List<PathStep> steps = new ArrayList<>(dimensions.get(0).choices().get(index[0]).steps());
      for (int d = 1; d < dimensions.size(); d++) {
        Dimension dimension = dimensions.get(d);
        Choice choice = dimension.choices().get(index[d]);
        scratch.bits[dimension.slot()] = choice.bits();
        scratch.refs[dimension.slot()] = choice.ref();
        cost += choice.cost();
        steps.addAll(choice.steps());
      }
      if (!steps.isEmpty() && root.eval(scratch) == Truth.T) {
        found.add(new Candidate(wait, cost, steps, key(steps)));
      }
    } while (next(index, dimensions));
    return found;
  }

  private static boolean next(int[] index, List<Dimension> dimensions) {
    for (int d = 0; d < index.length; d++) {
      if (++index[d] < dimensions.get(d).choices().size()) {
        return true;
      }
      index[d] = 0;
    }
    return false;
  }

  private static String key(List<PathStep> steps) {
    StringBuilder key = new StringBuilder();
    steps.forEach(step -> key.append(step.kind()).append(' ').append(step.fact()).append(' ').append(step.target()).append(';'));
    return key.toString();
  }

  /** Keeps the candidates no other beats on both wait and cost; cheapest actions first, then shortest wait. */
  private static List<EligibilityPath> best(List<Candidate> candidates, Instant now) {
    List<EligibilityPath> paths = new ArrayList<>();
    candidates.stream()
        .filter(c -> candidates.stream().noneMatch(d -> d.waitDays() <= c.waitDays() && d.cost() <= c.cost()
            && (d.waitDays() < c.waitDays() || d.cost() < c.cost())))
        .sorted(Comparator.comparingLong(Candidate::cost).thenComparingLong(Candidate::waitDays).thenComparing(Candidate::key))
        .limit(MAX_PATHS)
        .forEach(c -> paths.add(new EligibilityPath(c.waitDays(), now.plus(Duration.ofDays(c.waitDays())), c.cost(), c.steps())));
    return paths;
  }
}
