package io.fangroups.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a rule can ever allow, or always allows, by evaluating it on one representative
 * value per region between the rule's constants, for every fact it reads (all present). Within a
 * region no leaf changes truth, so the representatives cover every case exactly. Rules with custom
 * predicates, or too many combinations, are not judged.
 */
final class Satisfiability {
  static final int MAX_ASSIGNMENTS = 1 << 14;
  private static final int MAX_SET_ELEMENTS = 12;

  private Satisfiability() {}

  static Optional<Finding> check(Node root, FactSchema schema) {
    if (containsCustom(root)) {
      return Optional.empty();
    }
    List<SlotConstants> slots = SlotConstants.of(root);
    List<List<Object>> values = new ArrayList<>();
    long product = 1;
    for (SlotConstants slot : slots) {
      List<Object> representatives = representatives(slot);
      if (representatives == null) {
        return Optional.empty();
      }
      values.add(representatives);
      product *= representatives.size();
      if (product > MAX_ASSIGNMENTS) {
        return Optional.empty();
      }
    }
    Facts facts = new Facts(schema);
    int[] index = new int[slots.size()];
    int[] sizes = values.stream().mapToInt(List::size).toArray();
    boolean anyTrue = false;
    boolean allTrue = true;
    do {
      for (int i = 0; i < slots.size(); i++) {
        assign(facts, slots.get(i).slot(), values.get(i).get(index[i]));
      }
      boolean allows = root.eval(facts) == Truth.T;
      anyTrue |= allows;
      allTrue &= allows;
    } while (SlotConstants.next(index, sizes));
    if (!anyTrue) {
      return Optional.of(new Finding(Finding.Code.UNSATISFIABLE, "/rule",
          "no applicant can ever meet this rule; check for contradictory bounds such as >= 30 and < 10"));
    }
    if (allTrue) {
      return Optional.of(new Finding(Finding.Code.ALWAYS_ALLOWS, "/rule",
          "every applicant whose facts are known meets this rule; it restricts nothing"));
    }
    return Optional.empty();
  }

  private static boolean containsCustom(Node node) {
    if (node instanceof Node.CustomTest) {
      return true;
    }
    if (node instanceof Node.Composite composite) {
      for (Node kid : composite.kids) {
        if (containsCustom(kid)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns one value per region between the constants, or null if there are too many to try. */
  private static @Nullable List<Object> representatives(SlotConstants slot) {
    FactType type = slot.fact().type();
    List<Object> values = new ArrayList<>();
    switch (type) {
      case NUMBER, INSTANT -> {
        // In the stored encoding neighbouring longs are neighbouring values (next double, next
        // microsecond), so one below, each constant, one strictly between and one above are exact.
        long[] points = slot.points();
        values.add(points.length == 0 ? 0L : points[0] - 1);
        for (int i = 0; i < points.length; i++) {
          if (i > 0 && points[i - 1] + 1 < points[i]) {
            values.add((points[i - 1] >> 1) + (points[i] >> 1) + (points[i - 1] & points[i] & 1));
          }
          values.add(points[i]);
        }
        if (points.length > 0) {
          values.add(points[points.length - 1] + 1);
        }
      }
      case BOOLEAN -> {
        values.add(false);
        values.add(true);
      }
      case STRING -> {
        values.addAll(slot.strings());
        values.add("\u0000none of the rule's values");
      }
      case STRING_SET -> {
        List<String> elements = slot.strings();
        if (elements.size() > MAX_SET_ELEMENTS) {
          return null; // too many subsets to enumerate
        }
        for (int mask = 0; mask < 1 << elements.size(); mask++) {
          Set<String> set = new HashSet<>();
          for (int i = 0; i < elements.size(); i++) {
            if ((mask & 1 << i) != 0) {
              set.add(elements.get(i));
            }
          }
          values.add(Set.copyOf(set));
        }
      }
    }
    return values;
  }

  private static void assign(Facts facts, int slot, Object value) {
    facts.state[slot] = Facts.PRESENT;
    switch (facts.schema().at(slot).type()) {
      case NUMBER, INSTANT -> facts.bits[slot] = (Long) value;
      case BOOLEAN -> facts.bits[slot] = (Boolean) value ? 1 : 0;
      case STRING, STRING_SET -> facts.refs[slot] = value;
    }
  }
}
