package io.fangroups.core;

import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.GroupEventListener;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.event.Subscription;
import io.fangroups.core.internal.Checks;
import io.fangroups.core.internal.DefaultFanGroups;
import io.fangroups.core.internal.ProviderDiscovery;
import io.fangroups.core.internal.Wiring;
import io.fangroups.core.passcode.Blocklist;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.passcode.PasscodeLimits;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.spi.AttemptLimiter;
import io.fangroups.spi.EventPublisher;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.IdGenerator;
import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.PreJoinHook;
import io.fangroups.spi.Wallet;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketLimits;
import io.fangroups.core.redpacket.RedPacketSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Fan groups for one host platform: the single entry point of the SDK. Thread-safe; build one per
 * process with {@link #builder()} and share it.
 *
 * <p>Every command takes a {@link CommandContext} naming the actor (authenticated by the host) and
 * optionally an idempotency key. A command either applies completely, emitting its
 * {@link GroupEvent}s, or throws {@link FanGroupsException} with a stable {@link ErrorCode} and
 * changes nothing. (Overdue join requests a command comes across are expired first, as a system
 * change of their own that stands either way.) Queries never change anything. Nulls (except where
 * a parameter is {@code @Nullable}), malformed values and unknown ids are refused with a code,
 * never an NPE.
 *
 * <p>This file is long because it is the API's reference: every operation with its contract, and
 * the builder with each setting and its default.
 */
public interface FanGroups {

  // ---- groups ----

  /** Creates a group owned by the actor, within the per-creator quota (QUOTA_EXCEEDED). */
  GroupInfo createGroup(CommandContext ctx, GroupSettings settings);

  /** Creates a family of groups owned by the actor; put groups in it through their settings. */
  Family createFamily(CommandContext ctx, String name);

  /** Replaces the group's settings. Needs EDIT_SETTINGS; a cap below the member count is refused. */
  GroupInfo updateSettings(CommandContext ctx, GroupId group, GroupSettings settings);

  /**
   * Pauses applications until {@code until} (raid control); {@code null} resumes them at once.
   * Approvals and admin adds still work while paused. Needs EDIT_SETTINGS.
   */
  GroupInfo pauseJoins(CommandContext ctx, GroupId group, @Nullable Instant until);

  /** Makes a member an admin, within the admin limit. Needs APPOINT_ADMINS. */
  void appointAdmin(CommandContext ctx, GroupId group, UserId member);

  /** Makes an admin a plain member. Needs APPOINT_ADMINS. */
  void dismissAdmin(CommandContext ctx, GroupId group, UserId admin);

  /** Hands the group to another member; the owner becomes an admin (a member at the admin limit). */
  void transferOwnership(CommandContext ctx, GroupId group, UserId newOwner);

  /** Disbands the group: pending requests are cancelled and further commands fail. Owner only. */
  void disband(CommandContext ctx, GroupId group);

  // ---- joining ----

  /**
   * The actor applies to join through the button or an invite. Depending on the join mode and the
   * admission policy, the actor joins at once or gets a pending request.
   *
   * @param source {@link JoinSource#BUTTON} or {@link JoinSource#INVITE}
   */
  JoinResult apply(CommandContext ctx, GroupId group, JoinSource source);

  /**
   * The actor applies to a family: they land in the first group, in creation order, that is open
   * to them, has a free seat and whose policy does not deny them. FAMILY_FULL when every group that
   * would take them is full.
   */
  JoinResult applyToFamily(CommandContext ctx, FamilyId family, JoinSource source);

  /** Adds a user directly (no policy; the cap and bans still hold). Needs ADD_MEMBERS. */
  Member addMember(CommandContext ctx, GroupId group, UserId user);

  /**
   * Approves a pending request after checking the policy again. GROUP_FULL and NOT_ELIGIBLE (the
   * fan no longer meets the rule) leave it pending: reject it, or approve once the fan qualifies.
   * Needs APPROVE_REQUESTS.
   */
  Member approve(CommandContext ctx, RequestId request);

  /** Rejects a pending request; the context's reason is recorded. Needs APPROVE_REQUESTS. */
  JoinRequest reject(CommandContext ctx, RequestId request);

  /** Approves each request in turn; one result per id, in order. */
  BulkResult approveAll(CommandContext ctx, List<RequestId> requests);

  /** Rejects each request in turn; one result per id, in order. */
  BulkResult rejectAll(CommandContext ctx, List<RequestId> requests);

  /** The applicant withdraws their own pending request. */
  JoinRequest withdraw(CommandContext ctx, RequestId request);

  /** Expires every overdue pending request now; returns how many. Call it periodically. */
  int expireOverdueRequests();

  // ---- passcodes (群口令) ----

  /**
   * Makes a passcode for a group (needs MANAGE_PASSCODES, and APPROVE_REQUESTS too for a
   * {@link io.fangroups.core.passcode.PasscodeMode#JOIN JOIN} code) or for a family (its creator only). The
   * returned code is the only clear copy: the SDK stores its HMAC. At most
   * {@link Builder#passcodesPerTarget(int)} live codes per target (PASSCODE_LIMIT_REACHED).
   */
  IssuedPasscode createPasscode(CommandContext ctx, PasscodeSpec spec);

  /** Revokes a passcode; revoking twice is harmless. Needs the same right as making it. */
  PasscodeInfo revokePasscode(CommandContext ctx, PasscodeId passcode);

  /** Revokes a passcode and makes a new one with the same settings. */
  IssuedPasscode resetPasscode(CommandContext ctx, PasscodeId passcode);

  /** One passcode record. */
  PasscodeInfo passcode(PasscodeId passcode);

  /** The group's live passcodes (not revoked, not expired, uses left). */
  List<PasscodeInfo> livePasscodes(GroupId group);

  /** The family's live passcodes. */
  List<PasscodeInfo> livePasscodes(FamilyId family);

  /**
   * The actor pastes text holding a passcode. The attempt is counted per user, device and address
   * before any lookup (RATE_LIMITED when over a limit); up to three candidates read from the text
   * are looked up. A live code then admits like the apply button, through the group's join mode
   * checks, ban, cap and admission policy, and its use is taken together with the seat; the join
   * event names the passcode. Errors: PASSCODE_MALFORMED, PASSCODE_NOT_FOUND, PASSCODE_EXPIRED,
   * PASSCODE_REVOKED, PASSCODE_EXHAUSTED, RATE_LIMITED, and those of {@link #apply}.
   */
  JoinResult redeemPasscode(CommandContext ctx, String pastedText, ClientInfo client);

  /**
   * Like {@link #redeemPasscode(CommandContext, String, ClientInfo)} for a code entered on one
   * group's page; SHORT codes are accepted here. A code of another group is PASSCODE_NOT_FOUND.
   */
  JoinResult redeemPasscode(CommandContext ctx, GroupId group, String pastedText, ClientInfo client);

  /** Clears the user's passcode attempt counts, lifting a lock (after the host checked the user). */
  void resetPasscodeAttempts(UserId user);

  // ---- membership ----

  /** The actor leaves the group. The owner cannot leave (OWNER_CANNOT_LEAVE). */
  void leave(CommandContext ctx, GroupId group);

  /** Removes a member of lower rank. Needs KICK. */
  void kick(CommandContext ctx, GroupId group, UserId member);

  /**
   * Bans a user for {@code duration} ({@link ChronoUnit#FOREVER}{@code .getDuration()} for ever):
   * removes them if a member, cancels their pending request, and blocks rejoining. Needs BAN.
   */
  void ban(CommandContext ctx, GroupId group, UserId user, Duration duration);

  /** Lifts a ban; returns whether one was active. Needs BAN. */
  boolean unban(CommandContext ctx, GroupId group, UserId user);

  /** Mutes a member of lower rank for {@code duration}; survives leaving and rejoining. Needs MUTE. */
  void mute(CommandContext ctx, GroupId group, UserId member, Duration duration);

  /** Lifts a mute; returns whether one was active. Needs MUTE. */
  boolean unmute(CommandContext ctx, GroupId group, UserId user);

  // ---- content ----

  /**
   * The actor posts {@code content} into the group, recorded as a {@link GroupChange.MessagePosted}
   * event (the outbox the host's message transport is fed from). The actor must be a member
   * (NOT_A_MEMBER); any member posts {@link MessageContent.Text}, an {@link MessageContent.Announcement}
   * needs EDIT_SETTINGS, a {@link MessageContent.VideoCard} FORWARD_CONTENT and a
   * {@link MessageContent.ProductLink} POST_PRODUCT_LINK (NOT_PERMITTED). A muted member is refused
   * with MUTED, a plain member who posted less than the slow-mode interval ago with SLOW_MODE (owners
   * and admins are exempt). Idempotent: a retry with the same key returns the same message.
   */
  GroupMessage post(CommandContext ctx, GroupId group, MessageContent content);

  /**
   * Sets slow mode: each plain member may post once per {@code interval}, 0 to 1 hour;
   * {@link Duration#ZERO} turns it off. Needs EDIT_SETTINGS. Setting the current value records nothing.
   */
  void setSlowMode(CommandContext ctx, GroupId group, Duration interval);

  // ---- red packets (群聊红包) ----

  /**
   * The actor sends a red packet into the group. Needs SEND_RED_PACKET (every role has it by default,
   * as in WeChat and QQ groups; take it from MEMBER with {@link Builder#capabilities}); refused in a
   * disbanded group, for a muted sender (MUTED), a count above the group's members or outside the
   * {@link Builder#redPacketLimits limits} (INVALID_ARGUMENT), an exclusive recipient who is not a
   * member (NOT_A_MEMBER), and when the wallet declines to hold the amount (WALLET_DECLINED). The
   * wallet holds the amount before the packet is recorded; if the packet is not recorded, the hold is
   * released. The shares are decided now, at random for LUCKY and PHRASE packets (every claim place
   * has the same chance of every amount), and recorded in the {@link GroupChange.RedPacketSent} event.
   */
  RedPacketInfo sendRedPacket(CommandContext ctx, GroupId group, RedPacketSpec spec);

  /**
   * The actor claims a share of a red packet, decided and recorded under the group's lock like a
   * seat: a packet of count n gets exactly n claims, one per member, across SDK instances on one
   * store. The wallet pays the claim afterwards, through the outbox relay, retried until done.
   * Errors: RED_PACKET_NOT_FOUND, NOT_A_MEMBER, BANNED, ALREADY_CLAIMED (a retry with the same
   * idempotency key returns the claim instead), RED_PACKET_EMPTY, RED_PACKET_EXPIRED, NOT_ELIGIBLE
   * (an exclusive packet for someone else, a member for less than the packet's {@code memberFor}, or
   * its eligibility rule, whose decision the exception carries), WRONG_PHRASE (PHRASE packets; use
   * {@link #claimRedPacket(CommandContext, RedPacketId, String)}).
   */
  RedPacketClaim claimRedPacket(CommandContext ctx, RedPacketId packet);

  /**
   * Like {@link #claimRedPacket(CommandContext, RedPacketId)} with the phrase the actor typed: it must
   * equal the packet's phrase once both are normalised as pasted text is (full-width forms, case,
   * spaces and invisible characters do not count).
   */
  RedPacketClaim claimRedPacket(CommandContext ctx, RedPacketId packet, String phrase);

  /**
   * The packet as {@code viewer} sees it: claims with amounts and times, the luckiest, what is left
   * and its state. The viewer must be a member of its group, its sender or a claimer (NOT_A_MEMBER).
   */
  RedPacketInfo redPacket(UserId viewer, RedPacketId packet);

  /**
   * Records the refund of every red packet whose lifetime ran out (the wallet releases the remainder
   * through the relay), and releases holds of sends that died before recording their packet; returns
   * how many refunds were recorded. The SDK runs it every {@value Builder#RED_PACKET_SWEEP_SECONDS}
   * seconds unless {@link Builder#startRedPacketSweep(boolean)} is false.
   */
  int expireRedPacketsOnce();

  // ---- queries ----

  /** The group now. */
  GroupInfo group(GroupId group);

  /** The groups {@code owner} owns now, disbanded ones included, in creation order. */
  List<GroupInfo> groupsOf(UserId owner);

  /**
   * What {@code viewer} would meet applying to the group through the button now: a member, banned,
   * pending, closed, full, not eligible (with the rule's explanation and nearest path), or free to
   * apply or join. Changes nothing; the pre-join hook is not asked.
   */
  JoinPreview preview(UserId viewer, GroupId group);

  /**
   * The creator's profile as {@code viewer} sees it: a preview of each active group, in creation
   * order, with the facts the groups' rules read fetched in one call.
   */
  List<JoinPreview> previewGroupsOf(UserId viewer, UserId creator);

  /** The family. */
  Family family(FamilyId family);

  /** The family's active groups, in the order applications try them. */
  List<GroupInfo> familyGroups(FamilyId family);

  /** Members in the order they joined. */
  List<Member> members(GroupId group);

  /** The user's membership, if any. */
  Optional<Member> member(GroupId group, UserId user);

  /** Pending requests, oldest first (overdue ones are expired first). */
  List<JoinRequest> pendingRequests(GroupId group);

  /** One request in its current state. */
  JoinRequest request(RequestId request);

  /** The end of the user's active ban, if banned now. */
  Optional<Instant> bannedUntil(GroupId group, UserId user);

  /** The end of the user's active mute, if muted now. */
  Optional<Instant> mutedUntil(GroupId group, UserId user);

  /** Whether {@code user} holds {@code capability} in the group now. */
  boolean can(GroupId group, UserId user, Capability capability);

  /**
   * Up to {@code limit} events with sequence above {@code afterSequence}, in order: a replay cursor,
   * read from the store (every process's events). A decision's rule explanation is not stored, so
   * events read here carry the decision's verdict, reasons and summary only.
   */
  List<GroupEvent> events(GroupId group, long afterSequence, int limit);

  /**
   * The same events as {@link #events}, as the {@link EventPublisher} receives them: the stored JSON
   * in its envelope (docs/event-format.md), for a host that serves or forwards them as they are.
   */
  List<EventPublisher.PublishedEvent> publishedEvents(GroupId group, long afterSequence, int limit);

  /**
   * Registers a listener: it hears the events committed through this process, once each, in order
   * per group, after the command that made them returned — on an {@link InMemoryGroupStore}, those of
   * every instance built on it. Events committed just before may still reach it. For every event of
   * every process on a shared store, wire an {@link io.fangroups.spi.EventPublisher} (the outbox relay).
   */
  Subscription subscribe(GroupEventListener listener);

  /**
   * The outbox relay that hands committed events to the configured {@code EventPublisher} and
   * messages to the {@code MessageTransport}. With neither configured it has nothing to do.
   */
  OutboxRelay relay();

  /**
   * The pruning job that applies the {@link RetentionPolicy}: keyed commands' records, old
   * messages, history before snapshots, overdue requests. See {@link Retention}.
   */
  Retention retention();

  /** A builder with the in-memory defaults. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Configures {@link FanGroups}. Fails fast: a bad value throws {@link IllegalArgumentException}, a
   * value set twice {@link IllegalStateException}, each naming the setting.
   *
   * <p>On a store shared across processes ({@link GroupStore#sharedAcrossProcesses()}),
   * {@link #build()} throws {@link IllegalStateException} without {@link #passcodeKeys} every
   * instance shares, and without an {@link #attemptLimiter} that declares
   * {@link AttemptLimiter#sharedAcrossInstances()} unless the host opted out with
   * {@link #allowLocalAttemptLimits(String)}.
   */
  final class Builder {
    /** Default groups per creator. */
    public static final int DEFAULT_GROUPS_PER_CREATOR = 10;
    /** Default admins per group, the owner not counted. */
    public static final int DEFAULT_ADMIN_LIMIT = 5;
    /** Default time a join request stays pending. */
    public static final Duration DEFAULT_REQUEST_TTL = Duration.ofDays(7);
    /** Default wait for the fact source. */
    public static final Duration DEFAULT_FACT_TIMEOUT = Duration.ofMillis(500);
    /** Default wait for the pre-join hook, in milliseconds. */
    public static final long DEFAULT_HOOK_TIMEOUT_MS = 300;
    /** Default wait for the pre-join hook. */
    public static final Duration DEFAULT_HOOK_TIMEOUT = Duration.ofMillis(DEFAULT_HOOK_TIMEOUT_MS);
    /** Default live passcodes per group or family. */
    public static final int DEFAULT_PASSCODES_PER_TARGET = 10;

    Clock clock;
    GroupStore store;
    io.fangroups.rules.RuleCompiler ruleCompiler;
    private final Map<String, AdmissionPolicy> policies = new java.util.LinkedHashMap<>();
    IdGenerator ids;
    Integer groupsPerCreator;
    Integer adminLimit;
    Duration requestTtl;
    final Map<Role, Set<Capability>> capabilities = new EnumMap<>(Role.class);
    PasscodeKeys passcodeKeys;
    AttemptLimiter attemptLimiter;
    String localAttemptLimitsReason;
    PasscodeLimits passcodeLimits;
    Blocklist blocklist;
    Integer passcodesPerTarget;
    FactSource factSource;
    Duration factTimeout;
    EventPublisher eventPublisher;
    MessageTransport messageTransport;
    OutboxRelay.Options relayOptions;
    Boolean startRelay;
    PreJoinHook preJoinHook;
    boolean discoverProviders;
    Duration preJoinHookTimeout;
    PreJoinHook.FailureMode preJoinHookFailure;
    RetentionPolicy retention;
    Boolean startPruning;
    Duration keyedAttemptTimeout;
    Wallet wallet;
    RedPacketLimits redPacketLimits;
    Boolean startRedPacketSweep;
    FanGroupsObserver observer;

    /** Default time after which a keyed command's attempt that never finished counts as abandoned. */
    public static final Duration DEFAULT_KEYED_ATTEMPT_TIMEOUT = Duration.ofSeconds(60);

    private Builder() {}

    /** The clock for TTLs, bans, mutes and pauses. Default: the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = once(this.clock, clock, "clock");
      return this;
    }

    /**
     * The store, shared by every instance that should act as one service: an {@link InMemoryGroupStore}
     * in one JVM, or a database implementation of {@link GroupStore} across processes. Default: a
     * new in-memory store.
     */
    public Builder store(GroupStore store) {
      this.store = once(this.store, store, "store");
      return this;
    }

    /**
     * Registers a host policy by name, so groups using it can be written to a store shared across
     * processes (every instance registers the same names). Built-in and rule policies need no name.
     */
    public Builder policy(String name, AdmissionPolicy policy) {
      Checks.text(name, "name", 64);
      Checks.notNull(policy, "policy");
      if (policies.putIfAbsent(name, policy) != null) {
        throw Checks.invalid("a policy named '" + name + "' is already registered");
      }
      return this;
    }

    /**
     * The compiler that rebuilds rule policies read back from a shared store: give it the same
     * schema and custom predicates the rules were compiled with. Default {@code RuleCompiler.of()}.
     */
    public Builder ruleCompiler(io.fangroups.rules.RuleCompiler compiler) {
      this.ruleCompiler = once(this.ruleCompiler, compiler, "ruleCompiler");
      return this;
    }

    /** Where ids come from. Default: {@link IdGenerator#randomUuids()}. */
    public Builder idGenerator(IdGenerator ids) {
      this.ids = once(this.ids, ids, "idGenerator");
      return this;
    }

    /** Active groups one creator may own, 1 to 1000. Default {@value #DEFAULT_GROUPS_PER_CREATOR}. */
    public Builder groupsPerCreator(int quota) {
      this.groupsPerCreator = once(this.groupsPerCreator, inRange(quota, 1, 1000, "groupsPerCreator"), "groupsPerCreator");
      return this;
    }

    /** Admins per group besides the owner, 0 to 100. Default {@value #DEFAULT_ADMIN_LIMIT}. */
    public Builder adminLimit(int limit) {
      this.adminLimit = once(this.adminLimit, inRange(limit, 0, 100, "adminLimit"), "adminLimit");
      return this;
    }

    /** How long a request stays pending, 1 minute to 90 days. Default 7 days. */
    public Builder requestTtl(Duration ttl) {
      if (ttl == null || ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(Duration.ofDays(90)) > 0) {
        throw new IllegalArgumentException("requestTtl must be between 1 minute and 90 days, got " + ttl);
      }
      this.requestTtl = once(this.requestTtl, ttl, "requestTtl");
      return this;
    }

    /**
     * Replaces the capabilities of ADMIN or MEMBER. The owner always has every capability, and
     * TRANSFER_OWNERSHIP and DISBAND stay the owner's alone.
     */
    public Builder capabilities(Role role, Set<Capability> granted) {
      if (role == null || granted == null || granted.stream().anyMatch(java.util.Objects::isNull)) {
        throw new IllegalArgumentException("capabilities: role and granted must be non-null, without null elements");
      }
      if (role == Role.OWNER) {
        throw new IllegalArgumentException("capabilities: the owner always has every capability");
      }
      if (granted.contains(Capability.TRANSFER_OWNERSHIP) || granted.contains(Capability.DISBAND)) {
        throw new IllegalArgumentException("capabilities: TRANSFER_OWNERSHIP and DISBAND are the owner's alone");
      }
      if (capabilities.containsKey(role)) {
        throw new IllegalStateException("capabilities for " + role + " were already set");
      }
      capabilities.put(role, granted.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(granted)));
      return this;
    }

    /**
     * The server keys passcodes are hashed with. Default: a random key held by the store, so codes
     * die with the process; a cluster must configure the same keys on every instance.
     */
    public Builder passcodeKeys(PasscodeKeys keys) {
      this.passcodeKeys = once(this.passcodeKeys, keys, "passcodeKeys");
      return this;
    }

    /**
     * Where passcode attempts are counted. Default: an in-memory limiter held by the store, which
     * counts for this process only.
     *
     * <p>On a store shared across processes ({@link GroupStore#sharedAcrossProcesses()}),
     * {@link #build()} throws {@link IllegalStateException} unless the limiter declares
     * {@link AttemptLimiter#sharedAcrossInstances()}: with a limiter per process, the bound of
     * {@link PasscodeLimits} on guessing is multiplied by the number of processes and reset by a
     * restart. Set a shared limiter here (for example the PostgreSQL example's
     * {@code PostgresAttemptLimiter}), or opt out with {@link #allowLocalAttemptLimits(String)}.
     */
    public Builder attemptLimiter(AttemptLimiter limiter) {
      this.attemptLimiter = once(this.attemptLimiter, limiter, "attemptLimiter");
      return this;
    }

    /**
     * Opt-out: lets {@link #build()} accept a store shared across processes with an attempt limiter
     * that is not shared across instances (the default in-memory one, or one set with
     * {@link #attemptLimiter} that does not declare {@link AttemptLimiter#sharedAcrossInstances()}).
     * Each process then grants its own passcode limits, so the guessing bound holds per process, not
     * per platform. {@link #build()} logs the reason at WARN; it is ignored when the limiter is shared
     * or the store is not.
     *
     * @param reason why local limits are acceptable here, for the log (non-blank)
     * @throws IllegalArgumentException if {@code reason} is null or blank
     * @throws IllegalStateException if already called
     */
    public Builder allowLocalAttemptLimits(String reason) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("allowLocalAttemptLimits needs a reason (non-blank), got "
            + (reason == null ? "null" : "'" + reason + "'"));
      }
      this.localAttemptLimitsReason = once(this.localAttemptLimitsReason, reason.strip(), "allowLocalAttemptLimits");
      return this;
    }

    /** Attempt limits. Default {@link PasscodeLimits#DEFAULT}. */
    public Builder passcodeLimits(PasscodeLimits limits) {
      this.passcodeLimits = once(this.passcodeLimits, limits, "passcodeLimits");
      return this;
    }

    /** Substrings generated codes avoid. Default {@link Passcodes#defaultBlocklist()}. */
    public Builder passcodeBlocklist(Blocklist blocklist) {
      this.blocklist = once(this.blocklist, blocklist, "passcodeBlocklist");
      return this;
    }

    /** Live passcodes per group or family, 1 to 1000. Default {@value #DEFAULT_PASSCODES_PER_TARGET}. */
    public Builder passcodesPerTarget(int limit) {
      this.passcodesPerTarget = once(this.passcodesPerTarget, inRange(limit, 1, 1000, "passcodesPerTarget"),
          "passcodesPerTarget");
      return this;
    }

    /**
     * Where admission policies get facts about applicants. Default {@link FactSource#none()}: every
     * fact unknown, so rules that read facts answer with their unknown policy (REVIEW or DENY).
     */
    public Builder factSource(FactSource source) {
      this.factSource = once(this.factSource, source, "factSource");
      return this;
    }

    /** How long to wait for the fact source, 1 ms to 30 s; then facts are unknown. Default 500 ms. */
    public Builder factTimeout(Duration timeout) {
      if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
        throw new IllegalArgumentException("factTimeout must be between 1 ms and 30 s, got " + timeout);
      }
      this.factTimeout = once(this.factTimeout, timeout, "factTimeout");
      return this;
    }

    /** Where committed events are published (at least once, in order per group). Default: none. */
    public Builder eventPublisher(EventPublisher publisher) {
      this.eventPublisher = once(this.eventPublisher, publisher, "eventPublisher");
      return this;
    }

    /** Where group messages and membership notices are delivered. Default: none. */
    public Builder messageTransport(MessageTransport transport) {
      this.messageTransport = once(this.messageTransport, transport, "messageTransport");
      return this;
    }

    /** Relay threads, timeout, backoff, read batch and attempts before parking. Default {@link OutboxRelay.Options#DEFAULT}. */
    public Builder relayOptions(OutboxRelay.Options options) {
      this.relayOptions = once(this.relayOptions, options, "relayOptions");
      return this;
    }

    /**
     * Whether {@link #build()} starts the relay's background threads when a publisher or transport
     * is configured. Default true; tests and hosts with their own scheduler call
     * {@link OutboxRelay#drainOnce()} instead.
     */
    public Builder startRelay(boolean start) {
      this.startRelay = once(this.startRelay, start, "startRelay");
      return this;
    }

    /** What the store keeps and for how long, and how often groups are snapshotted. Default {@link RetentionPolicy#DEFAULT}. */
    public Builder retention(RetentionPolicy policy) {
      this.retention = once(this.retention, policy, "retention");
      return this;
    }

    /**
     * Whether {@link #build()} starts the pruning job on a background thread. Default: when the
     * store is shared across processes or messages have a retention; a host with its own scheduler
     * sets false and calls {@link Retention#pruneOnce()}.
     */
    public Builder startPruning(boolean start) {
      this.startPruning = once(this.startPruning, start, "startPruning");
      return this;
    }

    /**
     * On a store shared across processes: how long a keyed command's attempt may run before a retry
     * with the same idempotency key treats it as abandoned (its process died) — 1 second to 1 hour,
     * default {@link #DEFAULT_KEYED_ATTEMPT_TIMEOUT}. Until then a retry waits up to 10 seconds and
     * is refused with {@code STORE_UNAVAILABLE}; after it, the retry runs the command unless a change
     * of the first attempt was written, in which case it is refused and the caller reads the state.
     * Set it above the longest a command can take (fact source and hook timeouts included).
     */
    public Builder keyedAttemptTimeout(Duration timeout) {
      if (timeout != null && (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0)) {
        throw new IllegalArgumentException("keyedAttemptTimeout must be between 1 s and 1 h, got " + timeout);
      }
      this.keyedAttemptTimeout = once(this.keyedAttemptTimeout, timeout, "keyedAttemptTimeout");
      return this;
    }

    /**
     * The host's payment system, which holds red packets' money, pays claims and takes refunds back.
     * Default: an empty {@link InMemoryWallet}, so every red packet is declined until the host funds
     * accounts in it. On a store shared across processes, sending a red packet without a wallet set
     * here throws {@link IllegalStateException}: every instance must share one wallet.
     */
    public Builder wallet(Wallet wallet) {
      this.wallet = once(this.wallet, wallet, "wallet");
      return this;
    }

    /** What a red packet may be: currencies, amounts, counts, lifetimes, texts. Default {@link RedPacketLimits#DEFAULT}. */
    public Builder redPacketLimits(RedPacketLimits limits) {
      this.redPacketLimits = once(this.redPacketLimits, limits, "redPacketLimits");
      return this;
    }

    /**
     * Whether {@link #build()} starts the red-packet sweep, which refunds expired packets (and
     * releases holds of sends that died) every {@value #RED_PACKET_SWEEP_SECONDS} seconds. Default
     * true; a host with its own scheduler sets false and calls {@link FanGroups#expireRedPacketsOnce()}.
     */
    public Builder startRedPacketSweep(boolean start) {
      this.startRedPacketSweep = once(this.startRedPacketSweep, start, "startRedPacketSweep");
      return this;
    }

    /**
     * Hears every command's outcome and latency and the passcode limiter's refusals and lookups,
     * e.g. {@code FanGroupsMetrics} from {@code sdk-micrometer}. Default: none, at no cost.
     */
    public Builder observer(FanGroupsObserver observer) {
      this.observer = once(this.observer, observer, "observer");
      return this;
    }

    /** How often the red-packet sweep runs. */
    public static final int RED_PACKET_SWEEP_SECONDS = 30;

    /**
     * The host's pre-join hook, asked about every application the policy does not deny, waiting at
     * most {@code timeout} (1 ms to 10 s); on timeout or failure {@code onFailure} applies.
     * {@link PreJoinHook.FailureMode#REJECT} (fail-closed) is the safe choice.
     */
    public Builder preJoinHook(PreJoinHook hook, Duration timeout, PreJoinHook.FailureMode onFailure) {
      if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("preJoinHook timeout must be between 1 ms and 10 s, got " + timeout);
      }
      this.preJoinHook = once(this.preJoinHook, hook, "preJoinHook");
      this.preJoinHookFailure = once(this.preJoinHookFailure, onFailure, "preJoinHook failure mode");
      this.preJoinHookTimeout = timeout;
      return this;
    }

    /**
     * Opt-in: for each SPI not set on this builder (fact source, event publisher, message
     * transport, attempt limiter, pre-join hook, id generator), look for one implementation with
     * {@link java.util.ServiceLoader}. A provider that fails to load is skipped with a warning;
     * with several, {@code -Dfangroups.provider.<Spi>=<class>} chooses, otherwise the first by
     * class name is used and a warning lists them. A discovered pre-join hook fails closed with a
     * {@value #DEFAULT_HOOK_TIMEOUT_MS} ms timeout.
     */
    public Builder discoverProviders() {
      if (discoverProviders) {
        throw new IllegalStateException("discoverProviders was already called");
      }
      discoverProviders = true;
      return this;
    }

    /**
     * Builds the service; logs once at INFO which defaults it used.
     *
     * @throws IllegalStateException on a store shared across processes, without passcode keys, or with
     *     an attempt limiter not shared across instances and no {@link #allowLocalAttemptLimits(String)}
     */
    public FanGroups build() {
      if (discoverProviders) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        ClassLoader from = loader != null ? loader : FanGroups.class.getClassLoader();
        factSource = factSource != null ? factSource : ProviderDiscovery.discover(FactSource.class, from).orElse(null);
        eventPublisher = eventPublisher != null ? eventPublisher
            : ProviderDiscovery.discover(EventPublisher.class, from).orElse(null);
        messageTransport = messageTransport != null ? messageTransport
            : ProviderDiscovery.discover(MessageTransport.class, from).orElse(null);
        attemptLimiter = attemptLimiter != null ? attemptLimiter
            : ProviderDiscovery.discover(AttemptLimiter.class, from).orElse(null);
        ids = ids != null ? ids : ProviderDiscovery.discover(IdGenerator.class, from).orElse(null);
        if (preJoinHook == null) {
          preJoinHook = ProviderDiscovery.discover(PreJoinHook.class, from).orElse(null);
        }
      }
      return new DefaultFanGroups(new Wiring(clock, store, ruleCompiler, policies, ids, groupsPerCreator, adminLimit,
          requestTtl, capabilities, passcodeKeys, attemptLimiter, passcodeLimits, blocklist, passcodesPerTarget, factSource,
          factTimeout, eventPublisher, messageTransport, relayOptions, startRelay, preJoinHook, preJoinHookTimeout,
          preJoinHookFailure, retention, startPruning, keyedAttemptTimeout, wallet, redPacketLimits, startRedPacketSweep,
          localAttemptLimitsReason, observer));
    }

    private static <T> T once(T current, T value, String name) {
      if (value == null) {
        throw new IllegalArgumentException(name + " must not be null");
      }
      if (current != null) {
        throw new IllegalStateException(name + " was already set to " + current);
      }
      return value;
    }

    private static int inRange(int value, int min, int max, String name) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    }
  }
}
