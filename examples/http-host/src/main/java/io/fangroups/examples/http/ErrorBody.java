package io.fangroups.examples.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.rules.RuleException;
import java.util.Locale;

/**
 * The body of every error response. {@code explanation} is present for NOT_ELIGIBLE only: why the
 * admission rule refused the user and the nearest way to become eligible, in the requested language.
 *
 * @param code an SDK {@code ErrorCode} name, or one of the HTTP-level codes listed in the README
 * @param message what was wrong and what to do, in English
 * @param explanation for NOT_ELIGIBLE: the rendered decision
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ErrorBody(String code, String message, String explanation) {

  static ErrorBody of(FanGroupsException e, Locale locale) {
    String explanation = e.decision().map(d -> d.render(locale, Languages.ZONE)).orElse(null);
    // A decision's English message is rendered in this host's zone too, so both fields name one date.
    String message = e.decision().map(d -> d.render(Locale.ENGLISH, Languages.ZONE))
        .orElseGet(() -> withoutCode(e.code(), e.getMessage()));
    return new ErrorBody(e.code().name(), message, explanation);
  }

  /** The SDK's message without the {@code "CODE: "} it starts with; the code has a field of its own. */
  static String withoutCode(ErrorCode code, String message) {
    String prefix = code + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  static ErrorBody of(HttpProblem problem) {
    return new ErrorBody(problem.code(), problem.getMessage(), null);
  }

  /** A rule that does not compile is a bad argument of the create-group call. */
  static ErrorBody of(RuleException e) {
    return new ErrorBody("INVALID_ARGUMENT", "rule: " + e.getMessage(), null);
  }
}
