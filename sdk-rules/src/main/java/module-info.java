/**
 * Admission rules for fan groups: facts about an applicant, rules over them, explained decisions.
 * Jackson reads and writes the JSON form and never appears in a public signature, so it is not
 * re-exported.
 */
module io.fangroups.rules {
  requires com.fasterxml.jackson.databind;
  requires static org.jspecify;

  exports io.fangroups.rules;

  // RuleCompiler.Builder.discoverPredicates(), opt-in.
  uses io.fangroups.rules.CustomPredicate;
}
