package io.fangroups.core;

/** Whether a group still accepts commands. */
public enum GroupStatus {
  ACTIVE,
  DISBANDED
}
