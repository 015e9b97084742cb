package io.fangroups.rules;

import java.util.List;
import java.util.Objects;

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
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(clause, "clause");
    Objects.requireNonNull(fact, "fact");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
    Objects.requireNonNull(messageKey, "messageKey");
    params = List.copyOf(params);
  }
}
