package io.fangroups.testkit;

import io.fangroups.spi.FactSource;
import java.util.List;

/** The reference fact source keeps every rule, the optional ones included. */
class InMemoryFactSourceCompatibilityTest extends FactSourceCompatibilityKit {
  @Override
  protected FactSource newFactSource(List<KnownFact> known) {
    return new InMemoryFactSource(known, Backend.ANSWERS);
  }

  @Override
  protected boolean supportsFailingBackend() {
    return true;
  }

  @Override
  protected FactSource newFactSourceWithFailingBackend() {
    return new InMemoryFactSource(List.of(), Backend.FAILS);
  }

  @Override
  protected boolean supportsSilentBackend() {
    return true;
  }

  @Override
  protected FactSource newFactSourceWithSilentBackend() {
    return new InMemoryFactSource(List.of(), Backend.SILENT);
  }
}
