package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent.Announcement;
import io.fangroups.core.content.MessageContent.ProductLink;
import io.fangroups.core.content.MessageContent.Text;
import io.fangroups.core.content.MessageContent.VideoCard;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.GroupChange.MessagePosted;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Group content: who may post what, mutes, slow mode, validation of bodies and links, idempotency. */
class ContentTest extends Fixture {
  private final UserId admin = user("admin");
  private final UserId fan = user("fan");
  private GroupId group;

  @BeforeEach
  void groupWithAnAdminAndAFan() {
    group = group("小鹿的粉丝1群", GroupSettings.CAP_200, JoinMode.OPEN).id();
    groups.addMember(asCreator(), group, admin);
    groups.appointAdmin(asCreator(), group, admin);
    groups.addMember(asCreator(), group, fan);
  }

  private static ProductLink product(String url) {
    return new ProductLink(url, "限量周边 T 恤", 9_900, "CNY", Optional.of("FANS10"));
  }

  private static VideoCard video(String coverUrl) {
    return new VideoCard("v_2026_03_01", "新视频：春日 vlog", false, coverUrl);
  }

  private int eventCount() {
    return groups.events(group, 0, 10_000).size();
  }

  private List<GroupMessage> postedMessages() {
    return groups.events(group, 0, 10_000).stream().map(GroupEvent::change)
        .filter(MessagePosted.class::isInstance).map(c -> ((MessagePosted) c).message()).toList();
  }

  /** The call is refused with {@code code} and the group's log is exactly as before. */
  private void assertRefused(ErrorCode code, ThrowingCallable call) {
    int before = eventCount();
    assertCode(code, call);
    assertThat(eventCount()).as("events after a refusal").isEqualTo(before);
  }

  // ---- posting ----

  @Test
  void post_textByMember_isRecordedTrimmedAsAnEvent() {
    GroupMessage message = groups.post(as(fan), group, new Text("  大家好\n第一次来  "));

    assertThat(message.sender()).isEqualTo(fan);
    assertThat(message.group()).isEqualTo(group);
    assertThat(message.postedAt()).isEqualTo(clock.instant());
    assertThat(message.content()).isEqualTo(new Text("大家好\n第一次来"));
    assertThat(postedMessages()).containsExactly(message);
  }

  @Test
  void post_adminForwardsVideoCardAndPostsProductLink() {
    VideoCard preview = new VideoCard("v_trailer", "下周新片预告", true, "https://cdn.example.com/cover.jpg");
    GroupMessage forwarded = groups.post(as(admin), group, preview);
    GroupMessage link = groups.post(as(admin), group, product("https://shop.example.com/item/42?src=group"));

    assertThat(postedMessages()).containsExactly(forwarded, link);
    assertThat(((VideoCard) forwarded.content()).preview()).isTrue();
    assertThat(((ProductLink) link.content()).coupon()).contains("FANS10");
  }

  @Test
  void post_productLinkByPlainMember_isNotPermitted() {
    assertRefused(ErrorCode.NOT_PERMITTED, () -> groups.post(as(fan), group, product("https://shop.example.com/1")));
    assertRefused(ErrorCode.NOT_PERMITTED, () -> groups.post(as(fan), group, video("https://cdn.example.com/c.jpg")));
  }

  @Test
  void post_announcement_needsEditSettings() {
    assertRefused(ErrorCode.NOT_PERMITTED, () -> groups.post(as(admin), group, new Announcement("今晚 8 点直播")));

    GroupMessage pinned = groups.post(asCreator(), group, new Announcement("今晚 8 点直播"));
    assertThat(postedMessages()).containsExactly(pinned);
  }

  @Test
  void post_byNonMember_isNotAMember() {
    assertRefused(ErrorCode.NOT_A_MEMBER, () -> groups.post(as(user("stranger")), group, new Text("hi")));
  }

  @Test
  void post_nullsAndUnknownGroup_haveTheirCodes() {
    assertRefused(ErrorCode.INVALID_ARGUMENT, () -> groups.post(null, group, new Text("hi")));
    assertRefused(ErrorCode.INVALID_ARGUMENT, () -> groups.post(as(fan), null, new Text("hi")));
    assertRefused(ErrorCode.INVALID_ARGUMENT, () -> groups.post(as(fan), group, null));
    assertCode(ErrorCode.GROUP_NOT_FOUND, () -> groups.post(as(fan), GroupId.of("g_unknown"), new Text("hi")));
  }

  @Test
  void post_inDisbandedGroup_isGroupDisbanded() {
    groups.disband(asCreator(), group);
    assertRefused(ErrorCode.GROUP_DISBANDED, () -> groups.post(asCreator(), group, new Text("还有人吗")));
  }

  @Test
  void post_byMutedMember_isMutedAndSaysUntilWhen() {
    groups.mute(asCreator(), group, fan, Duration.ofHours(1));
    String until = groups.mutedUntil(group, fan).orElseThrow().toString();

    assertRefused(ErrorCode.MUTED, () -> groups.post(as(fan), group, new Text("我被禁言了吗")));
    assertThatThrownBy(() -> groups.post(as(fan), group, new Text("?")))
        .hasMessageContaining(until);

    clock.advance(Duration.ofHours(1));
    assertThat(groups.post(as(fan), group, new Text("回来了")).sender()).isEqualTo(fan);
  }

  @Test
  void mute_survivesLeaveAndRejoin_forPosting() {
    groups.mute(asCreator(), group, fan, Duration.ofDays(1));
    groups.leave(as(fan), group);
    assertThat(groups.apply(as(fan), group, JoinSource.BUTTON).joined()).isTrue();

    assertRefused(ErrorCode.MUTED, () -> groups.post(as(fan), group, new Text("换个号也不行")));
  }

  @Test
  void post_idempotentRetry_returnsTheSameMessageAndOneEvent() {
    CommandContext ctx = as(fan).withIdempotencyKey("post-1");
    int before = eventCount();

    GroupMessage first = groups.post(ctx, group, new Text("只发一次"));
    GroupMessage retry = groups.post(ctx, group, new Text("只发一次"));

    assertThat(retry).isEqualTo(first);
    assertThat(eventCount()).isEqualTo(before + 1);
    assertRefused(ErrorCode.IDEMPOTENCY_KEY_REUSED, () -> groups.post(ctx, group, new Text("另一条")));
  }

  // ---- slow mode ----

  @Test
  void slowMode_refusesASecondPostWithinTheInterval_andAllowsItAfter() {
    groups.setSlowMode(asCreator(), group, Duration.ofSeconds(30));
    groups.post(as(fan), group, new Text("一"));

    clock.advance(Duration.ofSeconds(29));
    assertRefused(ErrorCode.SLOW_MODE, () -> groups.post(as(fan), group, new Text("二")));

    clock.advance(Duration.ofSeconds(1));
    assertThat(groups.post(as(fan), group, new Text("二")).sender()).isEqualTo(fan);
  }

  @Test
  void slowMode_exemptsOwnersAndAdmins() {
    groups.setSlowMode(asCreator(), group, Duration.ofMinutes(5));

    groups.post(as(admin), group, new Text("一"));
    groups.post(as(admin), group, new Text("二"));
    groups.post(asCreator(), group, new Text("三"));
    groups.post(asCreator(), group, new Text("四"));

    assertThat(postedMessages()).extracting(GroupMessage::sender).containsExactly(admin, admin, creator, creator);
  }

  @Test
  void slowMode_zeroTurnsItOff() {
    groups.setSlowMode(asCreator(), group, Duration.ofMinutes(1));
    groups.post(as(fan), group, new Text("一"));
    groups.setSlowMode(asCreator(), group, Duration.ZERO);

    assertThat(groups.post(as(fan), group, new Text("二")).sender()).isEqualTo(fan);
  }

  @Test
  void setSlowMode_outOfBoundsOrWithoutEditSettings_isRefused() {
    assertRefused(ErrorCode.INVALID_ARGUMENT, () -> groups.setSlowMode(asCreator(), group, Duration.ofMinutes(61)));
    assertRefused(ErrorCode.INVALID_ARGUMENT, () -> groups.setSlowMode(asCreator(), group, Duration.ofSeconds(-1)));
    assertRefused(ErrorCode.INVALID_ARGUMENT, () -> groups.setSlowMode(asCreator(), group, null));
    assertRefused(ErrorCode.NOT_PERMITTED, () -> groups.setSlowMode(as(admin), group, Duration.ofSeconds(10)));
    assertRefused(ErrorCode.NOT_PERMITTED, () -> groups.setSlowMode(as(fan), group, Duration.ofSeconds(10)));
  }

  @Test
  void setSlowMode_isRecordedOnceAndTheSameValueRecordsNothing() {
    groups.setSlowMode(asCreator(), group, Duration.ofMinutes(1));
    int after = eventCount();
    groups.setSlowMode(asCreator(), group, Duration.ofMinutes(1));

    assertThat(eventCount()).isEqualTo(after);
    assertThat(groups.events(group, after - 1, 1).get(0).change())
        .isEqualTo(new GroupChange.SlowModeChanged(Duration.ofMinutes(1)));
  }

  // ---- validation ----

  @Test
  void text_overLong_isMessageTooLong() {
    assertRefused(ErrorCode.MESSAGE_TOO_LONG, () -> groups.post(as(fan), group, new Text("长".repeat(2_001))));
    assertCode(ErrorCode.MESSAGE_TOO_LONG, () -> new Announcement("x".repeat(MessageContent.MAX_BODY_LENGTH + 1)));
  }

  @Test
  void text_limitCountsCodePointsAfterTrimming() {
    String emoji = "😀".repeat(MessageContent.MAX_BODY_LENGTH); // 4,000 UTF-16 chars, 2,000 code points
    assertThat(new Text("  " + emoji + "\n").body()).isEqualTo(emoji);
  }

  @Test
  void text_blankOrWithControlCharacters_isInvalidArgument() {
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new Text(" \n\t "));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new Text("a\u0000b"));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new Text("a\rb"));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new Announcement(null));
    assertThat(new Text("第一行\n第二行").body()).isEqualTo("第一行\n第二行");
  }

  @Test
  void productLink_javascriptUrl_isInvalidUrl() {
    assertRefused(ErrorCode.INVALID_URL, () -> groups.post(as(admin), group, product("javascript:alert(1)")));
    assertCode(ErrorCode.INVALID_URL, () -> video("JavaScript://example.com/%0Aalert(1)"));
  }

  @Test
  void urls_thatAreNotAbsoluteHttpWithAHost_areInvalidUrl() {
    List<String> refused = List.of("data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
        "/relative/path", "example.com/no-scheme", "//example.com/protocol-relative", "ftp://example.com/",
        "https://user:pass@example.com/", "https://example.com@evil.example/", "http:///no-host", "http:opaque",
        "https://exa mple.com/", "https://example.com/\u202Egpj.exe", "https://example.com/\n", "http://[::1",
        "https://example.com:0/", "https://example.com:70000/", "", "https://example.com/" + "a".repeat(2_048));
    for (String url : refused) {
      assertCode(ErrorCode.INVALID_URL, () -> product(url));
    }
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> product(null));
  }

  @Test
  void urls_absoluteHttpWithAHost_areKeptAsGiven() {
    for (String url : List.of("https://shop.example.com/item/42?src=group#top", "HTTP://EXAMPLE.COM",
        "http://127.0.0.1:8080/p", "https://[::1]/p", "https://xn--fiqs8s.example/商品")) {
      assertThat(product(url).url()).isEqualTo(url);
    }
  }

  @Test
  void productLink_fieldsOutOfRange_areInvalidArgument() {
    String url = "https://shop.example.com/1";
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new ProductLink(url, "t", -1, "CNY", Optional.empty()));
    assertCode(ErrorCode.INVALID_ARGUMENT,
        () -> new ProductLink(url, "t", MessageContent.MAX_PRICE_CENTS + 1, "CNY", Optional.empty()));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new ProductLink(url, "t", 1, "ABC", Optional.empty()));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new ProductLink(url, "t", 1, "yuan", Optional.empty()));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new ProductLink(url, "t", 1, "CNY", Optional.of("C".repeat(33))));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new ProductLink(url, "t", 1, "CNY", null));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new ProductLink(url, "标".repeat(101), 1, "CNY", Optional.empty()));
    assertThat(new ProductLink(url, "t", MessageContent.MAX_PRICE_CENTS, "usd", Optional.empty()).currency())
        .isEqualTo("USD");
  }

  @Test
  void videoCard_malformedIdOrTitle_isInvalidArgument() {
    String cover = "https://cdn.example.com/c.jpg";
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new VideoCard("v 1", "title", false, cover));
    assertCode(ErrorCode.INVALID_ARGUMENT, () -> new VideoCard("v1", " ", false, cover));
  }

  // ---- properties ----

  /** Strings that look like URLs often enough to reach every check, mixed with arbitrary Unicode. */
  private static Gen<String> urlLike() {
    Gen<String> prefix = Generate.pick(List.of("http://", "https://", "HTTPS://", "http:", "http:/", "http:///",
        "https://user:pass@", "javascript:", "data:text/html,", "file:///", "ftp://", "//", "/", ""));
    Gen<String> host = Generate.pick(List.of("example.com", "a.b", "127.0.0.1", "[::1]", "exa_mple.com", "", "@",
        "example.com:8080", "example.com:99999", "例子.cn"));
    Gen<String> rest = strings().ascii().ofLengthBetween(0, 30)
        .mix(strings().allPossible().ofLengthBetween(0, 30));
    return prefix.zip(host, rest, (p, h, r) -> p + h + r).mix(strings().allPossible().ofLengthBetween(0, 60), 20);
  }

  @Test
  void property_urlsAreRefusedWithAUrlCodeOrAcceptedAsHttpWithAHost() {
    AtomicInteger accepted = new AtomicInteger();
    qt().withExamples(50_000).forAll(urlLike()).checkAssert(url -> {
      String kept;
      try {
        kept = product(url).url();
      } catch (FanGroupsException e) {
        assertThat(e.code()).as(url).isIn(ErrorCode.INVALID_URL, ErrorCode.INVALID_ARGUMENT);
        return;
      }
      URI uri = URI.create(kept);
      assertThat(uri.getScheme().toLowerCase(Locale.ROOT)).as(url).isIn("http", "https");
      assertThat(uri.getHost()).as(url).isNotBlank();
      assertThat(uri.getRawUserInfo()).as(url).isNull();
      accepted.incrementAndGet();
    });
    assertThat(accepted).as("the generator reaches accepted URLs").hasPositiveValue();
  }
}
