package io.fangroups.core;

/** The path through which a user asked to join; recorded on requests, members and events. */
public enum JoinSource {
  /** The "apply to join" button on the creator's profile or the group card. */
  BUTTON,
  /** A pasted passcode (群口令). */
  PASSCODE,
  /** An invitation shared by a member. */
  INVITE,
  /** Added directly by an owner or admin. */
  ADMIN_ADD,
  /** Created the group (the owner). */
  CREATED
}
