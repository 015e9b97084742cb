package io.fangroups.rules;

import java.util.Objects;

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
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  /** Returns whether this finding prevents compiling (as opposed to a warning about meaning). */
  public boolean isError() {
    return code != Code.UNSATISFIABLE && code != Code.ALWAYS_ALLOWS && code != Code.UNUSED_DEFINITION;
  }

  static Finding of(RuleException e) {
    return new Finding(Code.valueOf(e.code() == RuleException.Code.JSON_MALFORMED
        || e.code() == RuleException.Code.UNSUPPORTED_VERSION ? "RULE_INVALID" : e.code().name()),
        e.pointer().orElse(""), e.getMessage());
  }
}
