package io.fangroups.rules;

/** What an unknown rule result (a needed fact was missing or failed) becomes. Never ALLOW. */
public enum UnknownPolicy {
  /** Unknown becomes {@link Outcome#REVIEW}. */
  REVIEW,
  /** Unknown becomes {@link Outcome#DENY} (the default). */
  DENY;

  Outcome outcome() {
    return this == REVIEW ? Outcome.REVIEW : Outcome.DENY;
  }
}
