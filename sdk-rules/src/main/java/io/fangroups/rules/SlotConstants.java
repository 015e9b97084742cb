package io.fangroups.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fact a compiled rule reads, with every constant its leaves compare it against (sorted and
 * distinct): the points where a leaf can change truth, which both the nearest-path search and the
 * static satisfiability check enumerate.
 *
 * @param slot the fact's slot
 * @param fact the fact
 * @param points numeric and instant constants as stored longs (see {@link Facts#bits}), ascending
 * @param strings string constants
 */
record SlotConstants(int slot, Fact fact, long[] points, List<String> strings) {

  /** Returns one entry per fact the rule's leaves read, in slot order. */
  static List<SlotConstants> of(Node root) {
    Map<Integer, List<Node.Leaf>> leavesBySlot = new TreeMap<>();
    root.forEachLeaf(leaf -> leavesBySlot.computeIfAbsent(leaf.slot, s -> new ArrayList<>()).add(leaf));
    List<SlotConstants> constants = new ArrayList<>();
    leavesBySlot.forEach((slot, leaves) -> {
      TreeSet<Long> points = new TreeSet<>();
      TreeSet<String> strings = new TreeSet<>();
      for (Node.Leaf leaf : leaves) {
        for (long point : leaf.points()) {
          points.add(point);
        }
        strings.addAll(leaf.strings());
      }
      constants.add(new SlotConstants(slot, leaves.get(0).fact,
          points.stream().mapToLong(Long::longValue).toArray(), List.copyOf(strings)));
    });
    return List.copyOf(constants);
  }

  /**
   * Advances a mixed-radix counter (the odometer over all combinations of choices).
   *
   * @param index the current digit per position, updated in place
   * @param sizes the number of choices per position
   * @return false once every combination has been visited and the counter wrapped to zero
   */
  static boolean next(int[] index, int[] sizes) {
    for (int d = 0; d < index.length; d++) {
      if (++index[d] < sizes[d]) {
        return true;
      }
      index[d] = 0;
    }
    return false;
  }
}
