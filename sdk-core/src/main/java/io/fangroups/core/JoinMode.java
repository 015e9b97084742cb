package io.fangroups.core;

/** How users get into a group. */
public enum JoinMode {
  /** Users the admission policy allows join at once; REVIEW outcomes become join requests. */
  OPEN,
  /** Every join goes through a request that an owner or admin approves. */
  APPROVAL,
  /** Only a passcode (群口令) admits; the apply button is refused with JOIN_MODE_MISMATCH. */
  PASSCODE_ONLY,
  /** Nobody joins except by an admin adding them. */
  CLOSED
}
