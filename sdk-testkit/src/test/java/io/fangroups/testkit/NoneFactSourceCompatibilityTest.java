package io.fangroups.testkit;

import io.fangroups.spi.FactSource;
import java.util.List;

/** The default fact source knows nothing, and keeps every rule that applies to such a source. */
class NoneFactSourceCompatibilityTest extends FactSourceCompatibilityKit {
  @Override
  protected FactSource newFactSource(List<KnownFact> known) {
    return FactSource.none();
  }

  @Override
  protected boolean supportsKnownFacts() {
    return false;
  }
}
