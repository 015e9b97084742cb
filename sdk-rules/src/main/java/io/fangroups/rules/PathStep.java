package io.fangroups.rules;

import java.util.List;

/**
 * One step of a path to eligibility: a wait or an action by the applicant.
 *
 * @param kind what to do
 * @param fact the fact the step changes (for a wait, the fact whose threshold sets it)
 * @param target the value the fact reaches, as text (days for a wait)
 * @param cost the step's cost: days for a wait, the amount of change for an action
 * @param messageKey the message key; a renderer first tries {@code messageKey + "." + fact}
 * @param params the message parameters: fact, target
 */
public record PathStep(Kind kind, String fact, String target, long cost, String messageKey, List<String> params) {

  /** The kind of step. */
  public enum Kind {
    /** Wait a number of days. */
    WAIT,
    /** Raise a number to the target. */
    RAISE,
    /** Turn a yes/no fact on. */
    ENABLE,
    /** Turn a yes/no fact off. */
    DISABLE,
    /** Change a string to the target. */
    CHANGE,
    /** Add the target to a set (join a group). */
    JOIN,
    /** Remove the target from a set (leave a group). */
    LEAVE;

    private final String messageKey = "path." + name().toLowerCase(java.util.Locale.ROOT);

    /** Returns the generic message key, {@code "path."} and the lower-case kind. */
    public String messageKey() {
      return messageKey;
    }
  }

  /** Validates and copies. */
  public PathStep {
    Arguments.notNull(kind, "kind");
    Arguments.notNull(fact, "fact");
    Arguments.notNull(target, "target");
    Arguments.notNull(messageKey, "messageKey");
    params = Arguments.listOf(params, "params");
    if (cost < 0) {
      throw new IllegalArgumentException("cost must be >= 0: " + cost);
    }
  }

  static PathStep of(Kind kind, String fact, String target, long cost) {
    return new PathStep(kind, fact, target, cost, kind.messageKey(), List.of(fact, target));
  }
}
