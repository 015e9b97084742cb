package io.fangroups.rules;

import java.text.MessageFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders an {@link Explanation} as one sentence for the applicant, in the requested language.
 * Reasons over sensitive facts render as one undisclosed "other requirements" phrase, never with
 * the fact, expected or actual value. Immutable and thread-safe.
 */
public final class ExplanationRenderer {
  private final MessageSource messages;
  private final ZoneId zone;

  private ExplanationRenderer(MessageSource messages, ZoneId zone) {
    this.messages = messages;
    this.zone = zone;
  }

  /** Returns a renderer over the bundled messages, with dates in the given zone. */
  public static ExplanationRenderer of(ZoneId zone) {
    return of(MessageSource.bundled(), zone);
  }

  /** Returns a renderer over the given messages, falling back to the bundled ones. */
  public static ExplanationRenderer of(MessageSource messages, ZoneId zone) {
    return new ExplanationRenderer(Arguments.notNull(messages, "messages").orElse(MessageSource.bundled()),
        Arguments.notNull(zone, "zone"));
  }

  /** Renders the explanation as one sentence. */
  public String render(Explanation explanation, Locale locale) {
    Arguments.notNull(explanation, "explanation");
    Arguments.notNull(locale, "locale");
    String outcome = "outcome." + explanation.outcome().name().toLowerCase(Locale.ROOT);
    if (explanation.outcome() == Outcome.ALLOW) {
      return format(outcome, locale);
    }
    Set<String> reasons = new LinkedHashSet<>(); // one "other requirements" phrase however many sensitive
    for (Reason reason : explanation.reasons()) {
      reasons.add(reason(reason, locale));
    }
    if (reasons.isEmpty()) {
      reasons.add(format("outcome.unmet", locale)); // a rule that can never hold names no clause
    }
    String sentence = format(outcome, locale, String.join(format("join.reasons", locale), reasons));
    if (explanation.paths().isEmpty()) {
      return sentence + format("end", locale);
    }
    List<String> paths = new ArrayList<>();
    for (EligibilityPath path : explanation.paths()) {
      List<String> steps = new ArrayList<>();
      for (PathStep step : path.steps()) {
        steps.add(step(step, path, locale));
      }
      paths.add(String.join(format("join.steps", locale), steps));
    }
    return sentence + format("paths", locale, String.join(format("join.paths", locale), paths)) + format("end", locale);
  }

  private String reason(Reason reason, Locale locale) {
    if (reason.code() == ReasonCode.RESTRICTED) {
      return format("reason.restricted", locale);
    }
    boolean custom = reason.code() == ReasonCode.CUSTOM_NOT_MET || reason.code() == ReasonCode.CUSTOM_UNKNOWN;
    // The first parameter is the fact (or predicate): shown by its label.
    Object[] params = reason.params().isEmpty() ? new Object[1] : reason.params().toArray();
    params[0] = custom ? label("predicate.", reason.fact(), locale) : label("fact.", reason.fact(), locale);
    return format(reason.messageKey(), locale, params);
  }

  private String step(PathStep step, EligibilityPath path, Locale locale) {
    String specific = step.messageKey() + "." + step.fact();
    String key = messages.pattern(specific, locale).isPresent() ? specific : step.messageKey();
    String date = DateTimeFormatter.ofPattern(format("date.pattern", locale), locale)
        .format(Facts.clamp(path.eligibleFrom()).atZone(zone)); // any zone can show years 0 to 9999
    return format(key, locale, label("fact.", step.fact(), locale), step.target(), date);
  }

  private String label(String prefix, String name, Locale locale) {
    return messages.pattern(prefix + name, locale).orElse(name);
  }

  private String format(String key, Locale locale, Object... params) {
    String pattern = messages.pattern(key, locale).orElse(key);
    return new MessageFormat(pattern, locale).format(params); // also without parameters: it unescapes ''
  }
}
