package io.fangroups.rules;

import java.util.List;

/**
 * One failed (or unknown) clause of a rule. For sensitive facts {@code expected} and {@code actual}
 * are empty and the code is {@link ReasonCode#RESTRICTED}.
 *
 * @param code the stable reason code
 * @param clause the JSON Pointer of the clause in the policy ({@code /rule/all/0})
 * @param fact the fact name, or the custom predicate name; for the host, never rendered if sensitive
 * @param expected what the clause expects, for example {@code ">= 7"}
 * @param actual the fact's value, {@code "unknown"} if missing
 * @param messageKey the key of the message in a {@link MessageSource}
 * @param params the message parameters: fact, expected, actual (empty when restricted)
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
