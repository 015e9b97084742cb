package io.fangroups.testkit;

import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.FlawedGroupStore.Flaw;

/**
 * The broken twins' store without a flaw keeps every rule, so a twin that breaks a rule breaks it
 * through its flaw alone.
 */
class UnflawedGroupStoreCompatibilityTest extends GroupStoreCompatibilityKit {
  @Override
  protected GroupStore newStore() {
    return new FlawedGroupStore(Flaw.NONE);
  }
}
