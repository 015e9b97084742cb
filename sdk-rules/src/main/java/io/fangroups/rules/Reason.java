package io.fangroups.rules;

import java.util.List;

/**
 * One failed (or unknown) clause of a rule. For sensitive facts {@code expected} and {@code actual}
 * are empty and the code is {@link ReasonCode#RESTRICTED}.
 *
 * @param code the stable reason code
 * @param clause the JSON Pointer of the clause in the policy ({@code /rule/all/0})
 * @param fact the fact name, or the custom predicate name; for the host, never rendered if sensitive
 * @param expected what the clause expects, as rule text, for example {@code ">= 7"}
 * @param actual the fact's value, {@code "unknown"} if missing
 * @param messageKey the key of the message in a {@link MessageSource}: the code's key, with a suffix
 *     where the wording differs ({@code .strict} for {@code >} and {@code <}, {@code .true} and
 *     {@code .false} for yes/no facts, {@code .list} for "not one of")
 * @param params the message parameters: the fact, the expected value or values without the operator
 *     (a list joined with {@code ", "}; min and max for a range), then the actual value; for a fact
 *     that could not be checked, fact, expected and {@code "unknown"}; empty when restricted
 */
public record Reason(ReasonCode code, String clause, String fact, String expected, String actual,
    String messageKey, List<String> params) {
  /** Validates and copies. */
  public Reason {
    Arguments.notNull(code, "code");
    Arguments.notNull(clause, "clause");
    Arguments.notNull(fact, "fact");
    Arguments.notNull(expected, "expected");
    Arguments.notNull(actual, "actual");
    Arguments.notNull(messageKey, "messageKey");
    params = Arguments.listOf(params, "params");
  }
}
