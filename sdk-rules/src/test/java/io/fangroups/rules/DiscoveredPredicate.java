package io.fangroups.rules;

/** A provider found through META-INF/services, to show discovery is opt-in and works. */
public final class DiscoveredPredicate implements CustomPredicate {
  @Override
  public String name() {
    return "always_true";
  }

  @Override
  public Truth test(Facts facts) {
    return Truth.TRUE;
  }
}
