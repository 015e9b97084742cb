package io.fangroups.rules;

import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;

/**
 * Generators of rule trees and applicants over small domains, so that thresholds are hit, facts
 * are sometimes missing or failed, and brute force over the domain stays cheap.
 */
final class Generators {
  static final Fact SCORE = Fact.of("score", FactType.NUMBER, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_ACTION);
  static final Fact TIER = Fact.of("tier", FactType.STRING, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_ACTION);
  static final FactSchema SCHEMA = FactSchema.builder().standardFacts().fact(SCORE).fact(TIER).build();
  static final List<String> REGIONS = List.of("zz_north", "zz_south");
  static final List<String> TIERS = List.of("gold", "silver", "bronze");
  static final List<String> GROUPS = List.of("g1", "g2");
  static final List<Instant> INSTANTS = List.of(Instant.parse("2025-01-01T00:00:00Z"),
      Instant.parse("2025-06-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"));
  static final int MAX_NUMBER = 10;

  /** Custom predicate: the score is even. Unknown when the score is. */
  static final CustomPredicate SCORE_EVEN = new CustomPredicate() {
    @Override
    public String name() {
      return "score_even";
    }

    @Override
    public List<String> facts() {
      return List.of("score");
    }

    @Override
    public Truth test(Facts facts) {
      return facts.isPresent("score") ? (facts.number("score") % 2 == 0 ? Truth.TRUE : Truth.FALSE) : Truth.UNKNOWN;
    }
  };

  static final RuleCompiler COMPILER = RuleCompiler.builder().schema(SCHEMA).predicate(SCORE_EVEN).build();

  private Generators() {}

  static Truth customTruth(String name, Map<String, Object> facts) {
    Object score = facts.get("score");
    if (!name.equals("score_even") || score == null || score == ReferenceInterpreter.FAILED) {
      return Truth.UNKNOWN;
    }
    return ((Double) score) % 2 == 0 ? Truth.TRUE : Truth.FALSE;
  }

  static int pick(RandomnessSource in, int low, int high) {
    return integers().between(low, high).generate(in);
  }

  static <T> T pick(RandomnessSource in, List<T> values) {
    return values.get(pick(in, 0, values.size() - 1));
  }

  /** Rules of up to {@code depth} levels over every fact type, with custom predicates. */
  static Gen<Rule> rules(int depth) {
    return in -> rule(in, depth, Generators::anyLeaf);
  }

  /** Rules over the facts the applicant can change or wait for, plus sensitive ones. */
  static Gen<Rule> pathRules(int depth) {
    return in -> rule(in, depth, Generators::pathLeaf);
  }

  private interface LeafGen {
    Rule leaf(RandomnessSource in);
  }

  private static Rule rule(RandomnessSource in, int depth, LeafGen leaves) {
    int kind = depth <= 0 ? 0 : pick(in, 0, 7);
    return switch (kind) {
      case 4 -> new Rule.All(children(in, depth, leaves));
      case 5 -> new Rule.Any(children(in, depth, leaves));
      case 6 -> new Rule.Not(rule(in, depth - 1, leaves));
      case 7 -> {
        List<Rule> kids = children(in, depth, leaves);
        yield new Rule.AtLeast(pick(in, 0, kids.size()), kids);
      }
      default -> leaves.leaf(in);
    };
  }

  private static List<Rule> children(RandomnessSource in, int depth, LeafGen leaves) {
    int n = pick(in, 0, 3);
    List<Rule> kids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      kids.add(rule(in, depth - 1, leaves));
    }
    return kids;
  }

  private static Literal number(RandomnessSource in, FactUnit unit) {
    return Literal.of(pick(in, 0, MAX_NUMBER), pick(in, 0, 1) == 0 ? FactUnit.NONE : unit);
  }

  private static Rule numberLeaf(RandomnessSource in, Fact fact) {
    Op op = pick(in, List.of(Op.EQ, Op.NE, Op.LT, Op.LE, Op.GT, Op.GE, Op.BETWEEN));
    if (op == Op.BETWEEN) {
      int a = pick(in, 0, MAX_NUMBER);
      int b = pick(in, a, MAX_NUMBER);
      return new Rule.Leaf(fact.name(), op, List.of(Literal.of(a, fact.unit()), Literal.of(b, fact.unit())));
    }
    return new Rule.Leaf(fact.name(), op, List.of(number(in, fact.unit())));
  }

  private static Rule anyLeaf(RandomnessSource in) {
    return switch (pick(in, 0, 9)) {
      case 0 -> numberLeaf(in, Fact.DAYS_FOLLOWING);
      case 1 -> numberLeaf(in, Fact.FAN_CLUB_LEVEL);
      case 2 -> numberLeaf(in, SCORE);
      case 3 -> Rule.compare(pick(in, List.of("banned", "phone_verified", "fan_club_member")),
          pick(in, List.of(Op.EQ, Op.NE)), Literal.of(pick(in, 0, 1) == 1));
      case 4 -> pick(in, 0, 1) == 0 ? Rule.in("region", REGIONS.get(pick(in, 0, 1)))
          : Rule.compare("region", pick(in, List.of(Op.EQ, Op.NE)), Literal.of(pick(in, REGIONS)));
      case 5 -> Rule.contains("member_of_groups", pick(in, GROUPS));
      case 6 -> pick(in, 0, 1) == 0 ? Rule.before("followed_since", pick(in, INSTANTS))
          : Rule.after("followed_since", pick(in, INSTANTS));
      case 7 -> Rule.in("tier", pick(in, 0, 1) == 0 ? new String[] {pick(in, TIERS)} : new String[] {"gold", "silver"});
      case 8 -> Rule.custom("score_even");
      default -> numberLeaf(in, Fact.ACCOUNT_AGE_DAYS);
    };
  }

  private static Rule pathLeaf(RandomnessSource in) {
    return switch (pick(in, 0, 6)) {
      case 0, 1 -> numberLeaf(in, Fact.DAYS_FOLLOWING);
      case 2 -> numberLeaf(in, Fact.ACCOUNT_AGE_DAYS);
      case 3 -> numberLeaf(in, Fact.FAN_CLUB_LEVEL);
      case 4 -> Rule.is("phone_verified", pick(in, 0, 1) == 1);
      case 5 -> Rule.contains("member_of_groups", pick(in, GROUPS));
      default -> Rule.in("region", pick(in, REGIONS));
    };
  }

  /** Applicants: each fact present with a small-domain value, missing, or failed. */
  static Gen<Map<String, Object>> applicants(boolean complete) {
    return in -> {
      Map<String, Object> facts = new LinkedHashMap<>();
      for (Fact fact : SCHEMA.facts()) {
        int presence = complete ? 9 : pick(in, 0, 9);
        if (presence == 0) {
          continue; // missing
        }
        facts.put(fact.name(), presence == 1 ? ReferenceInterpreter.FAILED : value(in, fact));
      }
      return facts;
    };
  }

  static Object value(RandomnessSource in, Fact fact) {
    return switch (fact.type()) {
      case NUMBER -> (double) pick(in, 0, MAX_NUMBER + 1);
      case BOOLEAN -> pick(in, 0, 1) == 1;
      case STRING -> fact.name().equals("region") ? pick(in, REGIONS) : pick(in, TIERS);
      case STRING_SET -> {
        Set<String> set = new HashSet<>();
        GROUPS.forEach(g -> {
          if (pick(in, 0, 1) == 1) {
            set.add(g);
          }
        });
        yield Set.copyOf(set);
      }
      case INSTANT -> INSTANTS.get(pick(in, 0, 2)).plusSeconds(pick(in, -1, 1));
    };
  }

  /** Fills a facts container from the map form. */
  @SuppressWarnings("unchecked")
  static Facts fill(Facts facts, Map<String, Object> values) {
    values.forEach((name, value) -> {
      if (value == ReferenceInterpreter.FAILED) {
        facts.markFailed(name);
      } else if (value instanceof Double d) {
        facts.set(name, d);
      } else if (value instanceof Boolean b) {
        facts.set(name, b);
      } else if (value instanceof String s) {
        facts.set(name, s);
      } else if (value instanceof Instant i) {
        facts.set(name, i);
      } else {
        facts.set(name, (Set<String>) value);
      }
    });
    return facts;
  }

  /** Policies with definitions referenced from the rule, for the JSON form. */
  static Gen<Policy> policies() {
    return in -> {
      Map<String, Rule> definitions = new HashMap<>();
      int n = pick(in, 0, 2);
      for (int i = 0; i < n; i++) {
        definitions.put("def_" + i, rule(in, 2, Generators::anyLeaf));
      }
      Rule rule = rule(in, 3, Generators::anyLeaf);
      if (n > 0) {
        rule = Rule.all(rule, Rule.any(Rule.ref("def_0"), Rule.not(Rule.ref("def_" + (n - 1)))));
      }
      return new Policy(rule, definitions, pick(in, 0, 1) == 0 ? UnknownPolicy.DENY : UnknownPolicy.REVIEW);
    };
  }
}
