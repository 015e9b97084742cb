package io.fangroups.core;

/** Whether a group still accepts commands. */
public enum GroupStatus {
  /** Takes commands. */
  ACTIVE,
  /** Disbanded: takes no further commands. */
  DISBANDED
}
