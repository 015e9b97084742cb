package io.fangroups.core.internal;

import io.fangroups.core.RetentionPolicy;
import io.fangroups.core.Capability;
import io.fangroups.core.FanGroupsObserver;
import io.fangroups.core.Role;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.internal.format.PolicyCodec;
import io.fangroups.core.passcode.Blocklist;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.passcode.PasscodeLimits;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.IdGenerator;
import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.PreJoinHook;
import io.fangroups.spi.Wallet;
import io.fangroups.core.redpacket.RedPacketLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the host set on {@code FanGroups.Builder}, handed to the engine; a null component was not
 * set and gets its default there.
 */
public record Wiring(@Nullable Clock clock, @Nullable GroupStore store, @Nullable RuleCompiler ruleCompiler,
    Map<String, AdmissionPolicy> policies, @Nullable IdGenerator ids, @Nullable Integer groupsPerCreator,
    @Nullable Integer adminLimit, @Nullable Duration requestTtl, Map<Role, Set<Capability>> capabilities,
    @Nullable PasscodeKeys passcodeKeys, @Nullable AttemptLimiter attemptLimiter, @Nullable PasscodeLimits passcodeLimits,
    @Nullable Blocklist blocklist, @Nullable Integer passcodesPerTarget, @Nullable FactSource factSource,
    @Nullable Duration factTimeout, @Nullable EventPublisher eventPublisher, @Nullable MessageTransport messageTransport,
    OutboxRelay.@Nullable Options relayOptions, @Nullable Boolean startRelay, @Nullable PreJoinHook preJoinHook,
    @Nullable Duration preJoinHookTimeout, PreJoinHook.@Nullable FailureMode preJoinHookFailure,
    @Nullable RetentionPolicy retention, @Nullable Boolean startPruning, @Nullable Duration keyedAttemptTimeout,
    @Nullable Wallet wallet, @Nullable RedPacketLimits redPacketLimits, @Nullable Boolean startRedPacketSweep,
    @Nullable String localAttemptLimitsReason, @Nullable FanGroupsObserver observer) {
  /** Copies the maps. */
  public Wiring {
    policies = Map.copyOf(policies);
    capabilities = Map.copyOf(capabilities);
  }

  /**
   * How policies are stored: with the rule compiler (the default one when none was set) and the
   * named policies; other policies are kept as in-process references only when
   * {@code keepUnnamedInMemory} (no other process reads the store).
   */
  /** The retention policy, the default when none was set. */
  public RetentionPolicy retentionOrDefault() {
    return retention != null ? retention : RetentionPolicy.DEFAULT;
  }

  /** The clock, the system's when none was set. */
  public Clock clockOrDefault() {
    return clock != null ? clock : Clock.systemUTC();
  }

  public PolicyCodec policyCodec(boolean keepUnnamedInMemory) {
    return new PolicyCodec(ruleCompiler != null ? ruleCompiler : RuleCompiler.of(), policies, keepUnnamedInMemory);
  }
}
