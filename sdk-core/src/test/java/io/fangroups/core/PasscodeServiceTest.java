package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.spi.IdGenerator;
import io.fangroups.testkit.Concurrently;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PasscodeServiceTest extends Fixture {
  private static final ClientInfo PHONE = ClientInfo.of("device-1", "203.0.113.7");

  private IssuedPasscode code(GroupInfo g) {
    return groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).label("weibo post").build());
  }

  @Test
  void redeem_mangledShareText_joinsAndNamesThePasscode() {
    GroupInfo g = group("小鹿的粉丝2群", 200, JoinMode.PASSCODE_ONLY);
    IssuedPasscode issued = code(g);
    String shared = issued.shareText(Locale.CHINA);
    assertThat(shared).contains("小鹿的粉丝2群").contains(issued.display());
    String mangled = shared.toLowerCase(Locale.ROOT).replace("-", "ー") + "\u200B";

    JoinResult result = groups.redeemPasscode(as(user("fan")), mangled, PHONE);

    assertThat(result.joined()).isTrue();
    assertThat(result.member().get().source()).isEqualTo(JoinSource.PASSCODE);
    GroupEvent joined = groups.events(g.id(), 0, 100).stream().filter(e -> e.change() instanceof MemberJoined)
        .findFirst().orElseThrow();
    assertThat(joined.attribution().passcode()).contains(issued.info().id());
    assertThat(groups.passcode(issued.info().id()).uses()).isEqualTo(1);
  }

  @Test
  void issuedCode_isNotStoredOrPrintedInTheClear() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    IssuedPasscode issued = code(g);
    assertThat(issued.toString()).doesNotContain(issued.code());
    assertThat(groups.passcode(issued.info().id()).toString()).doesNotContain(issued.code());
    assertThat(groups.events(g.id(), 0, 10).toString()).doesNotContain(issued.code());
  }

  @Test
  void requestMode_createsPendingRequestAndTakesAUse() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    IssuedPasscode issued = groups.createPasscode(asCreator(),
        PasscodeSpec.forGroup(g.id()).mode(PasscodeMode.REQUEST).maxUses(1).build());
    JoinResult result = groups.redeemPasscode(as(user("fan")), issued.display(), PHONE);
    assertThat(result.request()).get().extracting(JoinRequest::source).isEqualTo(JoinSource.PASSCODE);
    assertCode(ErrorCode.PASSCODE_EXHAUSTED, () -> groups.redeemPasscode(as(user("fan2")), issued.display(), PHONE));
  }

  @Test
  void deadCodes_haveTheirOwnCodes() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    IssuedPasscode expiring = groups.createPasscode(asCreator(),
        PasscodeSpec.forGroup(g.id()).lifetime(Duration.ofHours(1)).build());
    IssuedPasscode revoked = code(g);
    groups.revokePasscode(asCreator(), revoked.info().id());

    assertCode(ErrorCode.PASSCODE_REVOKED, () -> groups.redeemPasscode(as(user("a")), revoked.display(), PHONE));
    clock.advance(Duration.ofHours(1));
    assertCode(ErrorCode.PASSCODE_EXPIRED, () -> groups.redeemPasscode(as(user("b")), expiring.display(), PHONE));
    assertCode(ErrorCode.PASSCODE_MALFORMED, () -> groups.redeemPasscode(as(user("c")), "hello 群口令", PHONE));
    assertCode(ErrorCode.PASSCODE_NOT_FOUND, () -> groups.redeemPasscode(as(user("d")), "7KQM-3XP9-VD2HC", PHONE));
    assertThat(groups.livePasscodes(g.id())).isEmpty();
  }

  @Test
  void resetPasscode_revokesOldAndIssuesNewWithSameSettings() {
    GroupInfo g = group("g", 200, JoinMode.OPEN);
    IssuedPasscode old = code(g);
    IssuedPasscode fresh = groups.resetPasscode(asCreator(), old.info().id());
    assertThat(fresh.code()).isNotEqualTo(old.code());
    assertThat(fresh.info().spec()).isEqualTo(old.info().spec());
    assertCode(ErrorCode.PASSCODE_REVOKED, () -> groups.redeemPasscode(as(user("a")), old.display(), PHONE));
    assertThat(groups.redeemPasscode(as(user("a")), fresh.display(), PHONE).joined()).isTrue();
  }

  @Test
  void resetPasscode_racingAnotherAdminsCreateAtTheLimit_keepsTheFreedPlaceForTheNewCode() throws Exception {
    AtomicReference<FanGroups> service = new AtomicReference<>();
    AtomicBoolean armed = new AtomicBoolean();
    AtomicReference<GroupId> target = new AtomicReference<>();
    AtomicReference<CompletableFuture<ErrorCode>> rival = new AtomicReference<>();
    IdGenerator random = IdGenerator.randomUuids();
    // The id generator runs inside reset, after the revoke: there it starts another admin's
    // createPasscode on another thread and gives it time to slip into the gap.
    FanGroups one = FanGroups.builder().clock(clock).passcodesPerTarget(1).idGenerator(kind -> {
      if (kind.equals("p") && armed.compareAndSet(true, false)) {
        CompletableFuture<ErrorCode> other = CompletableFuture.supplyAsync(() -> Refusal.codeOf(
            () -> service.get().createPasscode(asCreator(), PasscodeSpec.forGroup(target.get()).label("other admin").build())));
        rival.set(other);
        try {
          other.get(300, TimeUnit.MILLISECONDS);
        } catch (TimeoutException expected) {
          // blocked behind the reset: the place stays the reset's
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      return random.newId(kind);
    }).build();
    service.set(one);
    GroupInfo g = one.createGroup(asCreator(), GroupSettings.of("g", 200));
    target.set(g.id());
    IssuedPasscode old = one.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    armed.set(true);
    IssuedPasscode fresh = one.resetPasscode(asCreator(), old.info().id());
    assertThat(one.passcode(old.info().id()).revokedAt()).contains(clock.instant());
    assertThat(one.livePasscodes(g.id())).extracting(PasscodeInfo::id).containsExactly(fresh.info().id());
    assertThat(rival.get().get(5, TimeUnit.SECONDS)).isEqualTo(ErrorCode.PASSCODE_LIMIT_REACHED);
  }

  @Test
  void createPasscode_needsCapabilityAndRespectsLiveLimit() {
    FanGroups few = FanGroups.builder().clock(clock).passcodesPerTarget(2).build();
    GroupInfo g = few.createGroup(asCreator(), GroupSettings.of("g", 200));
    few.addMember(asCreator(), g.id(), user("member"));
    assertCode(ErrorCode.NOT_PERMITTED,
        () -> few.createPasscode(as(user("member")), PasscodeSpec.forGroup(g.id()).build()));
    IssuedPasscode first = few.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    IssuedPasscode second = few.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    assertCode(ErrorCode.PASSCODE_LIMIT_REACHED,
        () -> few.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build()));
    few.revokePasscode(asCreator(), first.info().id());
    IssuedPasscode third = few.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    assertThat(few.livePasscodes(g.id())).extracting(PasscodeInfo::id)
        .containsExactlyInAnyOrder(second.info().id(), third.info().id());
  }

  @Test
  void createPasscode_byStrangerAtTheLimit_isNotPermitted() {
    FanGroups one = FanGroups.builder().clock(clock).passcodesPerTarget(1).build();
    GroupInfo g = one.createGroup(asCreator(), GroupSettings.of("g", 200));
    one.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    assertCode(ErrorCode.NOT_PERMITTED,
        () -> one.createPasscode(as(user("stranger")), PasscodeSpec.forGroup(g.id()).build()));
  }

  @Test
  void redeem_goesThroughBansModesAndPolicy() {
    GroupInfo closed = group("closed", 200, JoinMode.CLOSED);
    IssuedPasscode closedCode = code(closed);
    assertCode(ErrorCode.JOINS_CLOSED, () -> groups.redeemPasscode(as(user("a")), closedCode.display(), PHONE));

    GroupInfo open = group("open", 200, JoinMode.OPEN);
    IssuedPasscode openCode = code(open);
    groups.ban(asCreator(), open.id(), user("troll"), Duration.ofDays(1));
    assertCode(ErrorCode.BANNED, () -> groups.redeemPasscode(as(user("troll")), openCode.display(), PHONE));

    GroupInfo strict = groups.createGroup(asCreator(), GroupSettings.builder().name("strict")
        .policy(a -> AdmissionDecision.deny("fan-club level 3 needed", "FAN_CLUB_LEVEL")).build());
    IssuedPasscode strictCode = code(strict);
    assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.redeemPasscode(as(user("a")), strictCode.display(), PHONE));
    assertThat(groups.passcode(strictCode.info().id()).uses()).isZero();
  }

  @Test
  void redeemForGroup_acceptsShortCodesAndHidesOtherGroupsCodes() {
    GroupInfo a = group("a", 200, JoinMode.OPEN);
    GroupInfo b = group("b", 200, JoinMode.OPEN);
    IssuedPasscode shortCode = groups.createPasscode(asCreator(),
        PasscodeSpec.forGroup(a.id()).profile(PasscodeProfile.SHORT).build());
    assertThat(shortCode.code()).hasSize(9);
    assertCode(ErrorCode.PASSCODE_MALFORMED, () -> groups.redeemPasscode(as(user("x")), shortCode.display(), PHONE));
    assertCode(ErrorCode.PASSCODE_NOT_FOUND,
        () -> groups.redeemPasscode(as(user("x")), b.id(), shortCode.display(), PHONE));
    assertThat(groups.redeemPasscode(as(user("x")), a.id(), shortCode.display(), PHONE).joined()).isTrue();
  }

  @Test
  void redeemForGroup_otherGroupsCodeFirstInTheText_joinsWithThisGroupsCode() {
    GroupInfo a = group("a", 200, JoinMode.OPEN);
    GroupInfo b = group("b", 200, JoinMode.OPEN);
    IssuedPasscode codeA = code(a);
    IssuedPasscode codeB = code(b);
    JoinResult result = groups.redeemPasscode(as(user("fan")), b.id(), codeA.code() + " / " + codeB.code(), PHONE);
    assertThat(result.joined()).isTrue();
    assertThat(result.group()).isEqualTo(b.id());
    assertThat(groups.passcode(codeB.info().id()).uses()).isEqualTo(1);
    assertThat(groups.passcode(codeA.info().id()).uses()).isZero();
    assertThat(groups.member(a.id(), user("fan"))).isEmpty();
  }

  @Test
  void familyPasscode_landsInFirstGroupWithASeat() {
    Family family = groups.createFamily(asCreator(), "fans");
    GroupInfo first = groups.createGroup(asCreator(), GroupSettings.builder().name("1").cap(2).family(family.id()).build());
    GroupInfo second = groups.createGroup(asCreator(), GroupSettings.builder().name("2").cap(200).family(family.id()).build());
    IssuedPasscode issued = groups.createPasscode(asCreator(), PasscodeSpec.forFamily(family.id()).build());
    assertCode(ErrorCode.NOT_PERMITTED,
        () -> groups.createPasscode(as(user("rival")), PasscodeSpec.forFamily(family.id()).build()));
    assertThat(groups.redeemPasscode(as(user("a")), issued.display(), PHONE).group()).isEqualTo(first.id());
    assertThat(groups.redeemPasscode(as(user("b")), issued.display(), PHONE).group()).isEqualTo(second.id());
    assertThat(groups.livePasscodes(family.id())).hasSize(1);
  }

  @Test
  void keyRotation_keepsOldCodesWorking() {
    InMemoryGroupStore store = InMemoryGroupStore.create();
    byte[] k1 = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    byte[] k2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);
    FanGroups before = FanGroups.builder().clock(clock).store(store)
        .passcodeKeys(PasscodeKeys.of(Map.of("k1", k1), "k1")).build();
    GroupInfo g = before.createGroup(asCreator(), GroupSettings.of("g", 200));
    IssuedPasscode old = before.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());

    FanGroups after = FanGroups.builder().clock(clock).store(store)
        .passcodeKeys(PasscodeKeys.of(Map.of("k1", k1, "k2", k2), "k2")).build();
    IssuedPasscode fresh = after.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).build());
    assertThat(fresh.info().keyId()).isEqualTo("k2");
    assertThat(after.redeemPasscode(as(user("a")), old.display(), PHONE).joined()).isTrue();
    assertThat(after.redeemPasscode(as(user("b")), fresh.display(), PHONE).joined()).isTrue();
  }

  /** Must-show 3: 1,000 concurrent redemptions, a code with 10 uses, a group with 5 free seats. */
  @Test
  void concurrentRedemptions_takeExactlyTheSeatsAndUses() throws Exception {
    GroupInfo g = group("g", 6, JoinMode.PASSCODE_ONLY); // owner + 5 free seats
    IssuedPasscode issued = groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).maxUses(10).build());
    Map<String, Integer> outcomes = redeemConcurrently(issued, 1000);
    assertThat(outcomes).containsEntry("JOINED", 5).containsEntry("GROUP_FULL", 995);
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(6);
    assertThat(groups.passcode(issued.info().id()).uses()).isEqualTo(5);
  }

  @Test
  void concurrentRedemptions_neverOvershootTheUseLimit() throws Exception {
    GroupInfo g = group("g", 500, JoinMode.OPEN);
    IssuedPasscode issued = groups.createPasscode(asCreator(), PasscodeSpec.forGroup(g.id()).maxUses(3).build());
    Map<String, Integer> outcomes = redeemConcurrently(issued, 1000);
    assertThat(outcomes).containsEntry("JOINED", 3).containsEntry("PASSCODE_EXHAUSTED", 997);
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(4);
  }

  private Map<String, Integer> redeemConcurrently(IssuedPasscode issued, int fans) throws Exception {
    return Concurrently.outcomes(fans, 16, i -> groups.redeemPasscode(as(user("fan-" + i)), issued.shareText(Locale.ENGLISH),
        ClientInfo.unknown()).joined() ? "JOINED" : "PENDING", FanGroupsException.class, e -> e.code().name());
  }
}
