package io.fangroups.core;

import static io.fangroups.core.Fixture.as;
import static io.fangroups.core.Fixture.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionStage;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketLimits;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.core.redpacket.RedPacketState;
import io.fangroups.spi.MessageTransport;
import io.fangroups.spi.Wallet;
import io.fangroups.testkit.Concurrently;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group red packets: sending, claiming, the wallet's holds, payments and refunds, and every refusal. */
class RedPacketTest {
  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  private final InMemoryWallet wallet = InMemoryWallet.create();
  private final List<MessageTransport.OutgoingMessage> chat = new CopyOnWriteArrayList<>();
  private final FanGroups groups = FanGroups.builder().clock(clock).wallet(wallet).startRelay(false)
      .startRedPacketSweep(false).messageTransport(m -> {
        chat.add(m);
        return CompletableFuture.completedFuture(null);
      })
      .policy("vip", applicant -> applicant.user().value().startsWith("vip")
          ? AdmissionDecision.allow() : AdmissionDecision.deny("fan-club level below 3", "FAN_CLUB_LEVEL"))
      .build();
  private final UserId creator = UserId.of("creator");
  private GroupId group;

  @BeforeEach
  void groupOfTenFansAndAFundedCreator() {
    group = groups.createGroup(as(creator), GroupSettings.builder().name("小鹿的粉丝1群").cap(GroupSettings.CAP_500)
        .joinMode(JoinMode.OPEN).build()).id();
    for (int i = 0; i < 10; i++) {
      groups.addMember(as(creator), group, fan(i));
    }
    wallet.deposit("creator", "CNY", 100_000);
    clock.advance(Duration.ofDays(1));
  }

  private static UserId fan(int i) {
    return UserId.of("fan" + i);
  }

  private RedPacketInfo send(RedPacketSpec spec) {
    return groups.sendRedPacket(as(creator), group, spec);
  }

  private List<GroupEvent> events() {
    return groups.events(group, 0, 10_000);
  }

  private long paidTo(int fans) {
    long paid = 0;
    for (int i = 0; i < fans; i++) {
      paid += wallet.balance(fan(i).value(), "CNY");
    }
    return paid;
  }

  @Test
  void luckyPacket_claimedByEveryShare_paysExactlyTheAmountAndNamesTheLuckiest() {
    RedPacketInfo sent = send(RedPacketSpec.lucky(8_888, "CNY", 10));
    assertThat(wallet.balance("creator", "CNY")).isEqualTo(100_000 - 8_888);
    assertThat(wallet.held("rp/" + sent.id() + "/hold")).isEqualTo(8_888);

    List<RedPacketClaim> claims = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      claims.add(groups.claimRedPacket(as(fan(i)), sent.id()));
    }
    assertThat(claims).extracting(RedPacketClaim::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(claims.stream().mapToLong(RedPacketClaim::amount).sum()).isEqualTo(8_888);
    assertThat(claims).allSatisfy(c -> assertThat(c.amount()).isGreaterThanOrEqualTo(1));
    assertCode(ErrorCode.RED_PACKET_EMPTY, () -> groups.claimRedPacket(as(creator), sent.id()));

    assertThat(paidTo(10)).isZero(); // a claim is recorded first; the relay pays it
    assertThat(groups.relay().status().walletBehind()).as("events the wallet has not seen").isPositive();
    assertThat(groups.relay().status().caughtUp()).isFalse();
    groups.relay().drainOnce();
    assertThat(groups.relay().status().walletBehind()).isZero();
    assertThat(paidTo(10)).isEqualTo(8_888);
    assertThat(wallet.held("rp/" + sent.id() + "/hold")).isZero();

    RedPacketInfo info = groups.redPacket(fan(3), sent.id());
    assertThat(info.state()).isEqualTo(RedPacketState.EMPTIED);
    assertThat(info.remaining()).isZero();
    long max = claims.stream().mapToLong(RedPacketClaim::amount).max().orElseThrow();
    assertThat(info.luckiest()).hasValueSatisfying(l -> assertThat(l.amount()).isEqualTo(max));
    assertThat(info.claims()).isEqualTo(claims);
  }

  @Test
  void sentPacket_reachesTheChatAsACard_withoutItsShares() {
    RedPacketInfo sent = send(RedPacketSpec.lucky(8_888, "CNY", 10).withGreeting("谢谢大家支持"));
    groups.relay().drainOnce();
    assertThat(chat).filteredOn(m -> m.kind().equals("red_packet")).singleElement().satisfies(card -> {
      assertThat(card.senderId()).isEqualTo("creator");
      assertThat(card.fields()).containsEntry("packetId", sent.id().value()).containsEntry("greeting", "谢谢大家支持")
          .containsEntry("packetKind", "lucky").containsEntry("count", "10").doesNotContainKey("shares");
    });
  }

  @Test
  void equalPacket_givesEveryClaimTheSameShare() {
    RedPacketInfo sent = send(RedPacketSpec.equal(200, "CNY", 5));
    assertThat(sent.amount()).isEqualTo(1_000);
    for (int i = 0; i < 5; i++) {
      assertThat(groups.claimRedPacket(as(fan(i)), sent.id()).amount()).isEqualTo(200);
    }
    assertThat(groups.redPacket(creator, sent.id()).luckiest()).isEmpty();
  }

  @Test
  void claim_twice_isAlreadyClaimed_andARetryWithTheSameKeyReturnsTheFirstClaim() {
    RedPacketInfo sent = send(RedPacketSpec.lucky(1_000, "CNY", 5));
    RedPacketClaim first = groups.claimRedPacket(as(fan(0)).withIdempotencyKey("tap-1"), sent.id());
    assertThat(groups.claimRedPacket(as(fan(0)).withIdempotencyKey("tap-1"), sent.id())).isEqualTo(first);
    assertCode(ErrorCode.ALREADY_CLAIMED, () -> groups.claimRedPacket(as(fan(0)), sent.id()));
    assertThat(groups.redPacket(fan(0), sent.id()).claims()).containsExactly(first);
  }

  @Test
  void expiry_refundsTheRemainderOnce_andLaterClaimsAreExpired() {
    RedPacketInfo sent = send(RedPacketSpec.lucky(1_000, "CNY", 5));
    long claimed = groups.claimRedPacket(as(fan(0)), sent.id()).amount() + groups.claimRedPacket(as(fan(1)), sent.id()).amount();
    clock.advance(Duration.ofHours(23));
    assertThat(groups.expireRedPacketsOnce()).isZero();
    clock.advance(Duration.ofHours(1));
    assertThat(groups.redPacket(fan(0), sent.id()).state()).isEqualTo(RedPacketState.EXPIRED);
    assertCode(ErrorCode.RED_PACKET_EXPIRED, () -> groups.claimRedPacket(as(fan(2)), sent.id()));

    assertThat(groups.expireRedPacketsOnce()).isEqualTo(1);
    assertThat(groups.expireRedPacketsOnce()).isZero();
    groups.relay().drainOnce();
    RedPacketInfo info = groups.redPacket(fan(0), sent.id());
    assertThat(info.state()).isEqualTo(RedPacketState.REFUNDED);
    assertThat(info.refunded()).isEqualTo(1_000 - claimed);
    assertThat(wallet.balance("creator", "CNY")).isEqualTo(100_000 - claimed);
    assertThat(paidTo(2)).isEqualTo(claimed);
    assertThat(wallet.held("rp/" + sent.id() + "/hold")).isZero();
    assertThat(events()).filteredOn(e -> e.change() instanceof GroupChange.RedPacketRefunded).singleElement()
        .satisfies(e -> assertThat(e.attribution().reason()).hasValue("red packet expired"));
  }

  @Test
  void disband_refundsOpenPackets_andPaysClaimsAlreadyMade() {
    RedPacketInfo sent = send(RedPacketSpec.lucky(1_000, "CNY", 5));
    long claimed = groups.claimRedPacket(as(fan(0)), sent.id()).amount();
    groups.disband(as(creator), group);
    groups.relay().drainOnce();
    assertThat(wallet.balance("creator", "CNY")).isEqualTo(100_000 - claimed);
    assertThat(paidTo(1)).isEqualTo(claimed);
    assertThat(groups.redPacket(creator, sent.id()).state()).isEqualTo(RedPacketState.REFUNDED);
    assertThat(groups.expireRedPacketsOnce()).isZero();
    assertCode(ErrorCode.GROUP_DISBANDED, () -> groups.claimRedPacket(as(fan(1)), sent.id()));
    long before = wallet.balance("creator", "CNY");
    assertCode(ErrorCode.GROUP_DISBANDED, () -> send(RedPacketSpec.lucky(1_000, "CNY", 2)));
    assertThat(wallet.balance("creator", "CNY")).as("nothing held for a refused send").isEqualTo(before);
  }

  @Test
  void walletDeclining_refusesTheSend_andRecordsNothing() {
    long before = events().size();
    assertCode(ErrorCode.WALLET_DECLINED, () -> groups.sendRedPacket(as(fan(0)), group, RedPacketSpec.lucky(500, "CNY", 2)));
    assertThat(events()).hasSize((int) before);
    assertThat(wallet.balance("fan0", "CNY")).isZero();
  }

  @Test
  void badInput_isRefusedWithACode_andNothingIsHeld() {
    Map<RedPacketSpec, ErrorCode> refused = new java.util.LinkedHashMap<>();
    refused.put(RedPacketSpec.lucky(20_001, "CNY", 10), ErrorCode.INVALID_ARGUMENT); // over 200 CNY
    refused.put(RedPacketSpec.lucky(9, "CNY", 10), ErrorCode.INVALID_ARGUMENT); // below 10 × 0.01
    refused.put(RedPacketSpec.lucky(1_000, "USD", 2), ErrorCode.INVALID_ARGUMENT); // not an accepted currency
    refused.put(RedPacketSpec.lucky(1_000, "CNY", 12), ErrorCode.INVALID_ARGUMENT); // more shares than the 11 members
    refused.put(RedPacketSpec.lucky(10_000, "CNY", 101), ErrorCode.INVALID_ARGUMENT); // over 100 shares
    refused.put(RedPacketSpec.phrase(1_000, "CNY", 2, "一二三四五六七八九十一二三四五六七八九十一"), ErrorCode.INVALID_ARGUMENT);
    refused.put(RedPacketSpec.lucky(1_000, "CNY", 2).withLifetime(Duration.ofHours(25)), ErrorCode.INVALID_ARGUMENT);
    refused.put(RedPacketSpec.exclusive(100, "CNY", UserId.of("stranger")), ErrorCode.NOT_A_MEMBER);
    refused.forEach((spec, code) -> assertCode(code, () -> send(spec)));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> RedPacketSpec.lucky(0, "CNY", 1));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> RedPacketSpec.lucky(100, "CNY", 0));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> RedPacketSpec.lucky(-5, "CNY", 1));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new RedPacketSpec(RedPacketKind.EQUAL, 10, "CNY", 3, "hi",
        java.util.Optional.empty(), java.util.Optional.empty(), Duration.ZERO, java.util.Optional.empty(), Duration.ofHours(1)));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.sendRedPacket(as(creator), group, null));
    assertCode(ErrorCode.RED_PACKET_NOT_FOUND, () -> groups.claimRedPacket(as(fan(0)), RedPacketId.of("rp-nope")));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> groups.claimRedPacket(as(fan(0)), RedPacketId.of("bad id!")));
    assertThat(wallet.balance("creator", "CNY")).isEqualTo(100_000);
    assertThat(events()).noneMatch(e -> e.change() instanceof GroupChange.RedPacketSent);
  }

  @Test
  void sending_isRefusedToTheMutedAndToOutsiders_andNeedsTheCapability() {
    groups.mute(as(creator), group, fan(0), Duration.ofHours(1));
    wallet.deposit("fan0", "CNY", 1_000);
    assertCode(ErrorCode.MUTED, () -> groups.sendRedPacket(as(fan(0)), group, RedPacketSpec.lucky(100, "CNY", 2)));
    wallet.deposit("stranger", "CNY", 1_000);
    assertCode(ErrorCode.NOT_A_MEMBER, () -> groups.sendRedPacket(as(UserId.of("stranger")), group,
        RedPacketSpec.lucky(100, "CNY", 2)));
    assertThat(wallet.balance("fan0", "CNY")).isEqualTo(1_000);

    FanGroups strict = FanGroups.builder().wallet(wallet).startRelay(false).startRedPacketSweep(false)
        .capabilities(Role.MEMBER, Set.of()).build();
    GroupId g = strict.createGroup(as(creator), GroupSettings.builder().name("g").build()).id();
    strict.addMember(as(creator), g, fan(1));
    wallet.deposit("fan1", "CNY", 1_000);
    assertCode(ErrorCode.NOT_PERMITTED, () -> strict.sendRedPacket(as(fan(1)), g, RedPacketSpec.lucky(100, "CNY", 2)));
    assertThat(wallet.balance("fan1", "CNY")).isEqualTo(1_000);
  }

  @Test
  void claims_areRefusedToOutsiders_theBanned_andOthersOfAnExclusivePacket() {
    RedPacketInfo lucky = send(RedPacketSpec.lucky(1_000, "CNY", 5));
    groups.ban(as(creator), group, fan(9), Duration.ofDays(1));
    assertCode(ErrorCode.BANNED, () -> groups.claimRedPacket(as(fan(9)), lucky.id()));
    wallet.deposit("fan9", "CNY", 1_000);
    assertCode(ErrorCode.NOT_A_MEMBER, () -> groups.sendRedPacket(as(fan(9)), group, RedPacketSpec.lucky(100, "CNY", 2)));
    assertThat(wallet.balance("fan9", "CNY")).as("a banned sender holds nothing").isEqualTo(1_000);
    assertCode(ErrorCode.NOT_A_MEMBER, () -> groups.claimRedPacket(as(UserId.of("stranger")), lucky.id()));
    assertCode(ErrorCode.NOT_A_MEMBER, () -> groups.redPacket(UserId.of("stranger"), lucky.id()));

    RedPacketInfo exclusive = send(RedPacketSpec.exclusive(520, "CNY", fan(1)));
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.claimRedPacket(as(fan(2)), exclusive.id()));
    assertThat(groups.claimRedPacket(as(fan(1)), exclusive.id()).amount()).isEqualTo(520);
  }

  @Test
  void phrasePacket_isClaimedWithThePhraseAsPasted_andRefusesAnyOther() {
    RedPacketInfo sent = send(RedPacketSpec.phrase(1_000, "CNY", 3, "Happy New Year 新年快乐"));
    assertCode(ErrorCode.WRONG_PHRASE, () -> groups.claimRedPacket(as(fan(0)), sent.id()));
    assertCode(ErrorCode.WRONG_PHRASE, () -> groups.claimRedPacket(as(fan(0)), sent.id(), "新年快乐"));
    assertThat(groups.claimRedPacket(as(fan(0)), sent.id(), "ＨＡＰＰＹ ｎｅｗ\u200B year  新年快乐").number()).isEqualTo(1);
    assertThat(groups.redPacket(fan(0), sent.id()).phrase()).hasValue("Happy New Year 新年快乐");
  }

  @Test
  void memberFor_refusesThoseWhoJoinedToGrab() {
    RedPacketInfo sent = send(RedPacketSpec.lucky(1_000, "CNY", 5).withMemberFor(Duration.ofHours(12)));
    groups.addMember(as(creator), group, UserId.of("latecomer"));
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.claimRedPacket(as(UserId.of("latecomer")), sent.id()));
    assertThat(groups.claimRedPacket(as(fan(0)), sent.id()).amount()).isPositive();
  }

  @Test
  void eligibilityRule_isAskedOnEveryClaim_andItsDecisionIsCarried() {
    AtomicInteger asked = new AtomicInteger();
    RedPacketInfo sent = send(RedPacketSpec.lucky(1_000, "CNY", 5).withEligibility(applicant -> {
      asked.incrementAndGet();
      assertThat(applicant.stage()).isEqualTo(AdmissionStage.CLAIM);
      return applicant.user().value().equals("fan0") ? AdmissionDecision.allow()
          : AdmissionDecision.deny("fan-club level below 3", "FAN_CLUB_LEVEL");
    }));
    assertThat(groups.claimRedPacket(as(fan(0)), sent.id()).amount()).isPositive();
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.claimRedPacket(as(fan(1)), sent.id()));
    try {
      groups.claimRedPacket(as(fan(1)), sent.id());
    } catch (FanGroupsException e) {
      assertThat(e.decision()).hasValueSatisfying(d -> assertThat(d.reasons()).containsExactly("FAN_CLUB_LEVEL"));
    }
    assertThat(asked.get()).isEqualTo(3);
  }

  @Test
  void concurrentClaims_onA100SharePacketInAFull500SeatGroup_makeExactly100OnePerMember() {
    for (int i = 10; i < 499; i++) {
      groups.addMember(as(creator), group, fan(i));
    }
    assertThat(groups.group(group).memberCount()).isEqualTo(500);
    RedPacketInfo sent = send(RedPacketSpec.lucky(20_000, "CNY", 100));
    Set<UserId> winners = java.util.concurrent.ConcurrentHashMap.newKeySet();
    List<Long> amounts = new CopyOnWriteArrayList<>();
    Map<String, Integer> outcomes = Concurrently.outcomes(10_000, 16, n -> {
      UserId who = n % 20 == 0 ? UserId.of("outsider" + n) : fan(n % 499);
      RedPacketClaim claim = groups.claimRedPacket(as(who), sent.id());
      assertThat(winners.add(who)).as("one claim per member").isTrue();
      amounts.add(claim.amount());
      return "CLAIMED";
    }, FanGroupsException.class, e -> e.code().name());
    assertThat(outcomes.get("CLAIMED")).isEqualTo(100);
    assertThat(outcomes.get("NOT_A_MEMBER")).isEqualTo(500);
    assertThat(amounts.stream().mapToLong(Long::longValue).sum()).isEqualTo(20_000);
    assertThat(new HashSet<>(winners)).hasSize(100);
    groups.relay().drainOnce();
    long paid = 0;
    for (UserId w : winners) {
      paid += wallet.balance(w.value(), "CNY");
    }
    assertThat(paid).isEqualTo(20_000);
  }

  @Test
  void sharedStore_withoutAWalletSet_refusesToSend() {
    FanGroups process = FanGroups.builder().store(new ProcessClient(InMemoryGroupStore.create()))
        .passcodeKeys(ProcessClient.KEYS).allowLocalAttemptLimits(ProcessClient.LOCAL_LIMITS).startRelay(false).startRedPacketSweep(false).build();
    GroupId g = process.createGroup(as(creator), GroupSettings.builder().name("g").build()).id();
    process.addMember(as(creator), g, fan(0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> process.sendRedPacket(as(creator), g,
        RedPacketSpec.lucky(100, "CNY", 2))).isInstanceOf(IllegalStateException.class).hasMessageContaining("wallet");
  }

  @Test
  void holdThatTimesOut_isReleased_andNothingIsSent() {
    InMemoryWallet ledger = InMemoryWallet.create();
    ledger.deposit("creator", "CNY", 1_000);
    Wallet slow = new Wallet() {
      @Override
      public CompletionStage<Void> hold(Hold hold) {
        ledger.hold(hold); // it lands, but the answer never comes
        return new CompletableFuture<>();
      }

      @Override
      public CompletionStage<Void> pay(Payment payment) {
        return ledger.pay(payment);
      }

      @Override
      public CompletionStage<Void> release(Release release) {
        return ledger.release(release);
      }
    };
    FanGroups sdk = FanGroups.builder().wallet(slow).startRelay(false).startRedPacketSweep(false)
        .relayOptions(new io.fangroups.core.event.OutboxRelay.Options(1, Duration.ofMillis(200), Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(50)))
        .build();
    GroupId g = sdk.createGroup(as(creator), GroupSettings.builder().name("g").build()).id();
    sdk.addMember(as(creator), g, fan(0));
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> sdk.sendRedPacket(as(creator), g, RedPacketSpec.lucky(500, "CNY", 2)));
    assertThat(ledger.balance("creator", "CNY")).isEqualTo(1_000);
    assertThat(sdk.events(g, 0, 100)).noneMatch(e -> e.change() instanceof GroupChange.RedPacketSent);
  }

  @Test
  void holdWhoseReleaseFailed_isReleasedByTheSweepAfterTheGracePeriod() {
    InMemoryWallet ledger = InMemoryWallet.create();
    ledger.deposit("creator", "CNY", 1_000);
    AtomicInteger releases = new AtomicInteger();
    Wallet flaky = new Wallet() {
      @Override
      public CompletionStage<Void> hold(Hold hold) {
        ledger.hold(hold);
        return CompletableFuture.failedFuture(new IllegalStateException("connection reset after the hold"));
      }

      @Override
      public CompletionStage<Void> pay(Payment payment) {
        return ledger.pay(payment);
      }

      @Override
      public CompletionStage<Void> release(Release release) {
        return releases.incrementAndGet() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("down"))
            : ledger.release(release);
      }
    };
    FanGroups sdk = FanGroups.builder().clock(clock).wallet(flaky).startRelay(false).startRedPacketSweep(false).build();
    GroupId g = sdk.createGroup(as(creator), GroupSettings.builder().name("g").build()).id();
    sdk.addMember(as(creator), g, fan(0));
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> sdk.sendRedPacket(as(creator), g, RedPacketSpec.lucky(500, "CNY", 2)));
    assertThat(ledger.balance("creator", "CNY")).isEqualTo(500);
    sdk.expireRedPacketsOnce();
    assertThat(ledger.balance("creator", "CNY")).isEqualTo(500); // the send may still be running: wait
    clock.advance(Duration.ofMinutes(10));
    sdk.expireRedPacketsOnce();
    assertThat(ledger.balance("creator", "CNY")).isEqualTo(1_000);
    sdk.expireRedPacketsOnce();
    assertThat(releases.get()).isEqualTo(2);
  }
}
