package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.rules.CompiledRule;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.FactSource.FactQuery;
import io.fangroups.spi.FactSource.UserFacts;
import io.fangroups.spi.FactSource;
import io.fangroups.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The rule engine wired into the admission seam, with facts from a fake host. */
class RuleAdmissionTest {
  /** The seed policy: followed ≥ 7 days AND (fan-club level ≥ 3 OR not a fan-club member). */
  static final String SEED = """
      {"version":1,"unknown":"%s","rule":{"all":[
        {"fact":"days_following","op":">=","value":7,"unit":"days"},
        {"any":[{"fact":"fan_club_level","op":">=","value":3},
                {"not":{"fact":"fan_club_member","op":"==","value":true}}]}]}}""";

  /** A host whose facts the test edits, recording every query. */
  static class FakeHost implements FactSource {
    final Map<String, Map<String, Object>> facts = new HashMap<>();
    final List<FactQuery> queries = new CopyOnWriteArrayList<>();
    volatile boolean hang;

    @Override
    public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
      queries.add(query);
      if (hang) {
        return new CompletableFuture<>(); // never answers
      }
      Map<String, UserFacts> answer = new HashMap<>();
      for (String user : query.userIds()) {
        answer.put(user, UserFacts.of(facts.getOrDefault(user, Map.of())));
      }
      return CompletableFuture.completedFuture(answer);
    }
  }

  private final MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
  private final FakeHost host = new FakeHost();
  private final FanGroups groups = FanGroups.builder().clock(clock).factSource(host)
      .factTimeout(Duration.ofMillis(50)).build();
  private final CommandContext creator = CommandContext.of("creator");

  private GroupInfo group(String unknown, JoinMode mode) {
    CompiledRule rule = RuleCompiler.of().compile(SEED.formatted(unknown));
    return groups.createGroup(creator, GroupSettings.builder().name("fans").joinMode(mode)
        .policy(AdmissionPolicy.rule(rule)).build());
  }

  private void facts(String user, int days, boolean member, int level) {
    host.facts.put(user, Map.of("days_following", days, "fan_club_member", member, "fan_club_level", level));
  }

  @Test
  void eligibleFan_joinsAndTheEventCarriesTheDecision() {
    GroupInfo g = group("deny", JoinMode.OPEN);
    facts("fan", 10, true, 3);
    JoinResult r = groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
    assertThat(r.joined()).isTrue();
    assertThat(host.queries).singleElement().satisfies(q -> {
      assertThat(q.facts()).containsExactlyInAnyOrder("days_following", "fan_club_level", "fan_club_member");
      assertThat(q.creatorId()).isEqualTo("creator");
    });
    GroupEvent joined = groups.events(g.id(), 1, 10).get(0);
    assertThat(((MemberJoined) joined.change()).decision().verdict()).isEqualTo(Verdict.ALLOW);
  }

  @Test
  void deniedFan_getsExplanationAndNearestPathInChineseAndEnglish() {
    GroupInfo g = group("deny", JoinMode.OPEN);
    facts("fan", 3, true, 1);
    try {
      groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
      throw new AssertionError("expected NOT_ELIGIBLE");
    } catch (FanGroupsException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_ELIGIBLE);
      AdmissionDecision d = e.decision().orElseThrow();
      assertThat(d.verdict()).isEqualTo(Verdict.DENY);
      assertThat(d.explanation()).isPresent();
      assertThat(d.explanation().get().paths()).isNotEmpty();
      String en = d.render(Locale.ENGLISH, ZoneOffset.UTC);
      String zh = d.render(Locale.CHINESE, ZoneOffset.UTC);
      assertThat(en).contains("follow for 4 more days");
      assertThat(zh).contains("再关注 4 天");
      assertThat(d.summary()).isEqualTo(en);
    }
    assertThat(groups.group(g.id()).memberCount()).isEqualTo(1);
  }

  @Test
  void approval_rechecksTheRuleWithFreshFacts() {
    GroupInfo g = group("deny", JoinMode.APPROVAL);
    facts("fan", 30, false, 0);
    RequestId id = groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    facts("fan", 0, false, 0); // unfollowed and followed again: the count restarted
    try {
      groups.approve(creator, id);
      throw new AssertionError("expected NOT_ELIGIBLE");
    } catch (FanGroupsException e) {
      assertThat(e.code()).isEqualTo(ErrorCode.NOT_ELIGIBLE);
    }
    assertThat(groups.request(id).status()).isEqualTo(RequestStatus.PENDING);
  }

  @Test
  void factSourceTimeout_isReviewOrDenyAsThePolicySays_neverAllow() {
    host.hang = true;
    facts("fan", 100, true, 10); // would allow, were the facts known
    GroupInfo review = group("review", JoinMode.OPEN);
    GroupInfo deny = group("deny", JoinMode.OPEN);

    JoinResult r = groups.apply(CommandContext.of("fan"), review.id(), JoinSource.BUTTON);
    assertThat(r.joined()).isFalse();
    assertThat(r.decision().verdict()).isEqualTo(Verdict.REVIEW);
    Fixture.assertCode(ErrorCode.NOT_ELIGIBLE, () -> groups.apply(CommandContext.of("fan"), deny.id(), JoinSource.BUTTON));
  }

  @Test
  void factSourceFailingAtApproval_leavesTheRequestPending() {
    GroupInfo g = group("deny", JoinMode.APPROVAL);
    facts("fan", 30, false, 0);
    RequestId id = groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON).request().orElseThrow().id();
    host.hang = true;
    Fixture.assertCode(ErrorCode.POLICY_FAILED, () -> groups.approve(creator, id));
    assertThat(groups.request(id).status()).isEqualTo(RequestStatus.PENDING);
    host.hang = false;
    assertThat(groups.approve(creator, id).user()).isEqualTo(UserId.of("fan"));
  }

  @Test
  void bulkApproval_fetchesFactsOncePerGroup() {
    GroupInfo g = group("deny", JoinMode.APPROVAL);
    List<RequestId> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      facts("fan" + i, 30, false, 0);
      ids.add(groups.apply(CommandContext.of("fan" + i), g.id(), JoinSource.BUTTON).request().orElseThrow().id());
    }
    facts("fan4", 1, false, 0);
    host.queries.clear();
    BulkResult result = groups.approveAll(creator, ids);
    assertThat(host.queries).singleElement().satisfies(q -> assertThat(q.userIds()).hasSize(5));
    assertThat(result.items()).extracting(BulkResult.Item::outcome).containsExactly(BulkResult.Outcome.APPROVED,
        BulkResult.Outcome.APPROVED, BulkResult.Outcome.APPROVED, BulkResult.Outcome.APPROVED,
        BulkResult.Outcome.NOT_ELIGIBLE);
  }

  @Test
  void bulkApproval_splitsBatchesAtTheSourcesDeclaredSize() {
    FakeHost small = new FakeHost() {
      @Override
      public int maxBatchSize() {
        return 2;
      }
    };
    FanGroups fg = FanGroups.builder().clock(clock).factSource(small).build();
    CompiledRule rule = RuleCompiler.of().compile(SEED.formatted("deny"));
    GroupInfo g = fg.createGroup(creator, GroupSettings.builder().name("fans").joinMode(JoinMode.APPROVAL)
        .policy(AdmissionPolicy.rule(rule)).build());
    List<RequestId> ids = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      small.facts.put("fan" + i, Map.of("days_following", 30, "fan_club_member", false, "fan_club_level", 0));
      ids.add(fg.apply(CommandContext.of("fan" + i), g.id(), JoinSource.BUTTON).request().orElseThrow().id());
    }
    small.queries.clear();
    assertThat(fg.approveAll(creator, ids).count(BulkResult.Outcome.APPROVED)).isEqualTo(5);
    assertThat(small.queries).extracting(q -> q.userIds().size()).containsExactly(2, 2, 1);
  }

  @Test
  void wrongValueType_isUnknownNotACrash() {
    GroupInfo g = group("review", JoinMode.OPEN);
    host.facts.put("fan", Map.of("days_following", "ten", "fan_club_member", Set.of(1), "fan_club_level", 3));
    JoinResult r = groups.apply(CommandContext.of("fan"), g.id(), JoinSource.BUTTON);
    assertThat(r.decision().verdict()).isEqualTo(Verdict.REVIEW);
  }

  @Test
  void passcodeRedemption_goesThroughTheRule() {
    GroupInfo g = group("deny", JoinMode.PASSCODE_ONLY);
    IssuedPasscode code = groups.createPasscode(creator, PasscodeSpec.forGroup(g.id()).build());
    facts("fan", 2, false, 0);
    Fixture.assertCode(ErrorCode.NOT_ELIGIBLE,
        () -> groups.redeemPasscode(CommandContext.of("fan"), code.display(), ClientInfo.unknown()));
    facts("fan", 9, false, 0);
    assertThat(groups.redeemPasscode(CommandContext.of("fan"), code.display(), ClientInfo.unknown()).joined()).isTrue();
  }
}
