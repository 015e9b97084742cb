package io.fangroups.benchmarks.rules;

import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fangroups.rules.CompiledRule;
import io.fangroups.rules.Disclosure;
import io.fangroups.rules.Explanation;
import io.fangroups.rules.Fact;
import io.fangroups.rules.FactChange;
import io.fangroups.rules.FactSchema;
import io.fangroups.rules.FactType;
import io.fangroups.rules.FactUnit;
import io.fangroups.rules.Facts;
import io.fangroups.rules.Outcome;
import io.fangroups.rules.RuleCompiler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One admission decision on facts already in memory: our compiled rule, the same policy in
 * CEL-java, and the same condition hand-written in Java as the floor. Two policies: the seed
 * ("days following >= 7 AND (fan-club level >= 3 OR non-fan-club allowed)") and a 20-clause one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdmissionRulesBenchmark {
  private static final FactSchema SCHEMA = FactSchema.builder().standardFacts()
      .fact(Fact.of("non_fan_club_allowed", FactType.BOOLEAN, FactUnit.NONE, Disclosure.PUBLIC, FactChange.IMMUTABLE))
      .fact(Fact.of("score", FactType.NUMBER, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_ACTION))
      .fact(Fact.of("vip", FactType.BOOLEAN, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_ACTION))
      .fact(Fact.of("tier", FactType.STRING, FactUnit.NONE, Disclosure.PUBLIC, FactChange.USER_ACTION))
      .build();

  static final String SEED_JSON = """
      {"version":1,"rule":{"all":[
        {"fact":"days_following","op":">=","value":7,"unit":"days"},
        {"any":[{"fact":"fan_club_level","op":">=","value":3},{"fact":"non_fan_club_allowed","op":"==","value":true}]}]}}""";
  static final String SEED_CEL = "days_following >= 7 && (fan_club_level >= 3 || non_fan_club_allowed)";

  static final String TWENTY_JSON = """
      {"version":1,"rule":{"all":[
        {"fact":"days_following","op":">=","value":7},
        {"fact":"days_following","op":"<=","value":36500},
        {"fact":"account_age_days","op":">=","value":30},
        {"fact":"account_age_days","op":"<=","value":36500},
        {"fact":"banned","op":"==","value":false},
        {"fact":"blocked","op":"==","value":false},
        {"fact":"phone_verified","op":"==","value":true},
        {"fact":"region","op":"in","values":["CN","HK","MO","TW"]},
        {"any":[{"all":[{"fact":"fan_club_member","op":"==","value":true},{"fact":"fan_club_level","op":">=","value":3}]},
                {"fact":"non_fan_club_allowed","op":"==","value":true}]},
        {"atLeast":{"k":2,"of":[{"fact":"member_of_groups","op":"contains","value":"g1"},
                                {"fact":"member_of_groups","op":"contains","value":"g2"},
                                {"fact":"member_of_groups","op":"contains","value":"g3"}]}},
        {"fact":"fan_club_level","op":"<=","value":50},
        {"fact":"score","op":"between","min":0,"max":1000},
        {"fact":"tier","op":"in","values":["bronze","gold","silver"]},
        {"not":{"fact":"tier","op":"==","value":"suspended"}},
        {"any":[{"fact":"vip","op":"==","value":true},{"fact":"score","op":">=","value":100}]}]}}""";
  static final String TWENTY_CEL = "days_following >= 7 && days_following <= 36500"
      + " && account_age_days >= 30 && account_age_days <= 36500 && !banned && !blocked && phone_verified"
      + " && region in ['CN', 'HK', 'MO', 'TW']"
      + " && ((fan_club_member && fan_club_level >= 3) || non_fan_club_allowed)"
      + " && (('g1' in member_of_groups ? 1 : 0) + ('g2' in member_of_groups ? 1 : 0) + ('g3' in member_of_groups ? 1 : 0)) >= 2"
      + " && fan_club_level <= 50 && score >= 0 && score <= 1000 && tier in ['bronze', 'gold', 'silver']"
      + " && !(tier == 'suspended') && (vip || score >= 100)";

  private static final Instant NOW = Instant.parse("2026-03-08T00:00:00Z");

  CompiledRule seed;
  CompiledRule twenty;
  Facts seedAllow;
  Facts seedDeny;
  Facts twentyAllow;
  CelRuntime.Program seedCel;
  CelRuntime.Program twentyCel;
  Map<String, Object> seedAllowVars;
  Map<String, Object> twentyAllowVars;
  Applicant allowApplicant;

  /** The hand-written floor's view of an applicant: plain fields. */
  record Applicant(long daysFollowing, long accountAgeDays, boolean banned, boolean blocked, boolean phoneVerified,
      String region, boolean fanClubMember, long fanClubLevel, boolean nonFanClubAllowed, Set<String> groups,
      long score, String tier, boolean vip) {}

  private static final Set<String> REGIONS = Set.of("CN", "HK", "MO", "TW");
  private static final Set<String> TIERS = Set.of("bronze", "gold", "silver");

  static boolean seedByHand(Applicant a) {
    return a.daysFollowing >= 7 && (a.fanClubLevel >= 3 || a.nonFanClubAllowed);
  }

  static boolean twentyByHand(Applicant a) {
    int groups = (a.groups.contains("g1") ? 1 : 0) + (a.groups.contains("g2") ? 1 : 0) + (a.groups.contains("g3") ? 1 : 0);
    return a.daysFollowing >= 7 && a.daysFollowing <= 36500 && a.accountAgeDays >= 30 && a.accountAgeDays <= 36500
        && !a.banned && !a.blocked && a.phoneVerified && REGIONS.contains(a.region)
        && ((a.fanClubMember && a.fanClubLevel >= 3) || a.nonFanClubAllowed) && groups >= 2
        && a.fanClubLevel <= 50 && a.score >= 0 && a.score <= 1000 && TIERS.contains(a.tier)
        && !a.tier.equals("suspended") && (a.vip || a.score >= 100);
  }

  @Setup
  public void setUp() throws Exception {
    RuleCompiler compiler = RuleCompiler.builder().schema(SCHEMA).build();
    seed = compiler.compile(SEED_JSON);
    twenty = compiler.compile(TWENTY_JSON);
    allowApplicant = new Applicant(12, 400, false, false, true, "CN", true, 5, false, Set.of("g1", "g3"), 150, "gold", false);
    seedAllow = fill(seed.newFacts(), allowApplicant);
    twentyAllow = fill(twenty.newFacts(), allowApplicant);
    seedDeny = seed.newFacts().set("days_following", 3).set("fan_club_level", 1).set("non_fan_club_allowed", false);

    CelCompiler cel = CelCompilerFactory.standardCelCompilerBuilder()
        .addVar("days_following", SimpleType.INT).addVar("account_age_days", SimpleType.INT)
        .addVar("banned", SimpleType.BOOL).addVar("blocked", SimpleType.BOOL).addVar("phone_verified", SimpleType.BOOL)
        .addVar("region", SimpleType.STRING).addVar("fan_club_member", SimpleType.BOOL)
        .addVar("fan_club_level", SimpleType.INT).addVar("non_fan_club_allowed", SimpleType.BOOL)
        .addVar("member_of_groups", ListType.create(SimpleType.STRING)).addVar("score", SimpleType.INT)
        .addVar("tier", SimpleType.STRING).addVar("vip", SimpleType.BOOL)
        .build();
    CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
    seedCel = runtime.createProgram(cel.compile(SEED_CEL).getAst());
    twentyCel = runtime.createProgram(cel.compile(TWENTY_CEL).getAst());
    twentyAllowVars = celVariables(allowApplicant);
    seedAllowVars = twentyAllowVars;

    check(seed.decide(seedAllow) == Outcome.ALLOW && seedByHand(allowApplicant) && (Boolean) seedCel.eval(seedAllowVars),
        "seed allow");
    check(twenty.decide(twentyAllow) == Outcome.ALLOW && twentyByHand(allowApplicant)
        && (Boolean) twentyCel.eval(twentyAllowVars), "20-clause allow");
    Applicant denied = new Applicant(3, 0, false, false, false, "", false, 1, false, Set.of(), 0, "", false);
    Explanation explained = seed.explain(seedDeny, NOW);
    check(explained.outcome() == Outcome.DENY && seed.decide(seedDeny) == Outcome.DENY && !seedByHand(denied), "seed deny");
    // The explained deny measures both parts: the reasons (days, level) and the nearest-path search.
    check(explained.reasons().size() == 2 && explained.paths().size() == 1, "seed deny explained with reasons and a path");
  }

  private static void check(boolean agreed, String what) {
    if (!agreed) {
      throw new IllegalStateException("implementations disagree on " + what);
    }
  }

  private static Facts fill(Facts facts, Applicant a) {
    return facts.set("days_following", a.daysFollowing).set("account_age_days", a.accountAgeDays)
        .set("banned", a.banned).set("blocked", a.blocked).set("phone_verified", a.phoneVerified)
        .set("region", a.region).set("fan_club_member", a.fanClubMember).set("fan_club_level", a.fanClubLevel)
        .set("non_fan_club_allowed", a.nonFanClubAllowed).set("member_of_groups", a.groups)
        .set("score", a.score).set("tier", a.tier).set("vip", a.vip);
  }

  private static Map<String, Object> celVariables(Applicant a) {
    return Map.ofEntries(Map.entry("days_following", a.daysFollowing), Map.entry("account_age_days", a.accountAgeDays),
        Map.entry("banned", a.banned), Map.entry("blocked", a.blocked), Map.entry("phone_verified", a.phoneVerified),
        Map.entry("region", a.region), Map.entry("fan_club_member", a.fanClubMember),
        Map.entry("fan_club_level", a.fanClubLevel), Map.entry("non_fan_club_allowed", a.nonFanClubAllowed),
        Map.entry("member_of_groups", List.copyOf(a.groups)), Map.entry("score", a.score),
        Map.entry("tier", a.tier), Map.entry("vip", a.vip));
  }

  @Benchmark
  public Outcome seedCompiledAllow() {
    return seed.decide(seedAllow);
  }

  @Benchmark
  public Object seedCelAllow() throws CelEvaluationException {
    return seedCel.eval(seedAllowVars);
  }

  @Benchmark
  public boolean seedHandWrittenAllow() {
    return seedByHand(allowApplicant);
  }

  @Benchmark
  public Outcome seedCompiledDeny() {
    return seed.decide(seedDeny);
  }

  @Benchmark
  public Explanation seedExplainedDeny() {
    return seed.explain(seedDeny, NOW);
  }

  @Benchmark
  public Outcome twentyCompiledAllow() {
    return twenty.decide(twentyAllow);
  }

  @Benchmark
  public Object twentyCelAllow() throws CelEvaluationException {
    return twentyCel.eval(twentyAllowVars);
  }

  @Benchmark
  public boolean twentyHandWrittenAllow() {
    return twentyByHand(allowApplicant);
  }
}
