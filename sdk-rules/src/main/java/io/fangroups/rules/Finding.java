package io.fangroups.rules;


/**
 * A problem found by {@link RuleCompiler#check(Policy)} before a rule is saved.
 *
 * @param code the stable finding code
 * @param pointer JSON Pointer of the node concerned ({@code /rule} for the whole rule)
 * @param message what is wrong and what to do
 */
public record Finding(Code code, String pointer, String message) {

  /** Stable finding codes. */
  public enum Code {
    /** An error that prevents compiling; see {@link RuleException.Code} of the same name. */
    RULE_INVALID,
    /** See {@link RuleException.Code#RULE_TOO_LARGE}. */
    RULE_TOO_LARGE,
    /** See {@link RuleException.Code#RULE_TOO_DEEP}. */
    RULE_TOO_DEEP,
    /** See {@link RuleException.Code#UNKNOWN_FACT}. */
    UNKNOWN_FACT,
    /** See {@link RuleException.Code#TYPE_MISMATCH}. */
    TYPE_MISMATCH,
    /** See {@link RuleException.Code#UNIT_MISMATCH}. */
    UNIT_MISMATCH,
    /** See {@link RuleException.Code#UNKNOWN_PREDICATE}. */
    UNKNOWN_PREDICATE,
    /** See {@link RuleException.Code#UNKNOWN_REFERENCE}. */
    UNKNOWN_REFERENCE,
    /** See {@link RuleException.Code#REFERENCE_CYCLE}. */
    REFERENCE_CYCLE,
    /** No combination of fact values allows: the rule can never be met. */
    UNSATISFIABLE,
    /** Every combination of present fact values allows: the rule restricts nothing. */
    ALWAYS_ALLOWS,
    /** A named sub-rule is never referenced. */
    UNUSED_DEFINITION
  }

  /** Validates. */
  public Finding {
    Arguments.notNull(code, "code");
    Arguments.notNull(pointer, "pointer");
    Arguments.notNull(message, "message");
  }

  /** Returns whether this finding prevents compiling (as opposed to a warning about meaning). */
  public boolean isError() {
    return code != Code.UNSATISFIABLE && code != Code.ALWAYS_ALLOWS && code != Code.UNUSED_DEFINITION;
  }

  static Finding of(RuleException e) {
    Code code = switch (e.code()) { // exhaustive: a new exception code must be mapped here
      case RULE_INVALID, JSON_MALFORMED, UNSUPPORTED_VERSION, INVALID_ARGUMENT -> Code.RULE_INVALID;
      case RULE_TOO_LARGE -> Code.RULE_TOO_LARGE;
      case RULE_TOO_DEEP -> Code.RULE_TOO_DEEP;
      case UNKNOWN_FACT -> Code.UNKNOWN_FACT;
      case TYPE_MISMATCH -> Code.TYPE_MISMATCH;
      case UNIT_MISMATCH -> Code.UNIT_MISMATCH;
      case UNKNOWN_PREDICATE -> Code.UNKNOWN_PREDICATE;
      case UNKNOWN_REFERENCE -> Code.UNKNOWN_REFERENCE;
      case REFERENCE_CYCLE -> Code.REFERENCE_CYCLE;
    };
    return new Finding(code, e.pointer().orElse(""), e.getMessage());
  }
}
