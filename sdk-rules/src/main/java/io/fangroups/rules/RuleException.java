package io.fangroups.rules;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one unchecked exception of sdk-rules. Every failure caused by bad input (a rule, its JSON form,
 * a fact value) is reported with a stable {@link Code}; JSON errors also carry the JSON Pointer of
 * the offending node.
 */
public final class RuleException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Stable error codes. Codes are never renamed or reused; new ones may be added. */
  public enum Code {
    /** The rule or its JSON is structurally wrong: missing field, bad operator, wrong arity. */
    RULE_INVALID,
    /** The JSON text is not well-formed JSON. */
    JSON_MALFORMED,
    /** The document's {@code version} is not supported by this library. */
    UNSUPPORTED_VERSION,
    /** The rule exceeds the size limit (bytes of JSON or number of nodes). */
    RULE_TOO_LARGE,
    /** The rule nests deeper than the depth limit. */
    RULE_TOO_DEEP,
    /** A fact name is not declared in the fact schema. */
    UNKNOWN_FACT,
    /** A value's type does not match the fact's declared type or the operator. */
    TYPE_MISMATCH,
    /** A value's unit does not match the fact's declared unit. */
    UNIT_MISMATCH,
    /** A custom predicate is referenced but was not registered. */
    UNKNOWN_PREDICATE,
    /** A named sub-rule is referenced but not defined. */
    UNKNOWN_REFERENCE,
    /** Named sub-rules refer to each other in a cycle. */
    REFERENCE_CYCLE,
    /**
     * An argument to a public method is null where none is meant (see {@code @Nullable}); the
     * message names it. A programming error, not bad rule content.
     */
    INVALID_ARGUMENT
  }

  private final Code code;
  private final @Nullable String pointer;

  /**
   * Creates an exception.
   *
   * @param code the stable code
   * @param pointer JSON Pointer of the offending node, or {@code null} if the error has no location
   * @param message what was wrong and what to do
   */
  public RuleException(Code code, @Nullable String pointer, String message) {
    super(Arguments.notNull(code, "code") + (pointer == null ? "" : " at " + (pointer.isEmpty() ? "/" : pointer))
        + ": " + Arguments.notNull(message, "message"));
    this.code = code;
    this.pointer = pointer;
  }

  /** Returns the stable error code. */
  public Code code() {
    return code;
  }

  /** Returns the JSON Pointer of the offending node ({@code ""} is the whole document), if known. */
  public Optional<String> pointer() {
    return Optional.ofNullable(pointer);
  }
}
