package io.fangroups.rules;

import static io.fangroups.rules.Truth.F;
import static io.fangroups.rules.Truth.T;
import static io.fangroups.rules.Truth.U;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A node of a compiled rule, in negation normal form: negation sits only on leaves. Evaluation
 * returns {@link Truth#F}, {@link Truth#U} or {@link Truth#T} and allocates nothing.
 */
abstract class Node {

  abstract int eval(Facts facts);

  /** Relative evaluation cost, used to try cheap children first. */
  abstract int cost();

  /** Adds the reasons that alone force this node's non-true result; call only when not true. */
  abstract void reasons(Facts facts, List<Reason> out);

  abstract void forEachLeaf(Consumer<Leaf> action);

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
    void forEachLeaf(Consumer<Leaf> action) {}
  }

  /**
   * Shared by all, any and atLeast. Children are evaluated through {@link #kid}: first the range
   * leaves, from flat arrays without a call, then the others, cheapest first. Kleene's all, any
   * and atLeast do not depend on the order.
   */
  abstract static class Composite extends Node {
    final Node[] kids;
    private final int cost;
    private final int ranges;
    private final int[] rangeSlot;
    private final long[] rangeLow;
    private final long[] rangeHigh;
    private final boolean[] rangeInvert;
    private final Node[] others;

    Composite(List<Node> kids) {
      this.kids = kids.toArray(new Node[0]);
      this.cost = Arrays.stream(this.kids).mapToInt(Node::cost).sum();
      List<Leaf> rangeLeaves = new ArrayList<>();
      List<Node> rest = new ArrayList<>();
      for (Node kid : this.kids) {
        if (kid instanceof Leaf leaf && leaf.test == Leaf.RANGE) {
          rangeLeaves.add(leaf);
        } else {
          rest.add(kid);
        }
      }
      this.ranges = rangeLeaves.size();
      this.rangeSlot = rangeLeaves.stream().mapToInt(leaf -> leaf.slot).toArray();
      this.rangeLow = rangeLeaves.stream().mapToLong(leaf -> leaf.low).toArray();
      this.rangeHigh = rangeLeaves.stream().mapToLong(leaf -> leaf.high).toArray();
      this.rangeInvert = new boolean[ranges];
      for (int i = 0; i < ranges; i++) {
        rangeInvert[i] = rangeLeaves.get(i).invert;
      }
      this.others = rest.toArray(new Node[0]);
    }

    /** Evaluates the i-th child in evaluation order, {@code 0 <= i < kids.length}. */
    final int kid(int i, Facts facts) {
      if (i >= ranges) {
        return others[i - ranges].eval(facts);
      }
      int slot = rangeSlot[i];
      if (facts.state[slot] != Facts.PRESENT) {
        return U;
      }
      long value = facts.bits[slot];
      return (value >= rangeLow[i] && value <= rangeHigh[i]) != rangeInvert[i] ? T : F;
    }

    @Override
    int cost() {
      return cost;
    }

    @Override
    void reasons(Facts facts, List<Reason> out) {
      // The non-true children together force the result: with every other child true, the
      // all/any/atLeast result is unchanged.
      for (Node kid : kids) {
        if (kid.eval(facts) != T) {
          kid.reasons(facts, out);
        }
      }
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
      int result = T;
      for (int i = 0; i < kids.length; i++) {
        int value = kid(i, facts);
        if (value == F) {
          return F;
        }
        result = Math.min(result, value);
      }
      return result;
    }
  }

  static final class Any extends Composite {
    Any(List<Node> kids) {
      super(kids);
    }

    @Override
    int eval(Facts facts) {
      int result = F;
      for (int i = 0; i < kids.length; i++) {
        int value = kid(i, facts);
        if (value == T) {
          return T;
        }
        result = Math.max(result, value);
      }
      return result;
    }
  }

  static final class AtLeast extends Composite {
    private final int k;

    AtLeast(int k, List<Node> kids) {
      super(kids);
      this.k = k;
    }

    @Override
    int eval(Facts facts) {
      int trues = 0;
      int unknowns = 0;
      for (int i = 0; i < kids.length; i++) {
        int value = kid(i, facts);
        if (value == T) {
          if (++trues >= k) {
            return T;
          }
        } else if (value == U) {
          unknowns++;
        }
        if (trues + unknowns + (kids.length - i - 1) < k) {
          return F;
        }
      }
      return trues + unknowns >= k ? U : F;
    }
  }

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

    final int slot;
    final Fact fact;
    final boolean negated;
    final String pointer;
    final int test;
    final boolean invert;
    final long low;
    final long high;
    private final @Nullable Object ref;
    // Cached on first explanation; a benign race, as Strings are immutable.
    private @Nullable String expectedText;

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

    /** A string in the set ({@link #STRING_IN}), or a string set containing the string ({@link #SET_CONTAINS}). */
    Leaf(int slot, Fact fact, boolean negated, String pointer, int test, Object ref) {
      this(slot, fact, negated, pointer, test, false, 0, 0, ref);
    }

    /** The reason code when the leaf, as written (before negation), holds or not. */
    abstract ReasonCode failure();

    /** What the leaf expects, as text. */
    abstract String expected();

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

    @Override
    final void reasons(Facts facts, List<Reason> out) {
      String name = fact.name();
      if (fact.disclosure() == Disclosure.SENSITIVE) {
        out.add(new Reason(ReasonCode.RESTRICTED, pointer, name, "", "", ReasonCode.RESTRICTED.messageKey(), List.of()));
        return;
      }
      boolean known = facts.state[slot] == Facts.PRESENT;
      ReasonCode code = known ? failure() : ReasonCode.FACT_UNKNOWN;
      String actual = known ? actual(facts) : "unknown";
      if (expectedText == null) {
        expectedText = expected();
      }
      String expected = expectedText;
      out.add(new Reason(code, pointer, name, expected, actual, code.messageKey(), List.of(name, expected, actual)));
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
    String expected() {
      Op shown = effective();
      if (shown == Op.BETWEEN) {
        return not() + "between " + Format.number(a) + " and " + Format.number(b);
      }
      return shown.symbol() + " " + Format.number(a);
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

    @Override
    String expected() {
      return "== " + (expected != negated);
    }
  }

  /** {@code ==}, {@code !=} and {@code in} on strings: membership of a constant set. */
  static final class StringTest extends Leaf {
    private final Set<String> values;

    /** @param values an immutable set, shared with the evaluation switch */
    StringTest(int slot, Fact fact, boolean negated, String pointer, Set<String> values) {
      super(slot, fact, negated, pointer, STRING_IN, values);
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
    String expected() {
      return not() + "in [" + String.join(", ", new TreeSet<>(values)) + "]";
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

    @Override
    void forEachLeaf(Consumer<Leaf> action) {}
  }
}
