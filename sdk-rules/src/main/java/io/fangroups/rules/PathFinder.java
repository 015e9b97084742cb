package io.fangroups.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds the cheapest paths to eligibility by trying, for every fact the applicant can change, the
 * values where some clause changes its truth (the rule's thresholds and constants), and for time a
 * shared wait that moves all growing facts together. Every candidate is checked by evaluating the
 * rule, so a reported path always allows; candidates that another beats on both wait and action
 * cost are dropped. The search is bounded by {@link #MAX_COMBINATIONS}. What depends only on the
 * rule (which facts, which thresholds) is planned once at compile time; a search keeps its choices
 * in primitive arrays and makes steps only for the paths it returns.
 */
final class PathFinder {
  static final int MAX_COMBINATIONS = 4096;
  static final int MAX_PATHS = 3;
  static final long MAX_WAIT_DAYS = 36_500;
  private static final int MAX_SET_TOGGLES = 6;

  /** A fact the rule reads, with its number thresholds ascending and its string constants. */
  private record Plan(int slot, Fact fact, double[] thresholds, List<String> strings) {}

  /**
   * The values one fact may take on a path, cheapest first; choice 0 leaves it as it is. The wait
   * has no slot and no type: its choices are days, each named by the fact whose threshold asked
   * for it ({@code details}); a set toggle's steps are made up front, also in {@code details}.
   * Numbers and yes/no facts need neither {@code refs} nor {@code details}, and get none.
   */
  private static final class Dimension {
    final int slot;
    final String fact;
    final @Nullable FactType type;
    int size;
    long[] costs;
    long[] bits;
    @Nullable Object @Nullable [] refs;
    @Nullable Object @Nullable [] details;

    Dimension(int slot, String fact, @Nullable FactType type, int capacity) {
      this.slot = slot;
      this.fact = fact;
      this.type = type;
      this.costs = new long[capacity];
      this.bits = new long[capacity];
      boolean text = type == FactType.STRING || type == FactType.STRING_SET;
      this.refs = text ? new Object[capacity] : null;
      this.details = type == null || type == FactType.STRING_SET ? new Object[capacity] : null;
    }

    void insert(int at, long cost, long value, @Nullable Object ref, @Nullable Object detail) {
      if (size == costs.length) {
        int capacity = size * 2 + 1;
        costs = Arrays.copyOf(costs, capacity);
        bits = Arrays.copyOf(bits, capacity);
        refs = refs == null ? null : Arrays.copyOf(refs, capacity);
        details = details == null ? null : Arrays.copyOf(details, capacity);
      }
      int moved = size - at;
      if (moved > 0) { // choices mostly arrive in order: appending moves nothing
        System.arraycopy(costs, at, costs, at + 1, moved);
        System.arraycopy(bits, at, bits, at + 1, moved);
        if (refs != null) {
          System.arraycopy(refs, at, refs, at + 1, moved);
        }
        if (details != null) {
          System.arraycopy(details, at, details, at + 1, moved);
        }
      }
      costs[at] = cost;
      bits[at] = value;
      if (refs != null) {
        refs[at] = ref;
      }
      if (details != null) {
        details[at] = detail;
      }
      size++;
    }

    void add(long cost, long value, @Nullable Object ref, @Nullable Object detail) {
      insert(size, cost, value, ref, detail);
    }

    /** Adds a choice keeping {@code bits} ascending after the unchanged one, once per value. */
    void addAscending(long cost, long value, @Nullable Object detail) {
      int at = size;
      while (at > 1 && bits[at - 1] >= value) {
        at--;
      }
      if (at == size || bits[at] != value) {
        insert(at, cost, value, null, detail);
      }
    }

    @SuppressWarnings("unchecked")
    void addSteps(int choice, List<PathStep> out) {
      long cost = costs[choice];
      if (type == null) {
        out.add(PathStep.of(PathStep.Kind.WAIT, (String) details[choice], Format.integer(cost), cost));
        return;
      }
      switch (type) {
        case NUMBER -> out.add(PathStep.of(PathStep.Kind.RAISE, fact, Format.number(Facts.decode(bits[choice])), cost));
        case BOOLEAN -> {
          boolean on = bits[choice] != 0;
          out.add(PathStep.of(on ? PathStep.Kind.ENABLE : PathStep.Kind.DISABLE, fact, Boolean.toString(on), cost));
        }
        case STRING -> out.add(PathStep.of(PathStep.Kind.CHANGE, fact, (String) refs[choice], cost));
        case STRING_SET -> out.addAll((List<PathStep>) details[choice]);
        case INSTANT -> throw new AssertionError("instants are never actionable");
      }
    }
  }

  /**
   * The combinations no other beats on both wait and cost: entry i is {@code (wait, cost,
   * enumeration ordinal)} at {@code 3 * i}. A frontier stays small (one entry per wait at most,
   * plus ties), so it is scanned, not indexed.
   */
  private static final class Frontier {
    int size;
    long[] entries = new long[3 * 2];

    long wait(int i) {
      return entries[3 * i];
    }

    long cost(int i) {
      return entries[3 * i + 1];
    }

    int ordinal(int i) {
      return (int) entries[3 * i + 2];
    }

    void offer(long wait, long cost, int ordinal) {
      int kept = 0;
      for (int i = 0; i < size; i++) {
        long w = wait(i);
        long c = cost(i);
        if (w <= wait && c <= cost && (w < wait || c < cost)) {
          return; // beaten, so it beats none of the others (they do not beat each other)
        }
        if (!(wait <= w && cost <= c && (wait < w || cost < c))) {
          System.arraycopy(entries, 3 * i, entries, 3 * kept, 3);
          kept++;
        }
      }
      if (3 * kept == entries.length) {
        entries = Arrays.copyOf(entries, entries.length * 2);
      }
      entries[3 * kept] = wait;
      entries[3 * kept + 1] = cost;
      entries[3 * kept + 2] = ordinal;
      size = kept + 1;
    }

    /** Whether entry i comes before entry j: cheapest actions, then shortest wait, then found first. */
    boolean before(int i, int j) {
      return cost(i) != cost(j) ? cost(i) < cost(j) : wait(i) != wait(j) ? wait(i) < wait(j) : ordinal(i) < ordinal(j);
    }
  }

  private final Node root;
  private final Plan[] growing;
  private final Plan[] actionable;

  PathFinder(Node root) {
    this.root = root;
    List<Plan> growing = new ArrayList<>();
    List<Plan> actionable = new ArrayList<>();
    for (SlotConstants constants : SlotConstants.of(root)) {
      Fact fact = constants.fact();
      double[] thresholds = Arrays.stream(constants.points()).mapToDouble(Facts::decode).toArray();
      Plan plan = new Plan(constants.slot(), fact, thresholds, constants.strings());
      if (fact.change() == FactChange.GROWS_WITH_TIME) {
        growing.add(plan); // it grows whether or not it may be disclosed
      } else if (fact.suggestible() && fact.type() != FactType.INSTANT) {
        actionable.add(plan);
      }
    }
    this.growing = growing.toArray(new Plan[0]);
    this.actionable = actionable.toArray(new Plan[0]);
  }

  List<EligibilityPath> find(Facts facts, Instant now) {
    Dimension[] dimensions = new Dimension[1 + actionable.length];
    dimensions[0] = waits(facts);
    int count = 1;
    for (Plan plan : actionable) {
      if (facts.present(plan.slot())) {
        Dimension choices = actions(plan, facts);
        if (choices.size > 1) {
          dimensions[count++] = choices;
        }
      }
    }
    int[] sizes = new int[count];
    for (int d = 0; d < count; d++) {
      sizes[d] = dimensions[d].size;
    }
    shrink(sizes);
    return best(enumerate(facts, dimensions, sizes), dimensions, sizes, now);
  }

  private Dimension waits(Facts facts) {
    int capacity = 1;
    for (Plan plan : growing) {
      capacity += 2 * plan.thresholds().length;
    }
    Dimension waits = new Dimension(-1, "", null, capacity);
    waits.add(0, 0, null, null);
    for (Plan plan : growing) {
      if (!plan.fact().suggestible() || !facts.present(plan.slot())) {
        continue; // a sensitive fact's thresholds are never disclosed as a wait
      }
      double now = facts.numberAt(plan.slot());
      for (double threshold : plan.thresholds()) {
        addWait(waits, (long) Math.ceil(threshold - now), plan.fact().name());
        addWait(waits, (long) Math.floor(threshold - now) + 1, plan.fact().name());
      }
    }
    return waits;
  }

  /** A wait of so many days, once; the first fact to ask for it names it. */
  private static void addWait(Dimension waits, long days, String fact) {
    if (days > 0 && days <= MAX_WAIT_DAYS) {
      waits.addAscending(days, days, fact);
    }
  }

  private static Dimension actions(Plan plan, Facts facts) {
    int slot = plan.slot();
    String name = plan.fact().name();
    FactType type = plan.fact().type();
    int capacity = switch (type) {
      case NUMBER -> 1 + 2 * plan.thresholds().length;
      case BOOLEAN -> 2;
      case STRING -> 1 + plan.strings().size();
      case STRING_SET, INSTANT -> 1 + (1 << Math.min(MAX_SET_TOGGLES, plan.strings().size()));
    };
    Dimension choices = new Dimension(slot, name, type, capacity);
    choices.add(0, facts.bits[slot], facts.refs[slot], null);
    switch (plan.fact().type()) {
      case NUMBER -> {
        // The whole values just past each threshold, above the fact: numbers are only raised.
        double now = facts.numberAt(slot);
        for (double threshold : plan.thresholds()) {
          addRaise(choices, now, Math.ceil(threshold));
          addRaise(choices, now, Math.floor(threshold) + 1);
        }
      }
      case BOOLEAN -> {
        boolean now = facts.bits[slot] != 0;
        if (!now || plan.fact().change() != FactChange.USER_GAIN) {
          choices.add(1, now ? 0 : 1, null, null);
        }
      }
      case STRING -> {
        for (String target : plan.strings()) {
          if (!target.equals(facts.refs[slot])) {
            choices.add(1, 0, target, null);
          }
        }
      }
      case STRING_SET -> toggles(choices, plan.strings(), (Set<?>) facts.refs[slot],
          plan.fact().change() == FactChange.USER_GAIN);
      case INSTANT -> throw new AssertionError("instants are never actionable");
    }
    return choices;
  }

  private static void addRaise(Dimension choices, double now, double target) {
    if (target > now) {
      choices.addAscending((long) Math.ceil(target - now), Facts.encode(target), null);
    }
  }

  /** Every non-empty combination of joining or leaving the set elements the rule mentions, fewest first. */
  private static void toggles(Dimension choices, List<String> mentioned, Set<?> now, boolean gainOnly) {
    List<String> elements = mentioned.stream().filter(e -> !gainOnly || !now.contains(e))
        .limit(MAX_SET_TOGGLES).toList();
    List<Object[]> toggles = new ArrayList<>();
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
          steps.add(PathStep.of(member ? PathStep.Kind.LEAVE : PathStep.Kind.JOIN, choices.fact, element, 1));
        }
      }
      toggles.add(new Object[] {Set.copyOf(next), List.copyOf(steps)});
    }
    toggles.sort(Comparator.comparingInt(t -> ((List<?>) t[1]).size())); // stable: mask order within a size
    for (Object[] toggle : toggles) {
      choices.add(((List<?>) toggle[1]).size(), 0, toggle[0], toggle[1]);
    }
  }

  /** Drops the dearest choices of the widest dimension (the first on a tie) until the search fits the bound. */
  private static void shrink(int[] sizes) {
    while (combinations(sizes) > MAX_COMBINATIONS) {
      int widest = 0;
      for (int d = 1; d < sizes.length; d++) {
        if (sizes[d] > sizes[widest]) {
          widest = d;
        }
      }
      sizes[widest]--;
    }
  }

  private static long combinations(int[] sizes) {
    long product = 1;
    for (int size : sizes) {
      product = Math.min(product * size, Long.MAX_VALUE / 1024);
    }
    return product;
  }

  private Frontier enumerate(Facts facts, Dimension[] dimensions, int[] sizes) {
    Frontier frontier = new Frontier();
    Facts scratch = facts.copy();
    int[] index = new int[sizes.length];
    int ordinal = 0;
    long appliedWait = 0;
    while (SlotConstants.next(index, sizes)) { // the all-unchanged combination is skipped: it does not allow
      ordinal++;
      long wait = dimensions[0].bits[index[0]];
      if (wait != appliedWait) {
        for (Plan plan : growing) {
          if (facts.present(plan.slot())) {
            scratch.bits[plan.slot()] = Facts.encode(facts.numberAt(plan.slot()) + wait);
          }
        }
        appliedWait = wait;
      }
      long cost = 0;
      for (int d = 1; d < sizes.length; d++) {
        Dimension dimension = dimensions[d];
        int choice = index[d];
        scratch.bits[dimension.slot] = dimension.bits[choice];
        if (dimension.refs != null) {
          scratch.refs[dimension.slot] = dimension.refs[choice];
        }
        cost += dimension.costs[choice];
      }
      if (root.eval(scratch) == Truth.T) {
        frontier.offer(wait, cost, ordinal);
      }
    }
    return frontier;
  }

  /** The first {@link #MAX_PATHS} of the frontier: cheapest actions, then shortest wait, then enumeration order. */
  private static List<EligibilityPath> best(Frontier frontier, Dimension[] dimensions, int[] sizes, Instant now) {
    int count = Math.min(MAX_PATHS, frontier.size);
    int[] order = new int[count];
    for (int taken = 0; taken < count; taken++) {
      int best = -1;
      for (int i = 0; i < frontier.size; i++) {
        if (!contains(order, taken, i) && (best < 0 || frontier.before(i, best))) {
          best = i;
        }
      }
      order[taken] = best;
    }
    EligibilityPath[] paths = new EligibilityPath[count];
    Instant start = Facts.clamp(now);
    for (int p = 0; p < count; p++) {
      List<PathStep> steps = new ArrayList<>(sizes.length);
      int rest = frontier.ordinal(order[p]);
      for (int d = 0; d < sizes.length; d++) { // the ordinal in mixed radix, the wait's digit first
        int choice = rest % sizes[d];
        rest /= sizes[d];
        if (choice != 0) {
          dimensions[d].addSteps(choice, steps);
        }
      }
      long wait = frontier.wait(order[p]);
      // Kept in years 0 to 9999, so that any 'now' (even Instant.MAX) gives a date a zone can show.
      Instant from = Facts.clamp(start.plusSeconds(wait * 86_400L));
      paths[p] = new EligibilityPath(wait, from, frontier.cost(order[p]), Lists.copyOf(steps));
    }
    return Lists.copyOf(Arrays.asList(paths));
  }

  private static boolean contains(int[] values, int length, int value) {
    for (int i = 0; i < length; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }
}
