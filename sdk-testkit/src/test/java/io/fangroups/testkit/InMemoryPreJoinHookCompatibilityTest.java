package io.fangroups.testkit;

import io.fangroups.spi.PreJoinHook;
import java.util.Map;

/** The reference hook keeps every rule, the optional ones included. */
class InMemoryPreJoinHookCompatibilityTest extends PreJoinHookCompatibilityKit {
  @Override
  protected PreJoinHook newHook(Map<PreJoinHook.JoinAttempt, PreJoinHook.Verdict> decisions) {
    return new InMemoryPreJoinHook(decisions, Backend.ANSWERS);
  }

  @Override
  protected boolean supportsFailingHost() {
    return true;
  }

  @Override
  protected PreJoinHook newHookWithFailingHost() {
    return new InMemoryPreJoinHook(Map.of(), Backend.FAILS);
  }

  @Override
  protected boolean supportsSilentHost() {
    return true;
  }

  @Override
  protected PreJoinHook newHookWithSilentHost() {
    return new InMemoryPreJoinHook(Map.of(), Backend.SILENT);
  }
}
