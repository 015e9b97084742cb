package io.fangroups.rules;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A creator's admission policy: the rule, named sub-rules it may reference, and what an unknown
 * result becomes. This is what the JSON form stores.
 *
 * @param rule the rule; it must hold for the applicant to be allowed
 * @param definitions named sub-rules (names lower snake case), referenced with
 *     {@link Rule#ref(String)}; kept sorted by name
 * @param unknown what an unknown result becomes
 */
public record Policy(Rule rule, Map<String, Rule> definitions, UnknownPolicy unknown) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  /**
   * Validates the names, copies the definitions into name order and checks that the rule and
   * definitions together have at most 2,000 nodes, as a JSON document may.
   */
  public Policy {
    Arguments.notNull(rule, "rule");
    Arguments.notNull(unknown, "unknown");
    TreeMap<String, Rule> sorted = new TreeMap<>();
    Arguments.notNull(definitions, "definitions").forEach((name, body) -> {
      if (!NAME.matcher(Arguments.notNull(name, "a definition name")).matches()) {
        throw new RuleException(RuleException.Code.RULE_INVALID, "/definitions",
            "definition names are lower snake case, 1-64 chars: " + name);
      }
      sorted.put(name, Arguments.notNull(body, "definition " + name));
    });
    int nodes = Limits.nodes(rule);
    for (Rule body : sorted.values()) {
      nodes += Limits.nodes(body); // each at most MAX_NODES, checked as the sum grows: no overflow
      Limits.nodes(nodes, null);
    }
    Limits.nodes(nodes, null);
    definitions = Collections.unmodifiableMap(sorted);
  }

  /** A policy with no definitions where unknown means deny. */
  public static Policy of(Rule rule) {
    return new Policy(rule, Map.of(), UnknownPolicy.DENY);
  }

  /** A policy with no definitions. */
  public static Policy of(Rule rule, UnknownPolicy unknown) {
    return new Policy(rule, Map.of(), unknown);
  }
}
