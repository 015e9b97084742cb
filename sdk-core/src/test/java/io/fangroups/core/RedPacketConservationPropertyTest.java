package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.fangroups.core.event.GroupChange.RedPacketClaimed;
import io.fangroups.core.event.GroupChange.RedPacketRefunded;
import io.fangroups.core.event.GroupChange.RedPacketSent;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.event.OutboxRelay;
import io.fangroups.core.event.ParkedDelivery;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.spi.Wallet;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * A state-machine property of red-packet money: random sequences of sends (every kind, funded and
 * unfunded senders), claims (members and an outsider, right and wrong phrases), clock moves (past
 * expiries and the sweep's grace for dead sends), expiry sweeps, relay drains, parked retries,
 * disbands and crashes (a process replaced by a fresh one, some of them in the middle of a send),
 * run by two SDK instances acting as processes on one shared {@link InMemoryGroupStore} (one with an
 * event publisher besides the wallet, groups snapshotted every 10 events), against a wallet that
 * fails about 30% of its calls (a fifth before the call reaches the ledger, a tenth after
 * it took effect), from a fault script the generator draws, so a failure reproduces and shrinks.
 *
 * <p>At the end the wallet is made healthy, the clock moves past every expiry, every process sweeps
 * and drains, and parked payments are retried until nothing is left to do. Then, for every packet
 * recorded in the events: what its claims were paid plus what was released equals what was held;
 * each claim was paid exactly once, to its claimer, the amount of its event; the claims fit the
 * packet (at most its count, one per member, numbered in order, the shares it was sent with, its
 * whole amount when emptied, else one refund of the rest). The ledger sums to zero, no user account
 * or hold is negative, every hold is empty, a hold whose packet was never recorded was released in
 * full, and every user's balance is what they were given, less what their packets paid out, plus
 * what they claimed: the money of a send that failed is back with its sender.
 */
class RedPacketConservationPropertyTest {
  private static final int EXAMPLES = 120;
  private static final String CNY = "CNY";
  private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
  private static final String PHRASE = "芝麻开门";

  private static final UserId OWNER = UserId.of("c");
  /** Group 0 has u0..u5, group 1 has u3..u7; the owner is in both, the outsider in neither. */
  private static final List<UserId> USERS = List.of(OWNER, UserId.of("u0"), UserId.of("u1"), UserId.of("u2"),
      UserId.of("u3"), UserId.of("u4"), UserId.of("u5"), UserId.of("u6"), UserId.of("u7"), UserId.of("x"));
  private static final UserId OUTSIDER = UserId.of("x");
  private static final List<UserId> G0 = USERS.subList(0, 7);
  private static final List<UserId> G1 = List.of(OWNER, USERS.get(4), USERS.get(5), USERS.get(6), USERS.get(7), USERS.get(8));
  /** What the funded users are given; u2, u5, u7 and the outsider have nothing, so their sends are declined. */
  private static final Map<UserId, Long> FUNDS = Map.of(OWNER, 100_000L, UserId.of("u0"), 20_000L,
      UserId.of("u1"), 10_000L, UserId.of("u3"), 8_000L, UserId.of("u4"), 5_000L, UserId.of("u6"), 2_000L);
  private static final List<RedPacketKind> KINDS = List.of(RedPacketKind.values());
  private static final List<Duration> LIFETIMES = List.of(Duration.ofMinutes(1), Duration.ofMinutes(10),
      Duration.ofHours(1), Duration.ofHours(24));
  /** Steps of the clock: within a packet's life, past the sweep's grace for a dead send, past expiries. */
  private static final List<Duration> ADVANCES = List.of(Duration.ofSeconds(20), Duration.ofMinutes(1),
      Duration.ofMinutes(3), Duration.ofMinutes(12), Duration.ofHours(2), Duration.ofHours(25));
  /** Short backoff and two attempts before parking, so that parked payments and refunds are common. */
  private static final OutboxRelay.Options RELAY = new OutboxRelay.Options(1, Duration.ofSeconds(5),
      Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(50)).withMaxAttempts(2);

  enum Kind { SEND, CLAIM, ADVANCE_CLOCK, EXPIRE, DRAIN, CRASH, CRASH_DURING_SEND, DISBAND }

  /** Claims and sends dominate; a disband is rare (one group in two would otherwise be gone early). */
  private static final List<Kind> WEIGHTED = List.of(Kind.SEND, Kind.SEND, Kind.SEND, Kind.SEND, Kind.CLAIM,
      Kind.CLAIM, Kind.CLAIM, Kind.CLAIM, Kind.CLAIM, Kind.CLAIM, Kind.CLAIM, Kind.CLAIM, Kind.ADVANCE_CLOCK,
      Kind.ADVANCE_CLOCK, Kind.EXPIRE, Kind.EXPIRE, Kind.DRAIN, Kind.DRAIN, Kind.DRAIN, Kind.CRASH, Kind.CRASH_DURING_SEND);

  /** One generated command: indices resolved against the run's state when it runs. */
  record Step(Kind kind, int process, int actor, int target, int size, int param) {
    @Override
    public String toString() {
      return kind + "(p" + process + ",a" + actor + ",t" + target + ",s" + size + ",x" + param + ")";
    }
  }

  /**
   * A sequence of steps and the wallet's fault script: each wallet call takes the next entry (cycling);
   * 0 to 69 succeeds, 70 to 79 takes effect and then fails, 80 to 99 fails before reaching the ledger.
   * Shrinking moves entries towards 0, that is towards fewer failures.
   */
  record Scenario(List<Step> steps, List<Integer> faults) {
    @Override
    public String toString() {
      return "steps=" + steps + " faults=" + faults;
    }
  }

  /** Outcomes over all sequences, to show the property is not vacuous. */
  private static final Map<String, LongAdder> SEEN = new ConcurrentHashMap<>();

  private static void seen(String what) {
    SEEN.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  @Test
  void randomSendsClaimsExpiriesCrashesAndWalletFailures_conserveMoney_andPayEveryClaimOnce() {
    qt().withExamples(EXAMPLES).withShrinkCycles(100).forAll(scenarios()).checkAssert(s -> new Run(s).execute());

    System.out.println("red packet outcomes over " + EXAMPLES + " sequences: " + new TreeMap<>(SEEN));
    assertThat(SEEN).containsKeys("SEND:ok", "SEND:WALLET_DECLINED", "SEND:STORE_UNAVAILABLE", "SEND:INVALID_ARGUMENT",
        "SEND:GROUP_DISBANDED", "CLAIM:ok", "CLAIM:RED_PACKET_EMPTY", "CLAIM:RED_PACKET_EXPIRED", "CLAIM:WRONG_PHRASE",
        "CLAIM:NOT_A_MEMBER", "CLAIM:NOT_ELIGIBLE", "CLAIM:ALREADY_CLAIMED", "CLAIM:GROUP_DISBANDED", "EXPIRE:refunded",
        "CRASH_DURING_SEND:recorded", "CRASH_DURING_SEND:not recorded", "wallet:failed before", "wallet:failed after",
        "parked", "parked retried", "hold released without a packet", "packet emptied", "packet refunded");
  }

  private static Gen<Scenario> scenarios() {
    Gen<Step> step = in -> new Step(WEIGHTED.get(pick(in, WEIGHTED.size())), pick(in, 2), pick(in, USERS.size()),
        pick(in, 1000), pick(in, 1000), pick(in, 1000));
    Gen<Step> rare = in -> pick(in, 150) == 149 ? new Step(Kind.DISBAND, pick(in, 2), 0, pick(in, 2), 0, 0) : step.generate(in);
    return lists().of(rare).ofSizeBetween(30, 100)
        .zip(lists().of(integers().between(0, 99)).ofSizeBetween(10, 40), Scenario::new);
  }

  private static int pick(RandomnessSource in, int bound) {
    return (int) in.next(Constraint.between(0, bound - 1));
  }

  // ---------------------------------------------------------------- the wallet

  /** A wallet in front of the ledger that fails calls as its fault script says, until made healthy. */
  static final class FlakyWallet implements Wallet {
    final InMemoryWallet ledger = InMemoryWallet.create();
    private final List<Integer> faults;
    private int next;
    volatile boolean healthy;

    FlakyWallet(List<Integer> faults) {
      this.faults = faults;
    }

    private synchronized CompletionStage<Void> call(Supplier<CompletionStage<Void>> transfer) {
      int fault = healthy || faults.isEmpty() ? 0 : faults.get(next++ % faults.size());
      if (fault >= 80) {
        seen("wallet:failed before");
        return CompletableFuture.failedFuture(new IllegalStateException("wallet unavailable (test)"));
      }
      CompletionStage<Void> done = transfer.get();
      if (fault >= 70) {
        seen("wallet:failed after");
        return CompletableFuture.failedFuture(new IllegalStateException("connection reset after the transfer (test)"));
      }
      return done;
    }

    @Override
    public CompletionStage<Void> hold(Hold hold) {
      return call(() -> ledger.hold(hold));
    }

    @Override
    public CompletionStage<Void> pay(Payment payment) {
      return call(() -> ledger.pay(payment));
    }

    @Override
    public CompletionStage<Void> release(Release release) {
      return call(() -> ledger.release(release));
    }
  }

  // ---------------------------------------------------------------- one sequence

  private static final class Run {
    private final Scenario scenario;
    private final InMemoryGroupStore shared = InMemoryGroupStore.create();
    private final MutableClock clock = MutableClock.of(START);
    private final FlakyWallet wallet;
    /** Ids are counted across processes, so a run does the same whichever process makes them. */
    private final AtomicLong ids = new AtomicLong();
    private final ProcessClient[] clients = new ProcessClient[2];
    private final FanGroups[] processes = new FanGroups[2];
    private final List<GroupId> groups = new ArrayList<>();
    /** Packets recorded so far (found in the events), and what each is. */
    private final Map<RedPacketId, RedPacketSent> packets = new LinkedHashMap<>();
    private final Map<RedPacketId, GroupId> groupOf = new HashMap<>();
    /** Claims the SDK returned to claimers. */
    private final List<RedPacketClaim> returned = new ArrayList<>();
    /** Packets whose send returned normally. */
    private final Set<RedPacketId> sentOk = new HashSet<>();

    Run(Scenario scenario) {
      this.scenario = scenario;
      this.wallet = new FlakyWallet(scenario.faults());
    }

    /**
     * Process 0 also publishes events, so its relay has a destination besides the wallet and learns
     * of the wallet from the registered set; process 1 has the wallet alone. Snapshots every 10
     * events, so a fresh process loads packets from a snapshot and a tail.
     */
    private void process(int i) {
      clients[i] = new ProcessClient(shared);
      FanGroups.Builder builder = builder(clients[i]);
      if (i == 0) {
        builder.eventPublisher(event -> CompletableFuture.completedFuture(null));
      }
      processes[i] = builder.build();
    }

    private FanGroups.Builder builder(ProcessClient client) {
      return FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).clock(clock).wallet(wallet)
          .idGenerator(kind -> kind + "-" + ids.incrementAndGet()).relayOptions(RELAY).startRelay(false)
          .startRedPacketSweep(false).startPruning(false).retention(RetentionPolicy.DEFAULT.withSnapshotEvery(10));
    }

    private void crash(int i) {
      processes[i].relay().close();
      processes[i].retention().close();
      process(i);
    }

    void execute() {
      process(0);
      process(1);
      groups.add(setUpGroup(processes[0], "g0", G0.subList(1, G0.size())));
      groups.add(setUpGroup(processes[1], "g1", G1.subList(1, G1.size())));
      FUNDS.forEach((user, amount) -> wallet.ledger.deposit(user.value(), CNY, amount));
      clock.advance(Duration.ofMinutes(1));
      for (Step step : scenario.steps()) {
        try {
          run(step);
        } catch (FanGroupsException refused) {
          seen(step.kind() + ":" + refused.code());
        }
      }
      settle();
      assertConserved();
    }

    private GroupId setUpGroup(FanGroups sdk, String name, List<UserId> members) {
      GroupId group = sdk.createGroup(CommandContext.of(OWNER), GroupSettings.of(name, 200)).id();
      members.forEach(m -> sdk.addMember(CommandContext.of(OWNER), group, m));
      return group;
    }

    private void run(Step step) {
      FanGroups sdk = processes[step.process()];
      switch (step.kind()) {
        case SEND -> {
          send(sdk, step);
          seen("SEND:ok");
        }
        case CLAIM -> claim(sdk, step);
        case ADVANCE_CLOCK -> clock.advance(ADVANCES.get(step.param() % ADVANCES.size()));
        case EXPIRE -> {
          if (sdk.expireRedPacketsOnce() > 0) {
            seen("EXPIRE:refunded");
          }
        }
        case DRAIN -> {
          sdk.relay().drainOnce();
          if (step.param() % 2 == 0) {
            sdk.relay().drainOnce(); // the failed deliveries again: a second failure parks one
          }
          if (step.param() % 3 == 0) {
            retryParked(sdk);
          }
        }
        case CRASH -> crash(step.process());
        case CRASH_DURING_SEND -> crashDuringSend(step);
        case DISBAND -> {
          sdk.disband(CommandContext.of(OWNER), groups.get(step.target() % 2));
          findPackets();
        }
      }
    }

    private void send(FanGroups sdk, Step step) {
      GroupId group = groups.get(step.target() % 2);
      UserId sender = someone(group, step.actor());
      RedPacketKind kind = KINDS.get(step.param() % KINDS.size());
      int count = 1 + step.size() % 8; // up to 8 shares: more than a group's members now and then
      long share = 1 + (step.size() * 7L + step.param()) % 600;
      Duration lifetime = LIFETIMES.get((step.param() / 4) % LIFETIMES.size());
      RedPacketSpec spec = switch (kind) {
        case LUCKY -> RedPacketSpec.lucky(count * share, CNY, count);
        case EQUAL -> RedPacketSpec.equal(share, CNY, count);
        case EXCLUSIVE -> RedPacketSpec.exclusive(count * share, CNY, USERS.get((step.actor() + step.size()) % USERS.size()));
        case PHRASE -> RedPacketSpec.phrase(count * share, CNY, count, PHRASE);
      };
      try {
        RedPacketInfo info = sdk.sendRedPacket(CommandContext.of(sender), group, spec.withLifetime(lifetime));
        sentOk.add(info.id());
      } finally {
        findPackets(); // a send that failed after its packet was recorded is found too
      }
    }

    private void claim(FanGroups sdk, Step step) {
      if (packets.isEmpty()) {
        return;
      }
      List<RedPacketId> ids = new ArrayList<>(packets.keySet());
      int latest = step.target() % 4 != 0 ? step.target() % Math.min(3, ids.size()) : -1; // mostly a recent one
      RedPacketId id = latest >= 0 ? ids.get(ids.size() - 1 - latest) : ids.get(step.target() % ids.size());
      RedPacketSent sent = packets.get(id);
      UserId claimer = someone(groupOf.get(id), step.actor());
      boolean rightPhrase = step.param() % 4 != 0;
      RedPacketClaim claim = rightPhrase ? sdk.claimRedPacket(CommandContext.of(claimer), id, PHRASE)
          : sdk.claimRedPacket(CommandContext.of(claimer), id, "芝麻关门");
      seen("CLAIM:ok");
      assertThat(claimer).as("an outsider never claims").isNotEqualTo(OUTSIDER);
      assertThat(rightPhrase || sent.spec().kind() != RedPacketKind.PHRASE).as("a wrong phrase never claims").isTrue();
      sent.spec().recipient().ifPresent(r -> assertThat(claimer).as("an exclusive packet's claimer").isEqualTo(r));
      assertThat(claim.amount()).isEqualTo(sent.shares().get(claim.number() - 1));
      returned.add(claim);
    }

    /** Mostly one of the group's members; now and then the outsider or a member of the other group only. */
    private UserId someone(GroupId group, int actor) {
      boolean first = group.equals(groups.get(0));
      List<UserId> members = first ? G0 : G1;
      if (actor < 8) {
        return members.get(actor % members.size());
      }
      return actor == 8 ? OUTSIDER : UserId.of(first ? "u7" : "u0");
    }

    /** The process's store fails the send's group write, before it lands or after; then the process dies. */
    private void crashDuringSend(Step step) {
      ProcessClient client = clients[step.process()];
      boolean lands = step.param() % 2 == 0;
      if (lands) {
        client.landThenFailWhen.set(ProcessClient.touches("group/"));
      } else {
        client.before = () -> {
          throw new IllegalStateException("the process died before the write (test)");
        };
        client.beforeWhen.set(ProcessClient.touches("group/"));
      }
      int known = packets.size();
      try {
        send(processes[step.process()], step);
        seen("CRASH_DURING_SEND:not reached");
      } catch (FanGroupsException e) {
        if (e.code() == ErrorCode.STORE_UNAVAILABLE) {
          seen("CRASH_DURING_SEND:" + (packets.size() > known ? "recorded" : "not recorded"));
        }
      }
      crash(step.process());
    }

    private void retryParked(FanGroups sdk) {
      for (ParkedDelivery p : sdk.relay().parked(1_000)) {
        if (sdk.relay().retry(p)) {
          seen("parked retried");
        }
      }
    }

    /** Reads both groups' events for packets recorded since the last look. */
    private void findPackets() {
      for (GroupId group : groups) {
        for (GroupEvent e : events(processes[0], group)) {
          if (e.change() instanceof RedPacketSent s && packets.putIfAbsent(s.packet(), s) == null) {
            groupOf.put(s.packet(), group);
          }
        }
      }
    }

    private static List<GroupEvent> events(FanGroups sdk, GroupId group) {
      return sdk.events(group, 0, 10_000);
    }

    /**
     * The wallet healthy, the clock past every expiry and every dead send's grace, then sweeps,
     * drains and retries of parked deliveries in every process (and a fresh one, which learns of the
     * wallet destination at once) until a round finds nothing to do.
     */
    private void settle() {
      wallet.healthy = true;
      clock.advance(Duration.ofHours(25));
      FanGroups fresh = builder(new ProcessClient(shared)).build();
      List<FanGroups> all = List.of(processes[0], processes[1], fresh);
      for (FanGroups sdk : all) {
        if (sdk.expireRedPacketsOnce() > 0) {
          seen("EXPIRE:refunded");
        }
      }
      for (int round = 0; ; round++) {
        assertThat(round).as("rounds until nothing is left to deliver").isLessThan(10);
        int done = 0;
        for (FanGroups sdk : all) {
          done += sdk.relay().drainOnce();
          for (ParkedDelivery p : sdk.relay().parked(1_000)) {
            seen("parked");
            assertThat(sdk.relay().retry(p)).as("retrying %s with a healthy wallet", p).isTrue();
            done++;
          }
        }
        if (done == 0) {
          break;
        }
      }
      for (FanGroups sdk : all) {
        assertThat(sdk.relay().parked(1_000)).isEmpty();
      }
      findPackets();
    }

    private void assertConserved() {
      InMemoryWallet ledger = wallet.ledger;
      List<InMemoryWallet.Transfer> transfers = ledger.transfers();
      Map<String, Long> sums = new HashMap<>();
      Map<String, List<InMemoryWallet.Transfer>> byId = new HashMap<>();
      for (InMemoryWallet.Transfer t : transfers) {
        sums.merge(t.kind() + " " + t.transferId(), t.amount(), Long::sum);
        byId.computeIfAbsent(t.transferId(), k -> new ArrayList<>()).add(t);
      }
      Map<RedPacketId, List<RedPacketClaimed>> claims = new HashMap<>();
      Map<RedPacketId, List<RedPacketRefunded>> refunds = new HashMap<>();
      for (GroupId group : groups) {
        for (GroupEvent e : events(processes[0], group)) {
          if (e.change() instanceof RedPacketClaimed c) {
            claims.computeIfAbsent(c.packet(), k -> new ArrayList<>()).add(c);
          } else if (e.change() instanceof RedPacketRefunded r) {
            refunds.computeIfAbsent(r.packet(), k -> new ArrayList<>()).add(r);
          }
        }
      }
      assertThat(packets.keySet()).as("packets whose send returned are recorded").containsAll(sentOk);

      Map<UserId, Long> expected = new HashMap<>();
      USERS.forEach(u -> expected.put(u, FUNDS.getOrDefault(u, 0L)));
      for (RedPacketSent sent : packets.values()) {
        String id = sent.packet().value();
        String hold = "rp/" + id + "/hold";
        RedPacketSpec spec = sent.spec();
        List<RedPacketClaimed> made = claims.getOrDefault(sent.packet(), List.of());
        long held = sums.getOrDefault("HOLD " + hold, 0L);
        long released = sums.getOrDefault("RELEASE rp/" + id + "/release", 0L);
        long paid = transfers.stream().filter(t -> t.kind() == InMemoryWallet.Kind.PAY
            && t.transferId().startsWith("rp/" + id + "/claim/")).mapToLong(InMemoryWallet.Transfer::amount).sum();
        assertThat(held).as("%s held", id).isEqualTo(spec.amount());
        assertThat(paid + released).as("%s paid %d + released %d", id, paid, released).isEqualTo(held);
        assertThat(ledger.held(hold)).as("%s left in its hold", id).isZero();

        // The claims fit the packet.
        assertThat(made.size()).as("%s claims", id).isLessThanOrEqualTo(spec.count());
        assertThat(made).extracting(RedPacketClaimed::user).as("%s claimers", id).doesNotHaveDuplicates()
            .doesNotContain(OUTSIDER);
        for (int n = 0; n < made.size(); n++) {
          RedPacketClaimed c = made.get(n);
          assertThat(c.number()).as("%s claim numbers", id).isEqualTo(n + 1);
          assertThat(c.amount()).as("%s claim %d", id, n + 1).isEqualTo(sent.shares().get(n));
          spec.recipient().ifPresent(r -> assertThat(c.user()).isEqualTo(r));
          // Paid exactly once, to the claimer, the amount of the event.
          List<InMemoryWallet.Transfer> payments = byId.getOrDefault("rp/" + id + "/claim/" + c.number(), List.of());
          assertThat(payments).as("%s payments of claim %d", id, c.number()).singleElement().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(InMemoryWallet.Kind.PAY);
            assertThat(t.credit()).isEqualTo("user:" + c.user().value());
            assertThat(t.amount()).isEqualTo(c.amount());
          });
          expected.merge(c.user(), c.amount(), Long::sum);
        }
        long claimed = made.stream().mapToLong(RedPacketClaimed::amount).sum();
        assertThat(paid).as("%s paid is what was claimed", id).isEqualTo(claimed);
        List<RedPacketRefunded> refunded = refunds.getOrDefault(sent.packet(), List.of());
        if (made.size() == spec.count()) {
          seen("packet emptied");
          assertThat(claimed).as("%s emptied: its claims are its amount", id).isEqualTo(spec.amount());
          assertThat(refunded).as("%s emptied: no refund", id).isEmpty();
        } else {
          seen("packet refunded");
          assertThat(refunded).as("%s refunds", id).singleElement()
              .satisfies(r -> assertThat(r.amount()).isEqualTo(spec.amount() - claimed));
          assertThat(released).isEqualTo(spec.amount() - claimed);
        }
        expected.merge(sent.sender(), -paid, Long::sum);
      }
      assertThat(byId.keySet().stream().filter(t -> t.contains("/claim/")))
          .as("payments of claims that are recorded").allMatch(t -> claims.values().stream().flatMap(List::stream)
              .anyMatch(c -> t.equals("rp/" + c.packet().value() + "/claim/" + c.number())));

      // Every claim a claimer was told of is recorded.
      for (RedPacketClaim c : returned) {
        assertThat(claims.get(c.packet())).as("the claim returned to %s", c.user())
            .contains(new RedPacketClaimed(c.packet(), c.user(), c.number(), c.amount(), c.currency()));
      }

      // Holds of sends that were never recorded are released in full.
      for (InMemoryWallet.HoldBalance h : ledger.holds()) {
        assertThat(h.remaining()).as("what remains in %s", h.holdId()).isZero();
        String id = h.holdId().substring("rp/".length(), h.holdId().length() - "/hold".length());
        if (!packets.containsKey(RedPacketId.of(id))) {
          seen("hold released without a packet");
          assertThat(sums.getOrDefault("RELEASE rp/" + id + "/release", 0L)).as("released of unsent %s", id)
              .isEqualTo(h.amount());
        }
      }

      assertThat(ledger.total(CNY)).as("the ledger's total").isZero();
      for (UserId u : USERS) {
        assertThat(ledger.balance(u.value(), CNY)).as("balance of %s", u).isNotNegative().isEqualTo(expected.get(u));
      }
    }
  }
}
