package io.fangroups.testkit;

/** How the backend behind a reference in-memory implementation behaves. */
enum Backend {
  /** Answers every request. */
  ANSWERS,
  /** Fails every request. */
  FAILS,
  /** Takes requests and never answers. */
  SILENT
}
