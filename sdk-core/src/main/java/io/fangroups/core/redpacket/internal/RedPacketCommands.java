package io.fangroups.core.redpacket.internal;

import io.fangroups.core.Capability;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.Member;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.RedPacketClaimed;
import io.fangroups.core.event.GroupChange.RedPacketSent;
import io.fangroups.core.internal.Checks;
import io.fangroups.core.internal.CommandRunner;
import io.fangroups.core.internal.GroupRepository;
import io.fangroups.core.internal.GroupState;
import io.fangroups.core.internal.Packet;
import io.fangroups.core.internal.Permissions;
import io.fangroups.core.internal.StoreAccess;
import io.fangroups.core.internal.format.StoreRecord;
import io.fangroups.core.internal.format.StoreRecord.HoldStarted;
import io.fangroups.core.passcode.PasscodeExtractor;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketLimits;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.spi.IdGenerator;
import io.fangroups.spi.Wallet;
import java.security.SecureRandom;
import io.fangroups.core.FanGroups;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Red packets: sending (the wallet holds the money, see {@link Holds}, then the packet is recorded),
 * claiming (decided and recorded under the group's lock like a seat; the wallet is paid afterwards
 * by the relay), what a packet shows, and refunding what is left at expiry.
 */
public final class RedPacketCommands {

  private final CommandRunner runner;
  private final Permissions permissions;
  private final GroupRepository store;
  private final StoreAccess access;
  private final ClaimRule rules;
  private final IdGenerator ids;
  private final Holds holds;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final RedPacketLimits limits;
  /** Registers the relay's wallet destination (and starts the relay) before money moves. */
  private final Runnable beforeMoney;
  private final SecureRandom random = new SecureRandom();
  /** Set when the store is shared across processes but the wallet is this process's default in-memory one. */
  private final boolean walletNotShared;

  /** How a packet's eligibility rule is asked about a claimer (the admission engine, with the host's facts). */
  @FunctionalInterface
  public interface ClaimRule {
    AdmissionDecision decide(AdmissionPolicy rule, UserId owner, GroupId group, Member claimer, Instant now);
  }

  public RedPacketCommands(CommandRunner runner, Permissions permissions, GroupRepository store, ClaimRule rules,
      IdGenerator ids, Wallet wallet, boolean walletNotShared, RedPacketLimits limits, Duration walletTimeout,
      Runnable beforeMoney) {
    this.runner = runner;
    this.permissions = permissions;
    this.store = store;
    this.access = store.access();
    this.rules = rules;
    this.ids = ids;
    this.holds = new Holds(store.access(), wallet, walletTimeout);
    this.walletNotShared = walletNotShared;
    this.limits = limits;
    this.beforeMoney = beforeMoney;
  }

  // ---------------------------------------------------------------- sending

  public RedPacketInfo send(CommandContext ctx, GroupId group, RedPacketSpec spec) {
    if (walletNotShared) {
      // Another process's relay would pay claims from a hold this process's wallet alone knows.
      throw new IllegalStateException("red packets on a store shared across processes need a wallet every instance "
          + "shares: set FanGroups.Builder.wallet(...)");
    }
    requireWithinLimits(spec);
    return runner.idempotent(ctx, "sendRedPacket", () -> sendOnce(ctx, group, spec), group, spec);
  }

  private RedPacketInfo sendOnce(CommandContext ctx, GroupId group, RedPacketSpec spec) {
    UserId sender = ctx.actor();
    Instant checkedAt = runner.now();
    store.read(group, state -> requireMaySend(state, sender, spec, checkedAt));
    RedPacketId id = RedPacketId.of(ids.newId("rp"));
    List<Long> shares = Arrays.stream(split(spec)).boxed().toList();
    beforeMoney.run();
    String intent = holds.hold(new HoldStarted(group, id, sender, spec.amount(), spec.currency(), checkedAt));
    Instant sentAt = runner.now();
    try {
      runner.write(group, sentAt, (state, out) -> {
        requireMaySend(state, sender, spec, sentAt);
        out.emit(Attribution.of(ctx), new RedPacketSent(id, sender, spec, sentAt.plus(spec.lifetime()), shares));
        return null;
      });
    } catch (FanGroupsException e) {
      if (e.code() != ErrorCode.STORE_UNAVAILABLE) {
        holds.releaseWhole(id, spec.amount(), spec.currency(), intent); // refused on the fresh state: nothing was recorded
      } // else the packet may have been recorded: the sweep decides from its key, after the grace period
      throw e;
    }
    holds.deleteIntent(intent);
    return store.read(group, state -> state.redPackets.get(id).info(group, sentAt));
  }

  /** The packet's shares, decided now: the n-th claim gets the n-th. */
  private long[] split(RedPacketSpec spec) {
    return switch (spec.kind()) {
      case EQUAL -> Splits.equal(spec.amount(), spec.count());
      case EXCLUSIVE -> new long[] {spec.amount()};
      case LUCKY, PHRASE -> Splits.lucky(spec.amount(), spec.count(), limits.minShare(), random);
    };
  }

  private @Nullable Void requireMaySend(GroupState state, UserId sender, RedPacketSpec spec, Instant now) {
    Permissions.requireActive(state);
    if (state.roleOf(sender).isEmpty()) {
      throw new FanGroupsException(ErrorCode.NOT_A_MEMBER, sender + " is not a member of " + state.id
          + "; only members send red packets");
    }
    permissions.require(state, sender, Capability.SEND_RED_PACKET);
    Optional<Instant> muted = state.mutedUntil(sender, now);
    if (muted.isPresent()) {
      throw new FanGroupsException(ErrorCode.MUTED, sender + " is muted in " + state.id + " until " + muted.get());
    }
    if (spec.count() > state.members.size()) {
      throw Checks.invalid("a red packet has at most one share per member: " + state.id + " has " + state.members.size()
          + " members, the packet " + spec.count() + " shares");
    }
    if (spec.recipient().isPresent() && !state.members.containsKey(spec.recipient().get())) {
      throw new FanGroupsException(ErrorCode.NOT_A_MEMBER, "the recipient " + spec.recipient().get()
          + " is not a member of " + state.id);
    }
    return null;
  }

  /** The spec within the builder's limits; INVALID_ARGUMENT naming the limit otherwise. */
  private void requireWithinLimits(RedPacketSpec spec) {
    Checks.notNull(spec, "spec");
    if (!limits.currencies().contains(spec.currency())) {
      throw Checks.invalid("currency " + spec.currency() + " is not accepted; accepted: " + limits.currencies());
    }
    if (spec.amount() > limits.maxAmount()) {
      throw Checks.invalid("amount " + spec.amount() + " is over the limit of " + limits.maxAmount() + " minor units");
    }
    if (spec.count() > limits.maxCount()) {
      throw Checks.invalid("count " + spec.count() + " is over the limit of " + limits.maxCount() + " shares");
    }
    if (spec.amount() / spec.count() < limits.minShare()) {
      throw Checks.invalid("amount " + spec.amount() + " is below " + spec.count() + " shares of at least "
          + limits.minShare() + " minor units");
    }
    if (spec.lifetime().compareTo(limits.maxLifetime()) > 0 || spec.lifetime().compareTo(Duration.ofMinutes(1)) < 0) {
      throw Checks.invalid("lifetime must be between 1 minute and " + limits.maxLifetime() + ", got " + spec.lifetime());
    }
    if (spec.memberFor().compareTo(limits.maxMemberFor()) > 0) {
      throw Checks.invalid("memberFor must be at most " + limits.maxMemberFor() + ", got " + spec.memberFor());
    }
    Checks.text(spec.greeting(), "greeting", limits.maxGreetingLength());
    spec.phrase().ifPresent(p -> {
      Checks.text(p, "phrase", limits.maxPhraseLength());
      if (PasscodeExtractor.comparable(p).isEmpty()) {
        throw Checks.invalid("phrase must have a visible character");
      }
    });
  }

  // ---------------------------------------------------------------- claiming

  public RedPacketClaim claim(CommandContext ctx, RedPacketId packet, @Nullable String phrase) {
    GroupId group = groupOf(packet);
    String typed = phrase == null ? null : PasscodeExtractor.comparable(phrase);
    return runner.idempotent(ctx, "claimRedPacket", () -> claimOnce(ctx, group, packet, typed), packet,
        typed == null ? "" : typed);
  }

  private RedPacketClaim claimOnce(CommandContext ctx, GroupId group, RedPacketId id, @Nullable String typed) {
    UserId user = ctx.actor();
    beforeMoney.run();
    Instant now = runner.now();
    Optional<AdmissionDecision> ruled = ruleDecision(group, id, user, now);
    return runner.write(group, now, (state, out) -> {
      Packet packet = packetIn(state, id);
      Member member = requireMayClaim(state, packet, user, now, typed);
      if (ruled.isPresent() && ruled.get().verdict() != Verdict.ALLOW) {
        throw notEligible(user, id, ruled.get().summary().isEmpty() ? String.join(", ", ruled.get().reasons())
            : ruled.get().summary(), ruled.get());
      }
      int number = packet.claims().size() + 1;
      long amount = packet.nextShare();
      String currency = packet.sent.spec().currency();
      out.emit(Attribution.of(ctx), new RedPacketClaimed(id, member.user(), number, amount, currency));
      return new RedPacketClaim(id, user, number, amount, currency, now);
    });
  }

  /** The decision of the packet's eligibility rule, asked outside the lock (it may fetch facts); empty without a rule. */
  private Optional<AdmissionDecision> ruleDecision(GroupId group, RedPacketId id, UserId user, Instant now) {
    record Ask(AdmissionPolicy rule, UserId owner, Member member) {}
    Optional<Ask> ask = store.read(group, state -> {
      Packet packet = packetIn(state, id);
      Member member = state.members.get(user);
      return member == null ? Optional.<Ask>empty()
          : packet.sent.spec().eligibility().map(rule -> new Ask(rule, state.owner, member));
    });
    return ask.map(a -> rules.decide(a.rule(), a.owner(), group, a.member(), now));
  }

  /** The claimer's membership, if every check but the rule's passes. In the order a claimer should hear them. */
  private Member requireMayClaim(GroupState state, Packet packet, UserId user, Instant now, @Nullable String typed) {
    RedPacketId id = packet.sent.packet();
    Permissions.requireActive(state);
    Optional<Instant> banned = state.bannedUntil(user, now);
    if (banned.isPresent()) {
      throw new FanGroupsException(ErrorCode.BANNED, user + " is banned from " + state.id + " until " + banned.get());
    }
    Member member = state.members.get(user);
    if (member == null) {
      throw new FanGroupsException(ErrorCode.NOT_A_MEMBER, user + " is not a member of " + state.id
          + "; only members claim its red packets");
    }
    Optional<RedPacketClaim> mine = packet.claimOf(user);
    if (mine.isPresent()) {
      throw new FanGroupsException(ErrorCode.ALREADY_CLAIMED, user + " already claimed " + mine.get().amount()
          + " minor units of " + mine.get().currency() + " from red packet " + id + " (claim #" + mine.get().number() + ")");
    }
    if (packet.isEmptied()) {
      throw new FanGroupsException(ErrorCode.RED_PACKET_EMPTY, "every share of red packet " + id + " was claimed");
    }
    if (!packet.isOpenAt(now)) {
      throw new FanGroupsException(ErrorCode.RED_PACKET_EXPIRED, "red packet " + id + " expired at "
          + packet.sent.expiresAt() + "; what was left returns to the sender");
    }
    RedPacketSpec spec = packet.sent.spec();
    if (spec.recipient().isPresent() && !spec.recipient().get().equals(user)) {
      throw notEligible(user, id, "the packet is for " + spec.recipient().get() + " alone", null);
    }
    if (spec.kind() == RedPacketKind.PHRASE && (typed == null || !typed.equals(PasscodeExtractor.comparable(spec.phrase().get())))) {
      throw new FanGroupsException(ErrorCode.WRONG_PHRASE, "that is not red packet " + id + "'s phrase");
    }
    Instant memberSince = packet.sentAt.minus(spec.memberFor());
    if (member.joinedAt().isAfter(memberSince)) {
      throw notEligible(user, id, "only members who joined by " + memberSince + " (" + spec.memberFor()
          + " before it was sent) may claim it; " + user + " joined at " + member.joinedAt(), null);
    }
    return member;
  }

  private static FanGroupsException notEligible(UserId user, RedPacketId id, String why, @Nullable AdmissionDecision decision) {
    return new FanGroupsException(ErrorCode.NOT_ELIGIBLE, user + " may not claim red packet " + id + ": " + why, decision,
        null);
  }

  private static Packet packetIn(GroupState state, RedPacketId id) {
    Packet packet = state.redPackets.get(id);
    if (packet == null) {
      throw new FanGroupsException(ErrorCode.RED_PACKET_NOT_FOUND, "no red packet " + id);
    }
    return packet;
  }

  private GroupId groupOf(RedPacketId packet) {
    Checks.notNull(packet, "packet");
    return store.groupOf(packet).orElseThrow(() -> new FanGroupsException(ErrorCode.RED_PACKET_NOT_FOUND,
        "no red packet " + packet));
  }

  // ---------------------------------------------------------------- queries

  /** The packet as {@code viewer} sees it: a member of its group, its sender or one of its claimers. */
  public RedPacketInfo redPacket(UserId viewer, RedPacketId id) {
    Checks.notNull(viewer, "viewer");
    GroupId group = groupOf(id);
    Instant now = runner.now();
    return store.read(group, state -> {
      Packet packet = packetIn(state, id);
      if (!state.members.containsKey(viewer) && !packet.sent.sender().equals(viewer) && packet.claimOf(viewer).isEmpty()) {
        throw new FanGroupsException(ErrorCode.NOT_A_MEMBER, viewer + " is not a member of " + group
            + " and did not send or claim red packet " + id);
      }
      return packet.info(group, now);
    });
  }

  // ---------------------------------------------------------------- expiry

  /**
   * Starts the sweep ({@link #expireOnce}) on a daemon thread every
   * {@value FanGroups.Builder#RED_PACKET_SWEEP_SECONDS} seconds; starting twice is harmless.
   */
  public void startSweep() {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    ScheduledExecutorService sweep = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fangroups-red-packet-sweep");
      t.setDaemon(true);
      return t;
    });
    sweep.scheduleWithFixedDelay(() -> {
      try {
        expireOnce();
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(RedPacketCommands.class).warn("fangroups: red-packet sweep failed; it runs again in {} s",
            FanGroups.Builder.RED_PACKET_SWEEP_SECONDS, e);
      }
    }, FanGroups.Builder.RED_PACKET_SWEEP_SECONDS, FanGroups.Builder.RED_PACKET_SWEEP_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Records the refund of every red packet whose lifetime ran out, through the due-packet index, and
   * releases the holds of sends that died before recording their packet; returns the refunds recorded.
   */
  public int expireOnce() {
    Instant now = runner.now();
    int refunds = store.sweepDue(GroupRepository.RED_PACKET_DUE, now, r -> r instanceof StoreRecord.RedPacketDue due
        ? refundIfExpired(due.group(), due.packet(), now) : 0);
    holds.releaseOrphans(now);
    return refunds;
  }

  private int refundIfExpired(GroupId group, RedPacketId id, Instant now) {
    beforeMoney.run();
    return store.inCommand(() -> runner.write(group, now, (state, out) -> {
      Packet packet = state.redPackets.get(id);
      if (packet == null || packet.isRefunded() || packet.isEmptied() || now.isBefore(packet.sent.expiresAt())) {
        return 0;
      }
      out.emit(Attribution.system("red packet expired"), packet.refund());
      return 1;
    }));
  }


}
