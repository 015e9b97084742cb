package io.fangroups.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.fangroups.core.BulkResult;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.JoinResult;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.admission.AdmissionStage;
import io.fangroups.core.admission.Applicant;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.MessageId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.Departure;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.internal.Checks;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.core.redpacket.RedPacketState;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.passcode.Passcodes;
import io.fangroups.rules.RuleCompiler;
import io.fangroups.spi.FactSource;
import io.fangroups.spi.GroupStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * The storage codec: every group event and store record survives encode, a UTF-8 store and decode
 * unchanged (a property over random values of every kind), the payloads are the documented shape,
 * and corrupt payloads fail naming the event and the field.
 */
class WireFormatTest {
  private static final int EXAMPLES = 3_000;
  private static final int KINDS = 20;
  private static final Instant AT = Instant.parse("2026-03-01T08:00:00.123456789Z");

  /** A host policy registered by name, and one that is only kept in memory. */
  private static final AdmissionPolicy VIP = applicant -> AdmissionDecision.deny("VIPs only", "NOT_VIP");
  private static final AdmissionPolicy UNNAMED = applicant -> AdmissionDecision.allow();
  private static final WireFormat CODEC = new WireFormat(new PolicyCodec(RuleCompiler.of(), Map.of("vip", VIP), true));

  // ---- properties ----

  /** A post's sender and time read off its text are what decoding it gives; any other event gives none. */
  @Test
  void post_readOffTheText_isWhatDecodingGives() {
    Gen<GroupEvent> events = in -> new Values(in).event();
    qt().withExamples(EXAMPLES).forAll(events).checkAssert(event -> {
      GroupStore.StoredEvent stored = stored(event.sequence(), CODEC.encode(event));
      WireFormat.Post post = CODEC.post(stored);
      if (event.change() instanceof GroupChange.MessagePosted posted) {
        assertThat(post).isEqualTo(new WireFormat.Post(event.sequence(), posted.message().sender(),
            posted.message().postedAt()));
      } else {
        assertThat(post).isNull();
      }
    });
  }

  @Test
  void groupEvents_roundTripThroughAUtf8Store() {
    Set<Class<?>> seen = ConcurrentHashMap.newKeySet();
    Gen<GroupEvent> events = in -> new Values(in).event();
    qt().withExamples(EXAMPLES).forAll(events).checkAssert(event -> {
      GroupStore.NewEvent written = CODEC.encode(event);
      assertThat(written.type()).isEqualTo(event.change().getClass().getSimpleName());
      GroupEvent read = CODEC.decode(event.group(), stored(event.sequence(), written));
      assertThat(read).isEqualTo(event);
      seen.add(event.change().getClass());
    });
    assertThat(seen).as("every kind of change is generated")
        .containsExactlyInAnyOrder(GroupChange.class.getPermittedSubclasses());
  }

  @Test
  void storeRecords_roundTripThroughAUtf8Store() {
    Set<Class<?>> seen = ConcurrentHashMap.newKeySet();
    Gen<StoreRecord> records = in -> new Values(in).storeRecord();
    qt().withExamples(EXAMPLES / 3).forAll(records).checkAssert(r -> {
      GroupStore.NewEvent written = CODEC.encodeRecord(r);
      assertThat(written.type()).isEqualTo(r.getClass().getSimpleName());
      assertThat(CODEC.decodeRecord(stored(1, written))).isEqualTo(r);
      seen.add(r.getClass());
    });
    assertThat(seen).containsExactlyInAnyOrder(StoreRecord.class.getPermittedSubclasses());
  }

  @Test
  void commandResults_roundTripThroughAUtf8Store_withPasscodesSealed() {
    Set<Class<?>> seen = ConcurrentHashMap.newKeySet();
    Gen<Object> results = in -> new Values(in).result();
    qt().withExamples(EXAMPLES / 3).forAll(results).checkAssert(r -> {
      String json = CODEC.encodeResult(r, code -> "sealed:" + code.length());
      String kept = new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      assertThat(kept).as("the result survives UTF-8").isEqualTo(json);
      if (r instanceof IssuedPasscode issued) {
        assertThat(json).as("the clear code is never written").doesNotContain(issued.code());
        assertThat(CODEC.decodeResult(kept, sealed -> issued.code())).isEqualTo(r);
      } else {
        assertThat(CODEC.decodeResult(kept, sealed -> { throw new AssertionError("nothing to open"); })).isEqualTo(r);
      }
      seen.add(r == null ? Void.class : r.getClass());
    });
    assertThat(seen).containsExactlyInAnyOrder(Void.class, Boolean.class, GroupInfo.class, Family.class, Member.class,
        JoinRequest.class, JoinResult.class, BulkResult.class, PasscodeInfo.class, IssuedPasscode.class, GroupMessage.class,
        RedPacketClaim.class, RedPacketInfo.class);
  }

  /** What a store keeps: the text as UTF-8, which must not change it (no unpaired surrogates). */
  private static GroupStore.StoredEvent stored(long sequence, GroupStore.NewEvent written) {
    String kept = new String(written.payload().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertThat(kept).as("the payload survives UTF-8").isEqualTo(written.payload());
    return new GroupStore.StoredEvent(sequence, written.type(), kept);
  }

  // ---- shapes ----

  @Test
  void encode_memberJoined_isReadableJson() {
    Member fan = new Member(UserId.of("fan-1"), Role.MEMBER, AT, JoinSource.PASSCODE, Optional.of(RequestId.of("r9")));
    Attribution by = new Attribution(Optional.of(UserId.of("owner")), Optional.empty(), Optional.of(JoinSource.PASSCODE),
        Optional.empty(), Optional.of("key-1"), Optional.of(PasscodeId.of("p1")));
    GroupStore.NewEvent e = CODEC.encode(new GroupEvent(GroupId.of("g1"), 4, AT, by,
        new GroupChange.MemberJoined(fan, AdmissionDecision.review("新粉丝", "DAYS_FOLLOWING_TOO_LOW"))));
    assertThat(e.type()).isEqualTo("MemberJoined");
    assertThat(e.payload()).isEqualTo("{\"v\":2,\"occurredAt\":\"2026-03-01T08:00:00.123456789Z\","
        + "\"attribution\":{\"actor\":\"owner\",\"source\":\"PASSCODE\",\"idempotencyKey\":\"key-1\",\"passcode\":\"p1\"},"
        + "\"change\":{\"member\":{\"user\":\"fan-1\",\"role\":\"MEMBER\",\"joinedAt\":\"2026-03-01T08:00:00.123456789Z\","
        + "\"source\":\"PASSCODE\",\"request\":\"r9\"},"
        + "\"decision\":{\"verdict\":\"REVIEW\",\"reasons\":[\"DAYS_FOLLOWING_TOO_LOW\"],\"summary\":\"新粉丝\"}}}");
  }

  @Test
  void encode_groupCreatedWithARule_nestsTheRuleJson() {
    GroupSettings settings = GroupSettings.builder().name("铁粉群").cap(500).joinMode(JoinMode.APPROVAL)
        .policy(AdmissionPolicy.rule(RuleCompiler.of()
            .compile("{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\">=\",\"value\":7}}")))
        .build();
    GroupStore.NewEvent e = CODEC.encode(new GroupEvent(GroupId.of("g1"), 1, AT, Attribution.system(),
        new GroupChange.GroupCreated(UserId.of("owner"), settings)));
    assertThat(e.type()).isEqualTo("GroupCreated");
    assertThat(e.payload()).startsWith("{\"v\":2,\"occurredAt\":\"2026-03-01T08:00:00.123456789Z\",\"attribution\":{},"
        + "\"change\":{\"owner\":\"owner\",\"settings\":{\"name\":\"铁粉群\",\"cap\":500,\"joinMode\":\"APPROVAL\","
        + "\"policy\":{\"kind\":\"rule\",\"rule\":{\"version\":1,")
        .contains("\"fact\":\"days_following\",\"op\":\">=\"");
  }

  @Test
  void encodeRecord_passcodeIssued_isReadableJson() {
    PasscodeInfo info = new PasscodeInfo(PasscodeId.of("p1"), PasscodeSpec.forGroup(GroupId.of("g1")).label("直播间")
        .maxUses(100).build(), UserId.of("owner"), UserId.of("admin"), AT, Optional.of(AT.plus(Duration.ofDays(7))), 0,
        Optional.empty(), "k1");
    GroupStore.NewEvent e = CODEC.encodeRecord(new StoreRecord.PasscodeIssued(info, "hmac", "group/g1"));
    assertThat(e.type()).isEqualTo("PasscodeIssued");
    assertThat(e.payload()).isEqualTo("{\"v\":2,\"info\":{\"id\":\"p1\",\"spec\":{\"group\":\"g1\",\"label\":\"直播间\","
        + "\"lifetime\":\"PT168H\",\"maxUses\":100,\"mode\":\"FOLLOW_JOIN_MODE\",\"profile\":\"STANDARD\"},"
        + "\"creator\":\"owner\",\"createdBy\":\"admin\",\"createdAt\":\"2026-03-01T08:00:00.123456789Z\","
        + "\"expiresAt\":\"2026-03-08T08:00:00.123456789Z\",\"uses\":0,\"keyId\":\"k1\"},"
        + "\"digest\":\"hmac\",\"target\":\"group/g1\"}");
  }

  @Test
  void decodeRecord_codeStoredAsJoinBeforeTheDefaultFollowedTheJoinMode_stillAdmitsAtOnce() {
    // Written with the builder's defaults before FOLLOW_JOIN_MODE existed, when the default was JOIN.
    String before = "{\"v\":2,\"info\":{\"id\":\"p1\",\"spec\":{\"group\":\"g1\",\"label\":\"直播间\","
        + "\"lifetime\":\"PT168H\",\"maxUses\":100,\"mode\":\"JOIN\",\"profile\":\"STANDARD\"},\"creator\":\"owner\","
        + "\"createdBy\":\"admin\",\"createdAt\":\"2026-03-01T08:00:00.123456789Z\","
        + "\"expiresAt\":\"2026-03-08T08:00:00.123456789Z\",\"uses\":0,\"keyId\":\"k1\"},"
        + "\"digest\":\"hmac\",\"target\":\"group/g1\"}";
    StoreRecord read = CODEC.decodeRecord(new GroupStore.StoredEvent(1, "PasscodeIssued", before));
    PasscodeMode mode = ((StoreRecord.PasscodeIssued) read).info().spec().mode();
    assertThat(mode).isEqualTo(PasscodeMode.JOIN);
    assertThat(mode.admitsAtOnceIn(JoinMode.APPROVAL)).isTrue();
  }

  @Test
  void encode_dropsTheRuleExplanation() {
    AdmissionDecision decision = ruleDenial();
    assertThat(decision.explanation()).isPresent();
    GroupEvent event = new GroupEvent(GroupId.of("g1"), 2, AT, Attribution.system(),
        new GroupChange.MemberJoined(new Member(UserId.of("u"), Role.MEMBER, AT, JoinSource.BUTTON, Optional.empty()),
            decision));
    GroupChange.MemberJoined read = (GroupChange.MemberJoined) CODEC.decode(GroupId.of("g1"),
        stored(2, CODEC.encode(event))).change();
    assertThat(read.decision()).isEqualTo(new AdmissionDecision(decision.verdict(), decision.reasons(), decision.summary()));
  }

  @Test
  void encode_unpairedSurrogateIsEscaped() {
    GroupStore.NewEvent e = CODEC.encode(new GroupEvent(GroupId.of("g1"), 1, AT, Attribution.system("a\ud800b😀"),
        new GroupChange.GroupDisbanded()));
    assertThat(e.payload()).contains("\"reason\":\"a\\ud800b😀\"");
  }

  // ---- corrupt payloads ----

  @Test
  void decode_notJson_namesTheEvent() {
    assertThatThrownBy(() -> CODEC.decode(GroupId.of("g1"), new GroupStore.StoredEvent(3, "MemberLeft", "{\"occ")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("stored event #3 of type 'MemberLeft' (group g1)");
  }

  @Test
  void decode_missingField_namesTheField() {
    String payload = "{\"occurredAt\":\"2026-03-01T08:00:00Z\",\"attribution\":{},\"change\":{\"user\":\"u1\"}}";
    assertThatThrownBy(() -> CODEC.decode(GroupId.of("g1"), new GroupStore.StoredEvent(3, "MemberLeft", payload)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'MemberLeft'").hasMessageContaining("field 'change.how' is missing");
  }

  @Test
  void decode_badValues_nameTheFieldAndTheProblem() {
    String badId = "{\"occurredAt\":\"2026-03-01T08:00:00Z\",\"attribution\":{},\"change\":{\"user\":\"u 1\",\"how\":\"LEFT\"}}";
    assertThatThrownBy(() -> CODEC.decode(GroupId.of("g1"), new GroupStore.StoredEvent(3, "MemberLeft", badId)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("field 'change.user'");
    String badEnum = "{\"occurredAt\":\"2026-03-01T08:00:00Z\",\"attribution\":{},\"change\":{\"user\":\"u1\",\"how\":\"FLED\"}}";
    assertThatThrownBy(() -> CODEC.decode(GroupId.of("g1"), new GroupStore.StoredEvent(3, "MemberLeft", badEnum)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("field 'change.how' is 'FLED', not a Departure");
    String badInstant = "{\"occurredAt\":\"yesterday\",\"attribution\":{},\"change\":{}}";
    assertThatThrownBy(() -> CODEC.decode(GroupId.of("g1"), new GroupStore.StoredEvent(3, "GroupDisbanded", badInstant)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("field 'occurredAt' is not an ISO-8601 instant");
    String badNumber = "{\"user\":\"u1\"}";
    assertThatThrownBy(() -> CODEC.decodeRecord(new GroupStore.StoredEvent(1, "GroupAssigned", badNumber)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("field 'group' is missing");
  }

  @Test
  void decode_unknownType_isRefused() {
    assertThatThrownBy(() -> CODEC.decode(GroupId.of("g1"), new GroupStore.StoredEvent(1, "GroupExploded",
        "{\"occurredAt\":\"2026-03-01T08:00:00Z\",\"attribution\":{},\"change\":{}}")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("'GroupExploded'")
        .hasMessageContaining("unknown group event type");
    assertThatThrownBy(() -> CODEC.decodeRecord(new GroupStore.StoredEvent(1, "Nope", "{}")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown record type");
  }

  @Test
  void decode_unknownFields_areIgnored() {
    GroupEvent read = CODEC.decode(GroupId.of("g1"), new GroupStore.StoredEvent(5, "UserUnmuted",
        "{\"occurredAt\":\"2026-03-01T08:00:00Z\",\"attribution\":{\"later\":1},\"change\":{\"user\":\"u1\",\"x\":[]}}"));
    assertThat(read).isEqualTo(new GroupEvent(GroupId.of("g1"), 5, Instant.parse("2026-03-01T08:00:00Z"),
        Attribution.system(), new GroupChange.UserUnmuted(UserId.of("u1"))));
  }

  /** A rule policy's denial, which carries an explanation. */
  private static AdmissionDecision ruleDenial() {
    AdmissionPolicy policy = AdmissionPolicy.rule(RuleCompiler.of()
        .compile("{\"version\":1,\"rule\":{\"fact\":\"days_following\",\"op\":\">=\",\"value\":7}}"));
    return policy.evaluate(new Applicant(UserId.of("u"), GroupId.of("g1"), UserId.of("owner"), JoinSource.BUTTON,
        AdmissionStage.APPLY, AT, new FactSource.UserFacts(Map.of("days_following", 1), Set.of())));
  }

  // ---- generators ----

  /** Random values of every type the codec writes, drawn from QuickTheories' randomness (so they shrink). */
  private static final class Values {
    private static final String ID_CHARS = "abcXYZ019-_.:@";
    private static final List<String> CURRENCIES = List.of("CNY", "usd", "EUR", "JPY", "KWD");

    private final RandomnessSource in;

    Values(RandomnessSource in) {
      this.in = in;
    }

    GroupEvent event() {
      return new GroupEvent(GroupId.of(id()), longBetween(1, Long.MAX_VALUE), instant(), attribution(), change());
    }

    GroupChange change() {
      return switch (between(0, KINDS - 1)) {
        case 0 -> new GroupChange.GroupCreated(UserId.of(id()), settings());
        case 1 -> new GroupChange.SettingsChanged(settings());
        case 2 -> new GroupChange.RequestSubmitted(request());
        case 3 -> new GroupChange.RequestHandled(RequestId.of(id()), UserId.of(id()), pick(RequestStatus.values()));
        case 4 -> new GroupChange.MemberJoined(member(), decision());
        case 5 -> new GroupChange.MemberLeft(UserId.of(id()), pick(Departure.values()));
        case 6 -> new GroupChange.UserBanned(UserId.of(id()), instant());
        case 7 -> new GroupChange.UserUnbanned(UserId.of(id()));
        case 8 -> new GroupChange.UserMuted(UserId.of(id()), instant());
        case 9 -> new GroupChange.UserUnmuted(UserId.of(id()));
        case 10 -> new GroupChange.RoleChanged(UserId.of(id()), pick(Role.values()), pick(Role.values()));
        case 11 -> new GroupChange.OwnershipTransferred(UserId.of(id()), UserId.of(id()), pick(Role.values()));
        case 12 -> new GroupChange.PasscodeCreated(passcode());
        case 13 -> new GroupChange.PasscodeRevoked(PasscodeId.of(id()));
        case 14 -> new GroupChange.MessagePosted(message());
        case 15 -> new GroupChange.SlowModeChanged(duration());
        case 16 -> new GroupChange.RedPacketSent(RedPacketId.of(id()), UserId.of(id()), redPacketSpec(), instant(),
            java.util.stream.LongStream.rangeClosed(1, between(1, 5)).boxed().toList());
        case 17 -> new GroupChange.RedPacketClaimed(RedPacketId.of(id()), UserId.of(id()), between(1, 100),
            longBetween(1, Long.MAX_VALUE), pick(CURRENCIES.toArray(String[]::new)));
        case 18 -> new GroupChange.RedPacketRefunded(RedPacketId.of(id()), UserId.of(id()), longBetween(1, Long.MAX_VALUE),
            pick(CURRENCIES.toArray(String[]::new)));
        default -> new GroupChange.GroupDisbanded();
      };
    }

    Object result() {
      return switch (between(0, 13)) {
        case 0 -> null;
        case 1 -> bool();
        case 2 -> new GroupInfo(GroupId.of(id()), UserId.of(id()), settings(), bool() ? GroupStatus.ACTIVE : GroupStatus.DISBANDED,
            between(0, 2000), between(0, 100), instant(), between(1, 1_000_000));
        case 3 -> new Family(FamilyId.of(id()), UserId.of(id()), text(64, false));
        case 4 -> member();
        case 5 -> request();
        case 6 -> bool() ? new JoinResult(GroupId.of(id()), Optional.of(member()), Optional.empty(), decision())
            : new JoinResult(GroupId.of(id()), Optional.empty(), Optional.of(request()), decision());
        case 7 -> new BulkResult(List.of(new BulkResult.Item(RequestId.of(id()), BulkResult.Outcome.APPROVED, Optional.empty(), ""),
            new BulkResult.Item(RequestId.of(id()), BulkResult.Outcome.GROUP_FULL, Optional.of(ErrorCode.GROUP_FULL), anyString())));
        case 8 -> passcode();
        case 9 -> new IssuedPasscode(passcode(), io.fangroups.core.passcode.Passcodes.generate(
            io.fangroups.core.passcode.PasscodeProfile.STANDARD, io.fangroups.core.passcode.Passcodes.defaultBlocklist()),
            text(64, false));
        case 12 -> claim();
        case 13 -> new RedPacketInfo(RedPacketId.of(id()), GroupId.of(id()), UserId.of(id()), pick(RedPacketKind.values()),
            longBetween(1, 1_000_000), "CNY", between(1, 100), text(25, false), maybe(() -> UserId.of(id())),
            maybe(() -> text(20, false)), Duration.ofSeconds(longBetween(0, 1_000_000)), bool(), instant(), instant(), pick(RedPacketState.values()),
            List.of(claim(), claim()), longBetween(0, 100), longBetween(0, 100), Optional.empty());
        default -> message();
      };
    }

    RedPacketClaim claim() {
      return new RedPacketClaim(RedPacketId.of(id()), UserId.of(id()), between(1, 100), longBetween(1, 1_000_000), "CNY",
          instant());
    }

    RedPacketSpec redPacketSpec() {
      RedPacketSpec spec = switch (between(0, 3)) {
        case 0 -> RedPacketSpec.lucky(longBetween(10, 1_000_000), "CNY", between(1, 10));
        case 1 -> RedPacketSpec.equal(longBetween(1, 1_000), "JPY", between(1, 10));
        case 2 -> RedPacketSpec.exclusive(longBetween(1, 1_000_000), "CNY", UserId.of(id()));
        default -> RedPacketSpec.phrase(longBetween(10, 1_000_000), "CNY", between(1, 10), text(20, false));
      };
      spec = spec.withGreeting(text(25, false)).withMemberFor(Duration.ofSeconds(longBetween(0, 1_000_000))).withLifetime(Duration.ofMinutes(between(1, 10_000)));
      return bool() ? spec.withEligibility(bool() ? VIP : AdmissionPolicy.requireApproval()) : spec;
    }

    StoreRecord storeRecord() {
      return switch (between(0, 15)) {
        case 0 -> new StoreRecord.GroupAssigned(GroupId.of(id()));
        case 12 -> new StoreRecord.RequestDue(GroupId.of(id()));
        case 14 -> new StoreRecord.RedPacketDue(GroupId.of(id()), RedPacketId.of(id()));
        case 15 -> new StoreRecord.HoldStarted(GroupId.of(id()), RedPacketId.of(id()), UserId.of(id()),
            longBetween(1, Long.MAX_VALUE), "CNY", instant());
        case 13 -> new StoreRecord.DeliveryParked(bool() ? "publisher" : "transport", GroupId.of(id()),
            between(1, 1_000_000), text(64, false), anyString(), between(1, 1_000), anyString(), anyString(), instant());
        case 7 -> new StoreRecord.CommandStarted(anyString(), anyString(), instant());
        case 10 -> new StoreRecord.CommandLanded(anyString());
        case 11 -> new StoreRecord.CommandUnknown(anyString());
        case 8 -> new StoreRecord.CommandFinished(anyString(), anyString());
        case 9 -> new StoreRecord.CommandFailed(anyString());
        case 5 -> new StoreRecord.GroupReleased(GroupId.of(id()));
        case 6 -> new StoreRecord.PasscodeAdded(PasscodeId.of(id()));
        case 1 -> new StoreRecord.FamilyCreated(new Family(FamilyId.of(id()), UserId.of(id()), text(64, false)));
        case 2 -> new StoreRecord.PasscodeIssued(passcode(), anyString(), anyString());
        case 3 -> new StoreRecord.PasscodeUsed(UserId.of(id()));
        default -> new StoreRecord.PasscodeRevoked(instant());
      };
    }

    Attribution attribution() {
      return new Attribution(maybe(() -> UserId.of(id())), maybe(() -> RequestId.of(id())),
          maybe(() -> pick(JoinSource.values())), maybe(this::anyString), maybe(this::anyString),
          maybe(() -> PasscodeId.of(id())));
    }

    GroupSettings settings() {
      AdmissionPolicy policy = pick(new AdmissionPolicy[] {AdmissionPolicy.allowAll(), AdmissionPolicy.requireApproval(),
          VIP, UNNAMED});
      return new GroupSettings(text(64, false), between(GroupSettings.MIN_CAP, GroupSettings.MAX_CAP),
          pick(JoinMode.values()), maybe(this::instant), policy, maybe(() -> FamilyId.of(id())));
    }

    JoinRequest request() {
      return new JoinRequest(RequestId.of(id()), GroupId.of(id()), UserId.of(id()), pick(JoinSource.values()),
          pick(RequestStatus.values()), instant(), instant(), maybe(() -> UserId.of(id())), maybe(this::instant),
          maybe(this::anyString), decision());
    }

    Member member() {
      return new Member(UserId.of(id()), pick(Role.values()), instant(), pick(JoinSource.values()),
          maybe(() -> RequestId.of(id())));
    }

    /** Without an explanation: the store drops it. */
    AdmissionDecision decision() {
      List<String> reasons = new ArrayList<>();
      for (int i = between(0, 3); i > 0; i--) {
        reasons.add(anyString());
      }
      return new AdmissionDecision(pick(Verdict.values()), reasons, anyString());
    }

    PasscodeInfo passcode() {
      boolean forGroup = bool();
      PasscodeSpec spec = new PasscodeSpec(forGroup ? Optional.of(GroupId.of(id())) : Optional.empty(),
          forGroup ? Optional.empty() : Optional.of(FamilyId.of(id())), bool() ? "" : text(32, false),
          maybe(() -> Duration.ofSeconds(longBetween(3_600, 365L * 86_400 - 1), between(0, 999_999_999))),
          between(0, PasscodeSpec.MAX_USES), pick(PasscodeMode.values()),
          forGroup ? pick(PasscodeProfile.values()) : PasscodeProfile.STANDARD);
      return new PasscodeInfo(PasscodeId.of(id()), spec, UserId.of(id()), UserId.of(id()), instant(), maybe(this::instant),
          between(0, Integer.MAX_VALUE), maybe(this::instant), anyString());
    }

    GroupMessage message() {
      MessageContent content = switch (between(0, 3)) {
        case 0 -> new MessageContent.Text(text(MessageContent.MAX_BODY_LENGTH, true));
        case 1 -> new MessageContent.Announcement(text(MessageContent.MAX_BODY_LENGTH, true));
        case 2 -> new MessageContent.VideoCard(id(), text(MessageContent.MAX_TITLE_LENGTH, false), bool(), url());
        default -> new MessageContent.ProductLink(url(), text(MessageContent.MAX_TITLE_LENGTH, false),
            longBetween(0, MessageContent.MAX_PRICE_CENTS), pick(CURRENCIES.toArray(new String[0])),
            maybe(() -> text(MessageContent.MAX_COUPON_LENGTH, false)));
      };
      return new GroupMessage(MessageId.of(id()), GroupId.of(id()), UserId.of(id()), content, instant());
    }

    // ---- primitives ----

    String id() {
      int length = bool() ? between(1, 8) : between(1, 128);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(ID_CHARS.charAt(between(0, ID_CHARS.length() - 1)));
      }
      return out.toString();
    }

    String url() {
      return pick(new String[] {"https://", "http://", "HTTPS://"}) + "shop.example" + between(0, 9) + ".com:"
          + between(1, 65_535) + "/" + id() + "?q=" + text(10, false).replaceAll("[^\\p{L}\\p{N}]", "x") + "#" + id();
    }

    /** Human text as the records accept it: 1 to max code points, no controls (but newlines if allowed). */
    String text(int maxCodePoints, boolean newlines) {
      int length = bool() ? between(1, 12) : between(1, maxCodePoints);
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < length; i++) {
        int c = codePoint();
        if (Character.isISOControl(c) || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)
            || Checks.isBidiControl(c)) {
          c = newlines && bool() ? '\n' : '粉';
        }
        out.appendCodePoint(c);
      }
      String stripped = out.toString().strip();
      return stripped.codePoints().allMatch(Checks::isInvisible) ? "群" : stripped;
    }

    /** Unchecked text: any UTF-16 unit, controls and unpaired surrogates included. */
    String anyString() {
      int length = between(0, 20);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        if (bool()) {
          out.append((char) between(0, 0xFFFF));
        } else {
          out.appendCodePoint(codePoint());
        }
      }
      return out.toString();
    }

    private int codePoint() {
      return switch (between(0, 4)) {
        case 0 -> between(0x20, 0x7E);
        case 1 -> between(0x4E00, 0x9FFF);
        case 2 -> between(0x1F300, 0x1FAFF);
        case 3 -> between(0, 0x20);
        default -> between(0, Character.MAX_CODE_POINT);
      };
    }

    Instant instant() {
      return switch (between(0, 13)) {
        case 0 -> Instant.MAX;
        case 1 -> Instant.MIN;
        case 2 -> Instant.ofEpochSecond(longBetween(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()),
            between(0, 999_999_999));
        default -> Instant.ofEpochSecond(longBetween(0, 4_102_444_800L), between(0, 999_999_999));
      };
    }

    Duration duration() {
      return switch (between(0, 3)) {
        case 0 -> Duration.ZERO;
        case 1 -> Duration.ofSeconds(longBetween(-1_000_000_000_000L, 1_000_000_000_000L), between(0, 999_999_999));
        default -> Duration.ofSeconds(between(1, 3_600), bool() ? 0 : between(0, 999_999_999));
      };
    }

    <T> Optional<T> maybe(Supplier<T> value) {
      return bool() ? Optional.of(value.get()) : Optional.empty();
    }

    <T> T pick(T[] values) {
      return values[between(0, values.length - 1)];
    }

    boolean bool() {
      return between(0, 1) == 1;
    }

    int between(int min, int max) {
      return (int) in.next(Constraint.between(min, max));
    }

    long longBetween(long min, long max) {
      return in.next(Constraint.between(min, max));
    }
  }
}
