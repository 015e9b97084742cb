package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinResult;
import io.fangroups.core.JoinSource;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.UserId;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.GroupStore.StreamHead;
import io.fangroups.testkit.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A database the last release before the V2 schema wrote (commit 74f5aa5: groups with members,
 * pending, approved, rejected and withdrawn requests, a passcode with uses, messages, a ban, a mute
 * and a keyed command), upgraded in place by {@link PostgresMigrations}, then served by this code
 * through the public API. The rows and the old code's answers are test resources under
 * {@code upgrade/}; see the README there for how they were written.
 */
class UpgradeFromV1Test {
  private static final String FIXTURE = "/io/fangroups/postgres/upgrade/";

  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private JsonNode expected;
  private UpgradeAnswers.Scenario scenario;
  private GroupStore store;
  private FanGroups sdk;

  /** V1's schema only, the old rows, then every later migration; the SDK's clock where the old one stopped. */
  @BeforeEach
  void upgradeTheOldDatabase() throws IOException, SQLException {
    HikariDataSource pool = postgres.pool(postgres.createDatabase(), 4);
    assertThat(PostgresMigrations.migrate(pool, 1)).isEqualTo(1);
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute(resource("v1-database.sql"));
    }
    assertThat(PostgresMigrations.migrate(pool)).as("migrations applied on top of V1")
        .isEqualTo(PostgresMigrations.SCRIPTS.size() - 1);

    expected = UpgradeAnswers.JSON.readTree(resource("expected-answers.json"));
    scenario = UpgradeAnswers.Scenario.fromJson(expected.get("scenario"));
    store = new PostgresGroupStore(pool);
    PasscodeKeys keys = PasscodeKeys.of(
        Map.of("k1", "upgrade-fixture-key-0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
    sdk = FanGroups.builder().store(store).passcodeKeys(keys).attemptLimiter(new PostgresAttemptLimiter(pool))
        .clock(MutableClock.of(scenario.now()))
        .startRelay(false).build();
  }

  @Test
  void upgradedDatabase_answersAsTheOldReleaseDid() throws IOException {
    String answers = UpgradeAnswers.JSON.writeValueAsString(UpgradeAnswers.answers(sdk, scenario));

    assertThat(answers).isEqualTo(UpgradeAnswers.JSON.writeValueAsString(expected.get("answers")));
  }

  @Test
  void upgradedDatabase_changeFeedListsEveryOldGroupAtItsLastSequence() {
    List<StreamHead> expectedMarks = scenario.groups().stream()
        .map(g -> new StreamHead("group/" + g.value(), lastSequence(g)))
        .sorted(Comparator.comparing(StreamHead::stream))
        .toList();

    assertThat(store.changed(null, 100)).containsExactlyElementsOf(expectedMarks);
  }

  @Test
  void upgradedDatabase_commandsGoOnFromWhereTheOldReleaseStopped() {
    GroupId approvalGroup = scenario.groups().get(0);
    GroupId openGroup = scenario.groups().get(1);
    GroupId keyedGroup = scenario.groups().get(2);
    CommandContext alice = CommandContext.of("alice");
    long approvalLast = lastSequence(approvalGroup);

    sdk.approve(alice, scenario.requests().get(2)); // dave's request, still pending in the old release
    sdk.post(CommandContext.of("bob"), approvalGroup, new MessageContent.Text("after the upgrade"));
    JoinResult carolAgain = sdk.apply(CommandContext.of("carol"), approvalGroup, JoinSource.BUTTON);
    JoinResult ivan = sdk.redeemPasscode(CommandContext.of("ivan"), expected.get("passcodeText").asText(),
        ClientInfo.unknown());
    GroupId keyedAgain = sdk.createGroup(alice.withIdempotencyKey("create-c"), GroupSettings.of("Keyed group", 100)).id();
    sdk.unmute(alice, openGroup, UserId.of("frank"));

    assertThat(sdk.request(scenario.requests().get(2)).status()).isEqualTo(RequestStatus.APPROVED);
    assertThat(sdk.member(approvalGroup, UserId.of("dave"))).isPresent();
    assertThat(carolAgain.request()).as("a rejected applicant may apply again")
        .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(RequestStatus.PENDING));
    assertThat(ivan.member()).as("the old passcode admits").isPresent();
    assertThat(sdk.passcode(scenario.passcodes().get(0)).uses()).isEqualTo(3);
    assertThat(keyedAgain).as("the keyed command's old record answers the retry").isEqualTo(keyedGroup);
    assertThat(sdk.groupsOf(UserId.of("alice"))).extracting(g -> g.id()).containsExactlyElementsOf(scenario.groups());
    assertThat(sdk.mutedUntil(openGroup, UserId.of("frank"))).isEmpty();
    long last = sdk.group(approvalGroup).lastSequence();
    assertThat(last).as("an approval, a message and a request after the old events").isGreaterThanOrEqualTo(approvalLast + 3);
    assertThat(sdk.events(approvalGroup, 0, 1000)).extracting(GroupEvent::sequence)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
    assertThat(store.changed(null, 100)).contains(new StreamHead("group/" + approvalGroup.value(), last));
  }

  private long lastSequence(GroupId group) {
    return expected.get("answers").get("groups").get(group.value()).get("lastSequence").asLong();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = UpgradeFromV1Test.class.getResourceAsStream(FIXTURE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + FIXTURE + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
