package io.fangroups.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Finds the cheapest paths to eligibility by trying, for every fact the applicant can change, the
 * values where some clause changes its truth (the rule's thresholds and constants), and for time a
 * shared wait that moves all growing facts together. Every candidate is checked by evaluating the
 * rule, so a reported path always allows; candidates that another beats on both wait and action
 * cost are dropped. The search is bounded by {@link #MAX_COMBINATIONS}. What depends only on the
 * rule (which facts, which thresholds) is planned once at compile time.
 */
final class PathFinder {
  static final int MAX_COMBINATIONS = 4096;
  static final int MAX_PATHS = 3;
  static final long MAX_WAIT_DAYS = 36_500;
  private static final int MAX_SET_TOGGLES = 6;

  /** One value a fact may take on a path; the unchanged value comes first with cost 0. */
  private record Choice(long cost, long bits, @Nullable Object ref, List<PathStep> steps) {}

  private record Dimension(int slot, List<Choice> choices) {}

  private record Candidate(long waitDays, long cost, int[] choices) {}

  private final Node root;
  private final List<SlotConstants> growing;
  private final List<SlotConstants> actionable;

  PathFinder(Node root) {
    this.root = root;
    List<SlotConstants> growing = new ArrayList<>();
    List<SlotConstants> actionable = new ArrayList<>();
    for (SlotConstants plan : SlotConstants.of(root)) {
      Fact fact = plan.fact();
      if (fact.change() == FactChange.GROWS_WITH_TIME) {
        growing.add(plan); // it grows whether or not it may be disclosed
      } else if (fact.suggestible() && fact.type() != FactType.INSTANT) {
        actionable.add(plan);
      }
    }
    this.growing = List.copyOf(growing);
    this.actionable = List.copyOf(actionable);
  }

  List<EligibilityPath> find(Facts facts, Instant now) {
    List<Dimension> dimensions = new ArrayList<>();
    dimensions.add(waits(facts));
    for (SlotConstants plan : actionable) {
      if (facts.present(plan.slot())) {
        List<Choice> choices = actions(plan, facts);
        if (choices.size() > 1) {
          dimensions.add(new Dimension(plan.slot(), choices));
        }
      }
    }
    shrink(dimensions);
    return best(enumerate(facts, dimensions), dimensions, now);
  }

  private Dimension waits(Facts facts) {
    TreeMap<Long, String> waits = new TreeMap<>();
    for (SlotConstants plan : growing) {
      if (!plan.fact().suggestible() || !facts.present(plan.slot())) {
        continue; // a sensitive fact's thresholds are never disclosed as a wait
      }
      double now = facts.numberAt(plan.slot());
      for (long point : plan.points()) {
        double threshold = Facts.decode(point);
        for (long days : new long[] {(long) Math.ceil(threshold - now), (long) Math.floor(threshold - now) + 1}) {
          if (days > 0 && days <= MAX_WAIT_DAYS) {
            waits.putIfAbsent(days, plan.fact().name());
          }
        }
      }
    }
    List<Choice> choices = new ArrayList<>();
    choices.add(new Choice(0, 0, null, List.of()));
    waits.forEach((days, fact) -> choices.add(new Choice(days, days, null,
        List.of(PathStep.of(PathStep.Kind.WAIT, fact, Long.toString(days), days)))));
    return new Dimension(-1, choices);
  }

  private static List<Choice> actions(SlotConstants plan, Facts facts) {
    int slot = plan.slot();
    String name = plan.fact().name();
    List<Choice> choices = new ArrayList<>();
    choices.add(new Choice(0, facts.bits[slot], facts.refs[slot], List.of()));
    switch (plan.fact().type()) {
      case NUMBER -> {
        double now = facts.numberAt(slot);
        TreeSet<Double> targets = new TreeSet<>();
        for (long point : plan.points()) {
          double threshold = Facts.decode(point);
          targets.add(Math.ceil(threshold));
          targets.add(Math.floor(threshold) + 1);
        }
        for (double target : targets.tailSet(now, false)) {
          long cost = (long) Math.ceil(target - now);
          choices.add(new Choice(cost, Facts.encode(target), null,
              List.of(PathStep.of(PathStep.Kind.RAISE, name, Format.number(target), cost))));
        }
      }
      case BOOLEAN -> {
        boolean now = facts.bits[slot] != 0;
        if (!now || plan.fact().change() != FactChange.USER_GAIN) {
          choices.add(new Choice(1, now ? 0 : 1, null, List.of(
              PathStep.of(now ? PathStep.Kind.DISABLE : PathStep.Kind.ENABLE, name, Boolean.toString(!now), 1))));
        }
      }
      case STRING -> {
        for (String target : plan.strings()) {
          if (!target.equals(facts.refs[slot])) {
            choices.add(new Choice(1, 0, target, List.of(PathStep.of(PathStep.Kind.CHANGE, name, target, 1))));
          }
        }
      }
      case STRING_SET -> choices.addAll(toggles(name, plan.strings(), (Set<?>) facts.refs[slot],
          plan.fact().change() == FactChange.USER_GAIN));
      case INSTANT -> throw new AssertionError("instants are never actionable");
    }
    choices.sort(Comparator.comparingLong(Choice::cost));
    return choices;
  }

  /** Every non-empty combination of joining or leaving the set elements the rule mentions. */
  private static List<Choice> toggles(String name, List<String> mentioned, Set<?> now, boolean gainOnly) {
    List<String> elements = mentioned.stream().filter(e -> !gainOnly || !now.contains(e))
        .limit(MAX_SET_TOGGLES).toList();
    List<Choice> choices = new ArrayList<>();
    for (int mask = 1; mask < 1 << elements.size(); mask++) {
      Set<Object> next = new HashSet<>(now);
      List<PathStep> steps = new ArrayList<>();
      for (int i = 0; i < elements.size(); i++) {
        if ((mask & 1 << i) != 0) {
          String element = elements.get(i);
          boolean member = next.remove(element);
          if (!member) {
            next.add(element);
          }
          steps.add(PathStep.of(member ? PathStep.Kind.LEAVE : PathStep.Kind.JOIN, name, element, 1));
        }
      }
      choices.add(new Choice(steps.size(), 0, Set.copyOf(next), List.copyOf(steps)));
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

  private List<Candidate> enumerate(Facts facts, List<Dimension> dimensions) {
    List<Candidate> found = new ArrayList<>();
    Facts scratch = facts.copy();
    int[] index = new int[dimensions.size()];
    int[] sizes = dimensions.stream().mapToInt(d -> d.choices().size()).toArray();
    while (SlotConstants.next(index, sizes)) { // the all-unchanged combination is skipped: it does not allow
      long wait = dimensions.get(0).choices().get(index[0]).bits();
      for (SlotConstants plan : growing) {
        if (facts.present(plan.slot())) {
          scratch.bits[plan.slot()] = Facts.encode(facts.numberAt(plan.slot()) + wait);
        }
      }
      long cost = 0;
      for (int d = 1; d < dimensions.size(); d++) {
        Dimension dimension = dimensions.get(d);
        Choice choice = dimension.choices().get(index[d]);
        scratch.bits[dimension.slot()] = choice.bits();
        scratch.refs[dimension.slot()] = choice.ref();
        cost += choice.cost();
      }
      if (root.eval(scratch) == Truth.T) {
        found.add(new Candidate(wait, cost, index.clone()));
      }
    }
    return found;
  }

  /** Keeps the candidates no other beats on both wait and cost; cheapest actions first, then shortest wait. */
  private static List<EligibilityPath> best(List<Candidate> candidates, List<Dimension> dimensions, Instant now) {
    // Ties on (cost, wait) keep enumeration order, which follows the fixed dimension and choice order.
    return candidates.stream()
        .filter(c -> candidates.stream().noneMatch(d -> d.waitDays() <= c.waitDays() && d.cost() <= c.cost()
            && (d.waitDays() < c.waitDays() || d.cost() < c.cost())))
        .sorted(Comparator.comparingLong(Candidate::cost).thenComparingLong(Candidate::waitDays))
        .limit(MAX_PATHS)
        .map(c -> {
          List<PathStep> steps = new ArrayList<>();
          for (int d = 0; d < dimensions.size(); d++) {
            steps.addAll(dimensions.get(d).choices().get(c.choices()[d]).steps());
          }
          // Kept in years 0 to 9999, so that any 'now' (even Instant.MAX) gives a date a zone can show.
          Instant from = Facts.clamp(Facts.clamp(now).plusSeconds(c.waitDays() * 86_400L));
          return new EligibilityPath(c.waitDays(), from, c.cost(), steps);
        })
        .toList();
  }
}
