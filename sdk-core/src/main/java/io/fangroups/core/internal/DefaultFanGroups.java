package io.fangroups.core.internal;

import io.fangroups.core.BulkResult;
import io.fangroups.core.Capability;
import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinPreview;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.JoinResult;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.Retention;
import io.fangroups.core.RetentionPolicy;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.internal.Admission;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.internal.ContentCommands;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.GroupEventListener;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.event.Subscription;
import io.fangroups.core.event.internal.DefaultOutboxRelay;
import io.fangroups.core.InMemoryWallet;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketLimits;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.core.redpacket.internal.RedPacketCommands;
import io.fangroups.spi.Wallet;
import io.fangroups.core.internal.format.WireFormat;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeLimits;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.core.passcode.internal.PasscodeCommands;
import io.fangroups.core.passcode.internal.PasscodeHasher;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.IdGenerator;
import io.fangroups.spi.PreJoinHook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FanGroups} a builder makes: it wires the engine from the builder's settings, checks
 * every argument (nulls and malformed values are {@code INVALID_ARGUMENT}), and hands each call to
 * the class of its concern: {@link GroupCommands}, {@link JoinCommands}, {@link ModerationCommands},
 * {@link PasscodeCommands}, {@link ContentCommands}, {@link Queries}. Nothing else happens here;
 * it is long only because {@link FanGroups} has many operations, each a few lines of checks and one call.
 */
public final class DefaultFanGroups implements FanGroups {
  private static final Logger log = LoggerFactory.getLogger(DefaultFanGroups.class);

  private final GroupRepository store;
  private final GroupCommands groups;
  private final JoinCommands joins;
  private final ModerationCommands moderation;
  private final PasscodeCommands passcodes;
  private final ContentCommands content;
  private final Queries queries;
  private final DefaultOutboxRelay relay;
  private final Pruner pruner;
  private final RedPacketCommands redPackets;
  /** Set once the relay's wallet destination is registered and the red-packet jobs are started. */
  private volatile boolean moneyReady;

  public DefaultFanGroups(Wiring b) {
    List<String> defaults = new ArrayList<>();
    GroupStore groupStore = orDefault(b.store(), MemoryGroupStore::new, "in-memory store", defaults);
    this.store = groupStore instanceof MemoryGroupStore inMemory ? inMemory.repository(b)
        : new GroupRepository(groupStore, new WireFormat(b.policyCodec(!groupStore.sharedAcrossProcesses())), false,
            b.retentionOrDefault(), b.clockOrDefault());
    if (groupStore.sharedAcrossProcesses() && b.passcodeKeys() == null) {
      throw new IllegalStateException("a store shared across processes needs passcode keys every instance shares: "
          + "set FanGroups.Builder.passcodeKeys(...)");
    }
    Clock clock = orDefault(b.clock(), Clock::systemUTC, "system clock", defaults);
    IdGenerator ids = orDefault(b.ids(), IdGenerator::randomUuids, "random UUID ids", defaults);
    Permissions permissions = new Permissions(b.capabilities());
    PasscodeHasher hasher = new PasscodeHasher(orDefault(b.passcodeKeys(), () -> store.generatedKeys,
        "passcode keys (random, shared by instances on this store)", defaults));
    CommandRunner runner = new CommandRunner(store,
        store.access().exclusive ? null : new StoreIdempotency(store.access(), hasher, clock,
            b.retentionOrDefault().keyedResults(), b.keyedAttemptTimeout() != null ? b.keyedAttemptTimeout()
                : FanGroups.Builder.DEFAULT_KEYED_ATTEMPT_TIMEOUT), clock, b.observer());
    AttemptLimiter attemptLimiter = orDefault(b.attemptLimiter(), () -> store.attempts, "in-memory attempt limiter",
        defaults);
    if (!attemptLimiter.sharedAcrossInstances()) {
      String limiterName = b.attemptLimiter() == null ? "the default in-memory attempt limiter"
          : "the attempt limiter " + attemptLimiter.getClass().getName();
      if (groupStore.sharedAcrossProcesses() && b.localAttemptLimitsReason() == null) {
        throw new IllegalStateException("attemptLimiter: the store is shared across processes but " + limiterName
            + " is not shared across instances, so each process would grant its own passcode attempts and a restart"
            + " would reset them; set FanGroups.Builder.attemptLimiter(...) to a limiter whose"
            + " sharedAcrossInstances() is true (for example one on the same database), or opt out with"
            + " FanGroups.Builder.allowLocalAttemptLimits(reason)");
      }
      if (groupStore.sharedAcrossProcesses()) {
        log.warn("fangroups: {} is not shared across instances; each process grants its own passcode limits"
            + " (allowLocalAttemptLimits: {})", limiterName, b.localAttemptLimitsReason());
      } else if (b.attemptLimiter() != null) {
        log.warn("fangroups: the attempt limiter {} is not shared across instances; with several instances each "
            + "grants its own passcode limits", attemptLimiter.getClass().getName());
      }
    }
    Admission admission = new Admission(orDefault(b.factSource(), FactSource::none, "fact source (every fact unknown)", defaults),
        b.factTimeout() != null ? b.factTimeout() : FanGroups.Builder.DEFAULT_FACT_TIMEOUT,
        Optional.ofNullable(b.preJoinHook()),
        b.preJoinHookTimeout() != null ? b.preJoinHookTimeout() : FanGroups.Builder.DEFAULT_HOOK_TIMEOUT,
        b.preJoinHookFailure() != null ? b.preJoinHookFailure() : PreJoinHook.FailureMode.REJECT);
    this.queries = new Queries(store, runner, permissions, admission);
    this.groups = new GroupCommands(store, runner, permissions, queries, ids,
        b.groupsPerCreator() != null ? b.groupsPerCreator() : FanGroups.Builder.DEFAULT_GROUPS_PER_CREATOR,
        b.adminLimit() != null ? b.adminLimit() : FanGroups.Builder.DEFAULT_ADMIN_LIMIT);
    this.joins = new JoinCommands(store, runner, permissions, queries, admission, ids,
        b.requestTtl() != null ? b.requestTtl() : FanGroups.Builder.DEFAULT_REQUEST_TTL);
    this.moderation = new ModerationCommands(runner, permissions);
    this.passcodes = new PasscodeCommands(runner, permissions, joins, queries, store, ids, clock, hasher, attemptLimiter,
        b.passcodeLimits() != null ? b.passcodeLimits() : PasscodeLimits.DEFAULT,
        b.blocklist() != null ? b.blocklist() : Passcodes.defaultBlocklist(),
        b.passcodesPerTarget() != null ? b.passcodesPerTarget() : FanGroups.Builder.DEFAULT_PASSCODES_PER_TARGET);
    this.content = new ContentCommands(runner, permissions, ids);
    Wallet wallet = orDefault(b.wallet(), InMemoryWallet::create, "in-memory wallet (empty: every red packet declined)",
        defaults);
    OutboxRelay.Options relayOptions = b.relayOptions() != null ? b.relayOptions() : OutboxRelay.Options.DEFAULT;
    this.relay = new DefaultOutboxRelay(store, clock, Optional.ofNullable(b.eventPublisher()),
        Optional.ofNullable(b.messageTransport()), wallet, relayOptions);
    boolean startRelay = !Boolean.FALSE.equals(b.startRelay());
    // A shared store may hold other processes' red packets: its relays and sweeps run from the start.
    // On a store of this process alone they start with its first red packet.
    if (startRelay && (b.eventPublisher() != null || b.messageTransport() != null || groupStore.sharedAcrossProcesses())) {
      relay.start();
    }
    boolean startSweep = !Boolean.FALSE.equals(b.startRedPacketSweep());
    this.redPackets = new RedPacketCommands(runner, permissions, store, admission::evaluateClaim, ids, wallet,
        b.wallet() == null && groupStore.sharedAcrossProcesses(),
        b.redPacketLimits() != null ? b.redPacketLimits() : RedPacketLimits.DEFAULT, relayOptions.deliveryTimeout(),
        () -> {
          if (moneyReady) {
            return; // every claim asks; the work below is done once
          }
          relay.activateWallet();
          if (startRelay) {
            relay.start();
          }
          if (startSweep) {
            startRedPacketSweep();
          }
          moneyReady = true;
        });
    if (startSweep && groupStore.sharedAcrossProcesses()) {
      redPackets.startSweep();
    }
    RetentionPolicy retention = b.retentionOrDefault();
    relay.registerEarly();
    this.pruner = new Pruner(store, retention, clock, Set.copyOf(relay.eagerDestinationNames()));
    boolean pruneByDefault = groupStore.sharedAcrossProcesses() || retention.messageRetention().isPresent();
    if (b.startPruning() != null ? b.startPruning() : pruneByDefault) {
      pruner.start();
    }
    if (!defaults.isEmpty()) {
      log.info("fangroups: nothing configured for {}; using the defaults (in-memory state is lost on restart)",
          String.join(", ", defaults));
    }
  }


  /** Through a method: the callback above is made before the red-packet commands are assigned. */
  private void startRedPacketSweep() {
    redPackets.startSweep();
  }

  private static <T> T orDefault(T configured, Supplier<T> fallback, String what, List<String> defaults) {
    if (configured != null) {
      return configured;
    }
    defaults.add(what);
    return fallback.get();
  }


  // ---------------------------------------------------------------- groups

  @Override
  public GroupInfo createGroup(CommandContext ctx, GroupSettings settings) {
    need(ctx, "ctx");
    need(settings, "settings");
    return groups.createGroup(ctx, settings);
  }

  @Override
  public Family createFamily(CommandContext ctx, String name) {
    need(ctx, "ctx");
    return groups.createFamily(ctx, name);
  }

  @Override
  public GroupInfo updateSettings(CommandContext ctx, GroupId group, GroupSettings settings) {
    need(ctx, "ctx");
    need(group, "group");
    need(settings, "settings");
    return groups.updateSettings(ctx, group, settings);
  }

  @Override
  public GroupInfo pauseJoins(CommandContext ctx, GroupId group, @Nullable Instant until) {
    need(ctx, "ctx");
    need(group, "group");
    return groups.pauseJoins(ctx, group, until);
  }

  @Override
  public void appointAdmin(CommandContext ctx, GroupId group, UserId member) {
    need(ctx, "ctx");
    need(group, "group");
    need(member, "user");
    groups.appointAdmin(ctx, group, member);
  }

  @Override
  public void dismissAdmin(CommandContext ctx, GroupId group, UserId admin) {
    need(ctx, "ctx");
    need(group, "group");
    need(admin, "user");
    groups.dismissAdmin(ctx, group, admin);
  }

  @Override
  public void transferOwnership(CommandContext ctx, GroupId group, UserId newOwner) {
    need(ctx, "ctx");
    need(group, "group");
    need(newOwner, "newOwner");
    groups.transferOwnership(ctx, group, newOwner);
  }

  @Override
  public void disband(CommandContext ctx, GroupId group) {
    need(ctx, "ctx");
    need(group, "group");
    groups.disband(ctx, group);
  }

  // ---------------------------------------------------------------- joining

  @Override
  public JoinResult apply(CommandContext ctx, GroupId group, JoinSource source) {
    need(ctx, "ctx");
    need(group, "group");
    requireApplySource(source);
    return joins.apply(ctx, group, source);
  }

  @Override
  public JoinResult applyToFamily(CommandContext ctx, FamilyId family, JoinSource source) {
    need(ctx, "ctx");
    need(family, "family");
    requireApplySource(source);
    return joins.applyToFamily(ctx, family, source);
  }

  @Override
  public Member addMember(CommandContext ctx, GroupId group, UserId user) {
    need(ctx, "ctx");
    need(group, "group");
    need(user, "user");
    return joins.addMember(ctx, group, user);
  }

  @Override
  public Member approve(CommandContext ctx, RequestId request) {
    need(ctx, "ctx");
    need(request, "request");
    return joins.approve(ctx, request);
  }

  @Override
  public JoinRequest reject(CommandContext ctx, RequestId request) {
    need(ctx, "ctx");
    need(request, "request");
    return joins.reject(ctx, request);
  }

  @Override
  public JoinRequest withdraw(CommandContext ctx, RequestId request) {
    need(ctx, "ctx");
    need(request, "request");
    return joins.withdraw(ctx, request);
  }

  @Override
  public BulkResult approveAll(CommandContext ctx, List<RequestId> requests) {
    need(ctx, "ctx");
    return joins.approveAll(ctx, Checks.noNulls(requests, "requests"));
  }

  @Override
  public BulkResult rejectAll(CommandContext ctx, List<RequestId> requests) {
    need(ctx, "ctx");
    return joins.rejectAll(ctx, Checks.noNulls(requests, "requests"));
  }

  @Override
  public int expireOverdueRequests() {
    return joins.expireOverdueRequests();
  }

  // ---------------------------------------------------------------- passcodes


  @Override
  public IssuedPasscode createPasscode(CommandContext ctx, PasscodeSpec spec) {
    return passcodes.create(ctx, spec);
  }

  @Override
  public PasscodeInfo revokePasscode(CommandContext ctx, PasscodeId passcode) {
    return passcodes.revoke(ctx, passcode);
  }

  @Override
  public IssuedPasscode resetPasscode(CommandContext ctx, PasscodeId passcode) {
    return passcodes.reset(ctx, passcode);
  }

  @Override
  public PasscodeInfo passcode(PasscodeId passcode) {
    return passcodes.info(passcode);
  }

  @Override
  public List<PasscodeInfo> livePasscodes(GroupId group) {
    need(group, "group");
    group(group); // GROUP_NOT_FOUND for an unknown id
    return passcodes.live(group);
  }

  @Override
  public List<PasscodeInfo> livePasscodes(FamilyId family) {
    need(family, "family");
    family(family);
    return passcodes.live(family);
  }

  @Override
  public JoinResult redeemPasscode(CommandContext ctx, String pastedText, ClientInfo client) {
    return passcodes.redeem(ctx, Optional.empty(), pastedText, client);
  }

  @Override
  public JoinResult redeemPasscode(CommandContext ctx, GroupId group, String pastedText, ClientInfo client) {
    need(group, "group");
    return passcodes.redeem(ctx, Optional.of(group), pastedText, client);
  }

  @Override
  public void resetPasscodeAttempts(UserId user) {
    passcodes.resetAttempts(user);
  }


  // ---------------------------------------------------------------- moderation

  @Override
  public void leave(CommandContext ctx, GroupId group) {
    need(ctx, "ctx");
    need(group, "group");
    moderation.leave(ctx, group);
  }

  @Override
  public void kick(CommandContext ctx, GroupId group, UserId member) {
    need(ctx, "ctx");
    need(group, "group");
    need(member, "member");
    moderation.kick(ctx, group, member);
  }

  @Override
  public void ban(CommandContext ctx, GroupId group, UserId user, Duration duration) {
    impose(ModerationCommands.Sanction.BAN, ctx, group, user, duration);
  }

  @Override
  public boolean unban(CommandContext ctx, GroupId group, UserId user) {
    return lift(ModerationCommands.Sanction.BAN, ctx, group, user);
  }

  @Override
  public void mute(CommandContext ctx, GroupId group, UserId member, Duration duration) {
    impose(ModerationCommands.Sanction.MUTE, ctx, group, member, duration);
  }

  @Override
  public boolean unmute(CommandContext ctx, GroupId group, UserId user) {
    return lift(ModerationCommands.Sanction.MUTE, ctx, group, user);
  }

  private void impose(ModerationCommands.Sanction sanction, CommandContext ctx, GroupId group, UserId user,
      Duration duration) {
    need(ctx, "ctx");
    need(group, "group");
    need(user, "user");
    moderation.impose(sanction, ctx, group, user, duration);
  }

  private boolean lift(ModerationCommands.Sanction sanction, CommandContext ctx, GroupId group, UserId user) {
    need(ctx, "ctx");
    need(group, "group");
    need(user, "user");
    return moderation.lift(sanction, ctx, group, user);
  }

  // ---------------------------------------------------------------- content

  @Override
  public GroupMessage post(CommandContext ctx, GroupId group, MessageContent message) {
    return content.post(ctx, group, message);
  }

  @Override
  public void setSlowMode(CommandContext ctx, GroupId group, Duration interval) {
    content.setSlowMode(ctx, group, interval);
  }

  // ---------------------------------------------------------------- queries

  @Override
  public GroupInfo group(GroupId group) {
    return queries.group(need(group, "group"));
  }

  @Override
  public List<GroupInfo> groupsOf(UserId owner) {
    return queries.groupsOf(need(owner, "owner"));
  }

  @Override
  public JoinPreview preview(UserId viewer, GroupId group) {
    need(viewer, "viewer");
    need(group, "group");
    return queries.preview(viewer, group);
  }

  @Override
  public List<JoinPreview> previewGroupsOf(UserId viewer, UserId creator) {
    need(viewer, "viewer");
    need(creator, "creator");
    return queries.previewGroupsOf(viewer, creator);
  }

  @Override
  public Family family(FamilyId family) {
    return queries.family(need(family, "family"));
  }

  @Override
  public List<GroupInfo> familyGroups(FamilyId family) {
    return queries.familyGroups(need(family, "family"));
  }

  @Override
  public List<Member> members(GroupId group) {
    return queries.members(need(group, "group"));
  }

  @Override
  public Optional<Member> member(GroupId group, UserId user) {
    need(group, "group");
    need(user, "user");
    return queries.member(group, user);
  }

  @Override
  public List<JoinRequest> pendingRequests(GroupId group) {
    return queries.pendingRequests(need(group, "group"));
  }

  @Override
  public JoinRequest request(RequestId request) {
    return queries.request(need(request, "request"));
  }

  @Override
  public Optional<Instant> bannedUntil(GroupId group, UserId user) {
    need(group, "group");
    need(user, "user");
    return queries.bannedUntil(group, user);
  }

  @Override
  public Optional<Instant> mutedUntil(GroupId group, UserId user) {
    need(group, "group");
    need(user, "user");
    return queries.mutedUntil(group, user);
  }

  @Override
  public boolean can(GroupId group, UserId user, Capability capability) {
    need(group, "group");
    need(user, "user");
    need(capability, "capability");
    return queries.can(group, user, capability);
  }

  @Override
  public List<GroupEvent> events(GroupId group, long afterSequence, int limit) {
    return queries.events(need(group, "group"), afterSequence, limit);
  }

  @Override
  public List<EventPublisher.PublishedEvent> publishedEvents(GroupId group, long afterSequence, int limit) {
    return queries.publishedEvents(need(group, "group"), afterSequence, limit);
  }

  @Override
  public Subscription subscribe(GroupEventListener listener) {
    return store.subscribe(need(listener, "listener"));
  }

  @Override
  public Retention retention() {
    return pruner;
  }

  // ---------------------------------------------------------------- red packets

  @Override
  public RedPacketInfo sendRedPacket(CommandContext ctx, GroupId group, RedPacketSpec spec) {
    need(ctx, "ctx");
    need(group, "group");
    need(spec, "spec");
    return redPackets.send(ctx, group, spec);
  }

  @Override
  public RedPacketClaim claimRedPacket(CommandContext ctx, RedPacketId packet) {
    need(ctx, "ctx");
    need(packet, "packet");
    return redPackets.claim(ctx, packet, null);
  }

  @Override
  public RedPacketClaim claimRedPacket(CommandContext ctx, RedPacketId packet, String phrase) {
    need(ctx, "ctx");
    need(packet, "packet");
    need(phrase, "phrase");
    return redPackets.claim(ctx, packet, phrase);
  }

  @Override
  public RedPacketInfo redPacket(UserId viewer, RedPacketId packet) {
    need(viewer, "viewer");
    need(packet, "packet");
    return redPackets.redPacket(viewer, packet);
  }

  @Override
  public int expireRedPacketsOnce() {
    return redPackets.expireOnce();
  }

  @Override
  public OutboxRelay relay() {
    return relay;
  }

  private static <T> T need(T value, String name) {
    return Checks.notNull(value, name);
  }

  private static void requireApplySource(JoinSource source) {
    need(source, "source");
    if (source != JoinSource.BUTTON && source != JoinSource.INVITE) {
      throw Checks.invalid("apply takes BUTTON or INVITE; passcodes and admin adds have their own commands, got " + source);
    }
  }
}
