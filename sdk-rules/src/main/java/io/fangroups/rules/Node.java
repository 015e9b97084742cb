package io.fangroups.rules;

import static io.fangroups.rules.Truth.F;
import static io.fangroups.rules.Truth.T;
import static io.fangroups.rules.Truth.U;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A node of a compiled rule, in negation normal form: negation sits only on leaves. Evaluation
 * returns {@link Truth#F}, {@link Truth#U} or {@link Truth#T} and allocates nothing.
 *
 * <p>A node that is not true explains itself with what would make it hold: every failing child
 * of an all, but of an any or atLeast only the children the applicant can most cheaply make hold
 * (see {@link #remedy}). So a clause the applicant cannot reasonably change (leaving the fan club,
 * an immutable or sensitive fact) is named only when no alternative would do.
 */
abstract class Node {
  /** The remedy of a clause no suggested change can make hold. */
  static final long NEVER = Long.MAX_VALUE;
  // A remedy packs the action cost above the days of waiting, so that comparing two orders them
  // like the nearest paths: fewest actions first, then shortest wait.
  private static final int WAIT_BITS = 20; // waits never exceed PathFinder.MAX_WAIT_DAYS < 2^20
  private static final long WAIT_MASK = (1L << WAIT_BITS) - 1;
  private static final long MAX_ACTIONS = 1L << 40; // cost estimates saturate here rather than overflow

  abstract int eval(Facts facts);

  /** Relative evaluation cost, used to try cheap children first. */
  abstract int cost();

  /** Adds the reasons that, made to hold, would make this node hold; call only when it is not true. */
  abstract void reasons(Facts facts, List<Reason> out);

  /** Estimates what making this node hold would take, or {@link #NEVER}; call only when it is not true. */
  abstract long remedy(Facts facts);

  abstract void forEachLeaf(Consumer<Leaf> action);

  static long remedy(long actions, long waitDays) {
    return waitDays > PathFinder.MAX_WAIT_DAYS ? NEVER : Math.min(actions, MAX_ACTIONS) << WAIT_BITS | waitDays;
  }

  /** Two remedies taken together: action costs add up, waits run at the same time. */
  static long both(long a, long b) {
    if (a == NEVER || b == NEVER) {
      return NEVER;
    }
    return remedy((a >>> WAIT_BITS) + (b >>> WAIT_BITS), Math.max(a & WAIT_MASK, b & WAIT_MASK));
  }

  /** A constant, left only when a whole rule folds to one (for example {@code all()}). */
  static final class Const extends Node {
    static final Const TRUE = new Const(T);
    static final Const FALSE = new Const(F);
    private final int value;

    private Const(int value) {
      this.value = value;
    }

    static Const of(boolean value) {
      return value ? TRUE : FALSE;
    }

    @Override
    int eval(Facts facts) {
      return value;
    }

    @Override
    int cost() {
      return 0;
    }

    @Override
    void reasons(Facts facts, List<Reason> out) {}

    @Override
    long remedy(Facts facts) {
      return NEVER;
    }

    @Override
    void forEachLeaf(Consumer<Leaf> action) {}
  }

  /**
   * Shared by all, any and atLeast. {@link #kids} keep the written order, in which reasons are
   * given. Evaluation takes the children by kind, in three tight loops: first the range leaves,
   * from flat arrays without a call ({@link #range}), then the other {@link #leaves} (a final
   * method, so a direct call), then the {@link #others}, each cheapest first. Kleene's all, any and
   * atLeast do not depend on the order.
   */
  abstract static class Composite extends Node {
    final Node[] kids;
    private final int cost;
    final int ranges;
    private final int[] rangeSlot;
    private final long[] rangeLow;
    private final long[] rangeHigh;
    private final boolean[] rangeInvert;
    final Leaf[] leaves;
    final Node[] others;

    Composite(List<Node> kids) {
      this.kids = kids.toArray(new Node[0]);
      List<Leaf> rangeLeaves = new ArrayList<>();
      List<Leaf> leaves = new ArrayList<>();
      List<Node> rest = new ArrayList<>();
      int total = 0;
      for (Node kid : this.kids) {
        total += kid.cost();
        if (kid instanceof Leaf leaf) {
          (leaf.test == Leaf.RANGE ? rangeLeaves : leaves).add(leaf);
        } else {
          rest.add(kid);
        }
      }
      leaves.sort(Comparator.comparingInt(Node::cost));
      rest.sort(Comparator.comparingInt(Node::cost));
      this.cost = total;
      this.ranges = rangeLeaves.size();
      this.rangeSlot = new int[ranges];
      this.rangeLow = new long[ranges];
      this.rangeHigh = new long[ranges];
      this.rangeInvert = new boolean[ranges];
      for (int i = 0; i < ranges; i++) {
        Leaf leaf = rangeLeaves.get(i);
        rangeSlot[i] = leaf.slot;
        rangeLow[i] = leaf.low;
        rangeHigh[i] = leaf.high;
        rangeInvert[i] = leaf.invert;
      }
      this.leaves = leaves.toArray(new Leaf[0]);
      this.others = rest.toArray(new Node[0]);
    }

    /** The i-th range leaf, from the flat arrays. */
    final int range(int i, Facts facts) {
      int slot = rangeSlot[i];
      if (facts.state[slot] != Facts.PRESENT) {
        return U;
      }
      long value = facts.bits[slot];
      return (value >= rangeLow[i] && value <= rangeHigh[i]) != rangeInvert[i] ? T : F;
    }

    /** A child that is not a leaf. */
    static int other(Node other, Facts facts) {
      // A type test per kind gives each call a single receiver class, which the JIT can inline;
      // a plain call would go through the virtual table for every nested all, any and atLeast.
      if (other instanceof Any any) {
        return any.eval(facts);
      }
      if (other instanceof All all) {
        return all.eval(facts);
      }
      if (other instanceof AtLeast atLeast) {
        return atLeast.eval(facts);
      }
      return other.eval(facts);
    }

    @Override
    int cost() {
      return cost;
    }

    @Override
    void forEachLeaf(Consumer<Leaf> action) {
      for (Node kid : kids) {
        kid.forEachLeaf(action);
      }
    }
  }

  static final class All extends Composite {
    All(List<Node> kids) {
      super(kids);
    }

    @Override
    int eval(Facts facts) {
      // Three tight loops, one per kind of child, rather than one loop that branches on the kind.
      int result = T;
      for (int i = 0; i < ranges; i++) {
        int value = range(i, facts);
        if (value == F) {
          return F;
        }
        result = Math.min(result, value);
      }
      for (Leaf leaf : leaves) {
        int value = leaf.eval(facts);
        if (value == F) {
          return F;
        }
        result = Math.min(result, value);
      }
      for (Node other : others) {
        int value = other(other, facts);
        if (value == F) {
          return F;
        }
        result = Math.min(result, value);
      }
      return result;
    }

    @Override
    void reasons(Facts facts, List<Reason> out) {
      for (Node kid : kids) {
        if (kid.eval(facts) != T) {
          kid.reasons(facts, out);
        }
      }
    }

    @Override
    long remedy(Facts facts) {
      long total = 0;
      for (Node kid : kids) {
        if (kid.eval(facts) != T) {
          total = both(total, kid.remedy(facts));
        }
      }
      return total;
    }
  }

  static final class Any extends Composite {
    Any(List<Node> kids) {
      super(kids);
    }

    @Override
    int eval(Facts facts) {
      int result = F;
      for (int i = 0; i < ranges; i++) {
        int value = range(i, facts);
        if (value == T) {
          return T;
        }
        result = Math.max(result, value);
      }
      for (Leaf leaf : leaves) {
        int value = leaf.eval(facts);
        if (value == T) {
          return T;
        }
        result = Math.max(result, value);
      }
      for (Node other : others) {
        int value = other(other, facts);
        if (value == T) {
          return T;
        }
        result = Math.max(result, value);
      }
      return result;
    }

    /** Not true, so no child is: the one that is cheapest to make hold, the first written on a tie. */
    private Node cheapest(Facts facts) {
      Node best = kids[0];
      long bestRemedy = best.remedy(facts);
      for (int i = 1; i < kids.length; i++) {
        long remedy = kids[i].remedy(facts);
        if (remedy < bestRemedy) {
          best = kids[i];
          bestRemedy = remedy;
        }
      }
      return best;
    }

    @Override
    void reasons(Facts facts, List<Reason> out) {
      cheapest(facts).reasons(facts, out);
    }

    @Override
    long remedy(Facts facts) {
      return cheapest(facts).remedy(facts);
    }
  }

  static final class AtLeast extends Composite {
    private final int k;

    AtLeast(int k, List<Node> kids) {
      super(kids);
      this.k = k;
    }

    /** True once k children hold, false once more than {@code n - k} fail, else unknown. */
    @Override
    int eval(Facts facts) {
      int trues = 0;
      int falses = 0;
      int allowedFalses = kids.length - k;
      for (int i = 0; i < ranges; i++) {
        int value = range(i, facts);
        if (value == T ? ++trues >= k : value == F && ++falses > allowedFalses) {
          return value;
        }
      }
      for (Leaf leaf : leaves) {
        int value = leaf.eval(facts);
        if (value == T ? ++trues >= k : value == F && ++falses > allowedFalses) {
          return value;
        }
      }
      for (Node other : others) {
        int value = other(other, facts);
        if (value == T ? ++trues >= k : value == F && ++falses > allowedFalses) {
          return value;
        }
      }
      return U;
    }

    /** The children to make hold: as many as k still needs, the cheapest, the first written on a tie. */
    private boolean[] chosen(Facts facts) {
      long[] remedies = new long[kids.length];
      int needed = k;
      for (int i = 0; i < kids.length; i++) {
        boolean holds = kids[i].eval(facts) == T;
        remedies[i] = holds ? -1 : kids[i].remedy(facts);
        needed -= holds ? 1 : 0;
      }
      boolean[] chosen = new boolean[kids.length];
      for (; needed > 0; needed--) {
        int best = -1;
        for (int i = 0; i < kids.length; i++) {
          if (remedies[i] >= 0 && !chosen[i] && (best < 0 || remedies[i] < remedies[best])) {
            best = i;
          }
        }
        chosen[best] = true;
      }
      return chosen;
    }

    @Override
    void reasons(Facts facts, List<Reason> out) {
      boolean[] chosen = chosen(facts);
      for (int i = 0; i < kids.length; i++) {
        if (chosen[i]) {
          kids[i].reasons(facts, out);
        }
      }
    }

    @Override
    long remedy(Facts facts) {
      boolean[] chosen = chosen(facts);
      long total = 0;
      for (int i = 0; i < kids.length; i++) {
        if (chosen[i]) {
          total = both(total, kids[i].remedy(facts));
        }
      }
      return total;
    }
  }

  /**
   * How a failed leaf is put into words: the parts that do not depend on the applicant, built
   * once. {@code operands} are the message parameters between the fact and the actual value.
   */
  private record Wording(ReasonCode code, String messageKey, String expected, String[] operands, Reason unknown,
      Reason restricted) {}

  /**
   * A leaf over one fact slot; {@code negated} flips a present result (never an unknown one).
   * Subclasses only describe the leaf for explanations. Every comparison of a number, boolean or
   * instant is a range check on the stored long, possibly inverted ({@code x < 7} is
   * {@code [-inf, nextDown(7)]}, {@code x != 7} is the inverse of {@code [7, 7]}); composites copy
   * these ranges into flat arrays so that deciding makes no call for them.
   */
  abstract static class Leaf extends Node {
    static final int RANGE = 0;
    static final int STRING_IN = 1;
    static final int SET_CONTAINS = 2;
    static final int STRING_AMONG = 3;

    final int slot;
    final Fact fact;
    final boolean negated;
    final String pointer;
    final int test;
    final boolean invert;
    final long low;
    final long high;
    private final @Nullable Object ref;
    // Built on the first explanation; a benign race, as a Wording is immutable.
    private @Nullable Wording wording;

    private Leaf(int slot, Fact fact, boolean negated, String pointer, int test, boolean inverse, long low, long high,
        @Nullable Object ref) {
      this.slot = slot;
      this.fact = fact;
      this.negated = negated;
      this.pointer = pointer;
      this.test = test;
      this.invert = negated != inverse;
      this.low = low;
      this.high = high;
      this.ref = ref;
    }

    /** The stored long (see {@link Facts#bits}) in {@code [low, high]}, or outside it if {@code inverse}. */
    Leaf(int slot, Fact fact, boolean negated, String pointer, boolean inverse, long low, long high) {
      this(slot, fact, negated, pointer, RANGE, inverse, low, high, null);
    }

    /**
     * A string in the set ({@link #STRING_IN}) or among a few ({@link #STRING_AMONG}), or a string set
     * containing the string ({@link #SET_CONTAINS}).
     */
    Leaf(int slot, Fact fact, boolean negated, String pointer, int test, Object ref) {
      this(slot, fact, negated, pointer, test, false, 0, 0, ref);
    }

    /** The reason code when the leaf, with its negation, does not hold. */
    abstract ReasonCode failure();

    /** The message key: the code's, with a suffix where the wording differs. */
    String messageKey() {
      return failure().messageKey();
    }

    /** What the leaf expects, as rule text ({@code >= 7}). */
    abstract String expected();

    /** The expected value or values as message parameters, without the operator. */
    abstract String[] operands();

    /** The remedy of a present, failing leaf over a fact the applicant may be advised to change. */
    abstract long reachable(Facts facts);

    /** The constants this leaf compares the stored long against, in that encoding (see {@link Facts#bits}). */
    long[] points() {
      return new long[0];
    }

    /** String constants this leaf mentions. */
    List<String> strings() {
      return List.of();
    }

    @Override
    final int eval(Facts facts) {
      if (facts.state[slot] != Facts.PRESENT) {
        return U;
      }
      boolean holds;
      if (test == RANGE) {
        long value = facts.bits[slot];
        holds = value >= low && value <= high;
      } else if (test == STRING_AMONG) {
        holds = ((Among) ref).contains((String) facts.refs[slot]);
      } else if (test == STRING_IN) {
        holds = ((Set<?>) ref).contains(facts.refs[slot]);
      } else {
        holds = ((Set<?>) facts.refs[slot]).contains(ref);
      }
      return holds != invert ? T : F;
    }

    @Override
    int cost() {
      return 1;
    }

    private Wording wording() {
      Wording w = wording;
      if (w == null) {
        String name = fact.name();
        String expected = expected();
        w = new Wording(failure(), messageKey(), expected, operands(),
            new Reason(ReasonCode.FACT_UNKNOWN, pointer, name, expected, "unknown", ReasonCode.FACT_UNKNOWN.messageKey(),
                List.of(name, expected, "unknown")),
            new Reason(ReasonCode.RESTRICTED, pointer, name, "", "", ReasonCode.RESTRICTED.messageKey(), List.of()));
        wording = w;
      }
      return w;
    }

    @Override
    final void reasons(Facts facts, List<Reason> out) {
      Wording w = wording();
      if (fact.disclosure() == Disclosure.SENSITIVE) {
        out.add(w.restricted());
      } else if (facts.state[slot] != Facts.PRESENT) {
        out.add(w.unknown());
      } else {
        String actual = actual(facts);
        String[] operands = w.operands();
        List<String> params = operands.length == 1 ? List.of(fact.name(), operands[0], actual)
            : List.of(fact.name(), operands[0], operands[1], actual);
        out.add(new Reason(w.code(), pointer, fact.name(), w.expected(), actual, w.messageKey(), params));
      }
    }

    @Override
    final long remedy(Facts facts) {
      if (facts.state[slot] != Facts.PRESENT) {
        return 0; // nothing for the applicant to do; its reason says the fact could not be checked
      }
      return fact.suggestible() ? reachable(facts) : NEVER;
    }

    /** One action if the fact may change in the direction the leaf needs. */
    final long oneAction(boolean gain) {
      FactChange change = fact.change();
      return change == FactChange.USER_ACTION || (gain && change == FactChange.USER_GAIN) ? remedy(1, 0) : NEVER;
    }

    @Override
    final void forEachLeaf(Consumer<Leaf> action) {
      action.accept(this);
    }

    private String actual(Facts facts) {
      return switch (fact.type()) {
        case NUMBER -> Format.number(facts.numberAt(slot));
        case BOOLEAN -> Boolean.toString(facts.bits[slot] != 0);
        case STRING -> (String) facts.refs[slot];
        case INSTANT -> Facts.instantOfMicros(facts.bits[slot]).toString();
        case STRING_SET -> String.join(",", new TreeSet<>(setAt(facts)));
      };
    }

    @SuppressWarnings("unchecked")
    final Set<String> setAt(Facts facts) {
      return (Set<String>) facts.refs[slot];
    }

    final String not() {
      return negated ? "not " : "";
    }
  }

  static final class NumberTest extends Leaf {
    private static final long NEGATIVE_INFINITY = Facts.encode(Double.NEGATIVE_INFINITY);
    private static final long POSITIVE_INFINITY = Facts.encode(Double.POSITIVE_INFINITY);
    private final Op op;
    private final double a;
    private final double b;

    NumberTest(int slot, Fact fact, boolean negated, String pointer, Op op, double a, double b) {
      super(slot, fact, negated, pointer, op == Op.NE,
          Facts.encode(switch (op) {
            case LT, LE -> Double.NEGATIVE_INFINITY;
            case GT -> Math.nextUp(a);
            default -> a;
          }),
          Facts.encode(switch (op) {
            case GT, GE -> Double.POSITIVE_INFINITY;
            case LT -> Math.nextDown(a);
            case BETWEEN -> b;
            default -> a;
          }));
      this.op = op;
      this.a = a;
      this.b = b;
    }

    /** The operator that holds exactly when this leaf does, or BETWEEN (kept with its negation). */
    private Op effective() {
      if (!negated) {
        return op;
      }
      return switch (op) {
        case EQ -> Op.NE;
        case NE -> Op.EQ;
        case LT -> Op.GE;
        case LE -> Op.GT;
        case GT -> Op.LE;
        case GE -> Op.LT;
        default -> op;
      };
    }

    @Override
    ReasonCode failure() {
      return switch (effective()) {
        case GE, GT -> ReasonCode.BELOW_MINIMUM;
        case LE, LT -> ReasonCode.ABOVE_MAXIMUM;
        case EQ -> ReasonCode.NOT_EQUAL;
        case NE -> ReasonCode.FORBIDDEN_VALUE;
        default -> negated ? ReasonCode.IN_FORBIDDEN_RANGE : ReasonCode.OUT_OF_RANGE;
      };
    }

    @Override
    String messageKey() {
      Op shown = effective();
      return super.messageKey() + (shown == Op.GT || shown == Op.LT ? ".strict" : "");
    }

    @Override
    String expected() {
      Op shown = effective();
      if (shown == Op.BETWEEN) {
        return not() + "between " + Format.number(a) + " and " + Format.number(b);
      }
      return shown.symbol() + " " + Format.number(a);
    }

    @Override
    String[] operands() {
      return op == Op.BETWEEN ? new String[] {Format.number(a), Format.number(b)} : new String[] {Format.number(a)};
    }

    /**
     * The nearest whole values that make the leaf hold, above and below the fact (as in the nearest
     * paths): raised by gains and actions or reached by waiting, lowered only by actions.
     */
    @Override
    long reachable(Facts facts) {
      long value = facts.bits[slot];
      double now = facts.numberAt(slot);
      boolean hasUp = invert ? high < POSITIVE_INFINITY : value < low;
      boolean hasDown = invert ? low > NEGATIVE_INFINITY : value > high;
      FactChange change = fact.change();
      long best = NEVER;
      if (hasUp) {
        long amount = (long) Math.ceil(Math.ceil(Facts.decode(invert ? high + 1 : low)) - now);
        best = change == FactChange.GROWS_WITH_TIME ? remedy(0, amount) : remedy(amount, 0);
      }
      if (hasDown && change == FactChange.USER_ACTION) {
        long amount = (long) Math.ceil(now - Math.floor(Facts.decode(invert ? low - 1 : high)));
        best = Math.min(best, remedy(amount, 0));
      }
      return best;
    }

    @Override
    long[] points() {
      return op == Op.BETWEEN ? new long[] {Facts.encode(a), Facts.encode(b)} : new long[] {Facts.encode(a)};
    }
  }

  static final class BooleanTest extends Leaf {
    private final boolean expected;

    BooleanTest(int slot, Fact fact, boolean negated, String pointer, boolean expected) {
      super(slot, fact, negated, pointer, false, expected ? 1L : 0L, expected ? 1L : 0L);
      this.expected = expected;
    }

    @Override
    ReasonCode failure() {
      return ReasonCode.NOT_EQUAL;
    }

    /** "is required" or "is not allowed", not "must be yes". */
    @Override
    String messageKey() {
      return super.messageKey() + "." + (expected != negated);
    }

    @Override
    String expected() {
      return "== " + (expected != negated);
    }

    @Override
    String[] operands() {
      return new String[] {Boolean.toString(expected != negated)};
    }

    @Override
    long reachable(Facts facts) {
      return oneAction(expected != negated); // turning on is a gain, turning off is not
    }
  }

  /**
   * A few strings, matched by their hash first: a hash set's lookup divides by its table size, which
   * costs more than comparing a few cached hashes.
   */
  static final class Among {
    static final int MAX = 8;
    private final String[] values;
    private final int[] hashes;

    Among(Set<String> values) {
      this.values = values.toArray(new String[0]);
      this.hashes = new int[this.values.length];
      for (int i = 0; i < hashes.length; i++) {
        hashes[i] = this.values[i].hashCode();
      }
    }

    boolean contains(String value) {
      int hash = value.hashCode(); // cached in the String after the first time
      for (int i = 0; i < hashes.length; i++) {
        if (hashes[i] == hash && values[i].equals(value)) {
          return true;
        }
      }
      return false;
    }
  }

  /** {@code ==}, {@code !=} and {@code in} on strings: membership of a constant set. */
  static final class StringTest extends Leaf {
    private final Set<String> values;

    /** @param values an immutable set, shared with the evaluation switch */
    StringTest(int slot, Fact fact, boolean negated, String pointer, Set<String> values) {
      super(slot, fact, negated, pointer, values.size() <= Among.MAX ? STRING_AMONG : STRING_IN,
          values.size() <= Among.MAX ? new Among(values) : values);
      this.values = values;
    }

    @Override
    int cost() {
      return 2;
    }

    @Override
    ReasonCode failure() {
      return negated ? ReasonCode.FORBIDDEN_VALUE : values.size() == 1 ? ReasonCode.NOT_EQUAL : ReasonCode.NOT_IN_LIST;
    }

    @Override
    String messageKey() {
      return super.messageKey() + (negated && values.size() > 1 ? ".list" : "");
    }

    @Override
    String expected() {
      return not() + "in [" + String.join(", ", new TreeSet<>(values)) + "]";
    }

    @Override
    String[] operands() {
      return new String[] {String.join(", ", new TreeSet<>(values))};
    }

    @Override
    long reachable(Facts facts) {
      return oneAction(false);
    }

    @Override
    List<String> strings() {
      return List.copyOf(new TreeSet<>(values));
    }
  }

  static final class SetContains extends Leaf {
    private final String value;

    SetContains(int slot, Fact fact, boolean negated, String pointer, String value) {
      super(slot, fact, negated, pointer, SET_CONTAINS, value);
      this.value = value;
    }

    @Override
    int cost() {
      return 2;
    }

    @Override
    ReasonCode failure() {
      return negated ? ReasonCode.FORBIDDEN_MEMBERSHIP : ReasonCode.MISSING_MEMBERSHIP;
    }

    @Override
    String expected() {
      return not() + "contains " + value;
    }

    @Override
    String[] operands() {
      return new String[] {value};
    }

    @Override
    long reachable(Facts facts) {
      return oneAction(!negated); // joining is a gain, leaving is not
    }

    @Override
    List<String> strings() {
      return List.of(value);
    }
  }

  /** {@code before} or {@code after} an instant, strictly (rules allow no other instant operator). */
  static final class InstantTest extends Leaf {
    private final Op op;
    private final long micros;

    InstantTest(int slot, Fact fact, boolean negated, String pointer, Op op, long micros) {
      super(slot, fact, negated, pointer, false,
          op == Op.BEFORE ? Long.MIN_VALUE : micros + 1,
          op == Op.BEFORE ? micros - 1 : Long.MAX_VALUE);
      this.op = op;
      this.micros = micros;
    }

    @Override
    ReasonCode failure() {
      return (op == Op.BEFORE) != negated ? ReasonCode.TOO_LATE : ReasonCode.TOO_EARLY;
    }

    @Override
    String expected() {
      return not() + op.symbol() + " " + Facts.instantOfMicros(micros);
    }

    @Override
    String[] operands() {
      return new String[] {Facts.instantOfMicros(micros).toString()};
    }

    @Override
    long reachable(Facts facts) {
      return NEVER; // no path moves an instant
    }

    @Override
    long[] points() {
      return new long[] {micros};
    }
  }

  /** A host predicate; its exceptions and nulls read as unknown, never as allow. */
  static final class CustomTest extends Node {
    private final CustomPredicate predicate;
    private final boolean negated;
    private final String pointer;
    /** Whether the predicate reads a sensitive fact: then even its name is not disclosed. */
    private final boolean sensitive;

    CustomTest(CustomPredicate predicate, boolean negated, String pointer, boolean sensitive) {
      this.predicate = predicate;
      this.negated = negated;
      this.pointer = pointer;
      this.sensitive = sensitive;
    }

    @Override
    int eval(Facts facts) {
      Truth truth;
      try {
        truth = predicate.test(facts);
      } catch (Exception e) { // also a checked exception a predicate smuggled out
        return U;
      }
      if (truth == null || truth == Truth.UNKNOWN) {
        return U;
      }
      return (truth == Truth.TRUE) != negated ? T : F;
    }

    @Override
    int cost() {
      return 20;
    }

    @Override
    void reasons(Facts facts, List<Reason> out) {
      boolean unknown = eval(facts) == U;
      if (sensitive) {
        out.add(new Reason(ReasonCode.RESTRICTED, pointer, predicate.name(), "", "",
            ReasonCode.RESTRICTED.messageKey(), List.of()));
        return;
      }
      ReasonCode code = unknown ? ReasonCode.CUSTOM_UNKNOWN : ReasonCode.CUSTOM_NOT_MET;
      String expected = negated ? "false" : "true";
      String actual = unknown ? "unknown" : negated ? "true" : "false";
      out.add(new Reason(code, pointer, predicate.name(), expected, actual, code.messageKey(),
          List.of(predicate.name(), expected, actual)));
    }

    /** Unknown costs nothing to explain; what it takes to meet a host predicate cannot be told, so one action. */
    @Override
    long remedy(Facts facts) {
      return eval(facts) == U ? 0 : remedy(1, 0);
    }

    @Override
    void forEachLeaf(Consumer<Leaf> action) {}
  }
}
