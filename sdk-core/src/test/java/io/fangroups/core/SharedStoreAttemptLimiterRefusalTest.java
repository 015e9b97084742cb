package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.core.compat.SharedLimiterClient;
import org.junit.jupiter.api.Test;

/**
 * On a store shared across processes, the builder refuses an attempt limiter that is not shared
 * across instances (each process would grant its own guesses), unless the host opts out with a reason.
 */
class SharedStoreAttemptLimiterRefusalTest {
  private final InMemoryGroupStore shared = InMemoryGroupStore.create();

  @Test
  void build_sharedStoreWithTheDefaultLimiter_refusesNamingTheSettingAndTheWayOut() {
    FanGroups.Builder builder = FanGroups.builder().store(new ProcessClient(shared)).passcodeKeys(ProcessClient.KEYS);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("attemptLimiter: the store is shared across processes but the default in-memory"
            + " attempt limiter is not shared across instances")
        .hasMessageContaining("FanGroups.Builder.attemptLimiter(...)")
        .hasMessageContaining("FanGroups.Builder.allowLocalAttemptLimits(reason)");
  }

  @Test
  void build_sharedStoreWithALocalLimiterSet_refusesNamingTheLimiter() {
    FanGroups.Builder builder = FanGroups.builder().store(new ProcessClient(shared)).passcodeKeys(ProcessClient.KEYS)
        .attemptLimiter(InMemoryAttemptLimiter.create());

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the attempt limiter " + InMemoryAttemptLimiter.class.getName()
            + " is not shared across instances");
  }

  @Test
  void build_sharedStoreWithASharedLimiter_builds() {
    FanGroups sdk = FanGroups.builder().store(new ProcessClient(shared)).passcodeKeys(ProcessClient.KEYS)
        .attemptLimiter(new SharedLimiterClient(InMemoryAttemptLimiter.create())).startRelay(false).startPruning(false)
        .startRedPacketSweep(false).build();

    assertThat(sdk.groupsOf(UserId.of("nobody"))).isEmpty();
  }

  @Test
  void build_sharedStoreWithLocalLimitsAllowed_builds() {
    FanGroups sdk = FanGroups.builder().store(new ProcessClient(shared)).passcodeKeys(ProcessClient.KEYS)
        .allowLocalAttemptLimits("one process only during the migration").startRelay(false).startPruning(false)
        .startRedPacketSweep(false).build();

    assertThat(sdk.groupsOf(UserId.of("nobody"))).isEmpty();
  }

  @Test
  void build_storeOfThisProcessWithTheDefaultLimiter_builds() {
    FanGroups sdk = FanGroups.builder().store(shared).build();

    assertThat(sdk.groupsOf(UserId.of("nobody"))).isEmpty();
  }

  @Test
  void allowLocalAttemptLimits_withoutAReason_isRefused() {
    assertThatThrownBy(() -> FanGroups.builder().allowLocalAttemptLimits(" \t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowLocalAttemptLimits needs a reason");
    assertThatThrownBy(() -> FanGroups.builder().allowLocalAttemptLimits(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowLocalAttemptLimits needs a reason");
  }

  @Test
  void allowLocalAttemptLimits_twice_isRefused() {
    FanGroups.Builder builder = FanGroups.builder().allowLocalAttemptLimits("first");

    assertThatThrownBy(() -> builder.allowLocalAttemptLimits("second")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("allowLocalAttemptLimits was already set");
  }
}
