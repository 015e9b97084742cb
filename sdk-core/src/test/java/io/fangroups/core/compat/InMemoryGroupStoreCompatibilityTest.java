package io.fangroups.core.compat;

import io.fangroups.core.InMemoryGroupStore;
import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.GroupStoreCompatibilityKit;

/** sdk-core's default store keeps the {@link GroupStore} contract; its second client is itself. */
class InMemoryGroupStoreCompatibilityTest extends GroupStoreCompatibilityKit {
  @Override
  protected GroupStore newStore() {
    return InMemoryGroupStore.create();
  }
}
