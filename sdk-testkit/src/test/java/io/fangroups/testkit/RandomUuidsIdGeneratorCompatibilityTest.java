package io.fangroups.testkit;

import io.fangroups.spi.IdGenerator;

/** The default id generator keeps the {@link IdGenerator} contract. */
class RandomUuidsIdGeneratorCompatibilityTest extends IdGeneratorCompatibilityKit {
  @Override
  protected IdGenerator newIdGenerator() {
    return IdGenerator.randomUuids();
  }
}
