package io.fangroups.core;

/** How a command ended, for tests that count or compare refusals instead of expecting one. */
final class Refusal {
  private Refusal() {
  }

  /** The code {@code command} was refused with, or null when it went through. */
  static ErrorCode codeOf(Runnable command) {
    try {
      command.run();
      return null;
    } catch (FanGroupsException e) {
      return e.code();
    }
  }
}
