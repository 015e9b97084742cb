/**
 * Compatibility kits that an implementation of the fan groups SPIs runs to prove it keeps their
 * contracts, and the test helpers they use: {@link io.fangroups.testkit.MutableClock} and
 * {@link io.fangroups.testkit.Concurrently}.
 */
module io.fangroups.testkit {
  requires static transitive org.jspecify;
  requires transitive io.fangroups.spi;
  // A kit is a JUnit test class: the adapter extending it is one too, and runs on JUnit Jupiter.
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports io.fangroups.testkit;
  // JUnit calls the kits' package-private test and lifecycle methods reflectively.
  opens io.fangroups.testkit to org.junit.platform.commons;
}
