package io.fangroups.examples.quickstart;

import io.fangroups.core.BulkResult;
import io.fangroups.core.ClientInfo;
import io.fangroups.core.CommandContext;
import io.fangroups.core.Family;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.InMemoryWallet;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinResult;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.rules.CompiledRule;
import io.fangroups.rules.RuleCompiler;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The story of DESIGN.md §1 on the embedded in-memory defaults: a creator with two groups (caps 200
 * and 500), fans applying, the owner approving in bulk, a ban, a full group overflowing to its sibling;
 * then a red packet, on a service wired with a payment system.
 */
public final class Quickstart {
  private final PrintStream out;

  Quickstart(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) {
    new Quickstart(new PrintStream(System.out, true, StandardCharsets.UTF_8)).run();
  }

  /** The entry conditions of the loyal-fans group, as a creator's settings page would save them. */
  static final String LOYAL_FANS_RULE = """
      {"version":1,"unknown":"review","rule":{"all":[
        {"fact":"days_following","op":">=","value":7,"unit":"days"},
        {"any":[{"fact":"fan_club_level","op":">=","value":3},
                {"not":{"fact":"fan_club_member","op":"==","value":true}}]}]}}""";

  /** Stands in for the host's social graph: facts about each fan relative to the creator. */
  private final InMemorySocialGraph socialGraph = new InMemorySocialGraph();

  /** Runs the story; returns the service so a test can check the end state. */
  FanGroups run() {
    // README-START
    FanGroups fanGroups = FanGroups.builder().factSource(socialGraph).build(); // socialGraph: your FactSource
    CommandContext creator = CommandContext.of("xiaolu");
    Family family = fanGroups.createFamily(creator, "小鹿的粉丝群");
    GroupInfo first = fanGroups.createGroup(creator, GroupSettings.builder()
        .name("小鹿的粉丝1群").cap(GroupSettings.CAP_200).family(family.id()).build());
    GroupInfo second = fanGroups.createGroup(creator, GroupSettings.builder().name("小鹿的粉丝2群")
        .cap(GroupSettings.CAP_500).joinMode(JoinMode.APPROVAL).family(family.id()).build());
    JoinResult joined = fanGroups.applyToFamily(CommandContext.of("fan-1"), family.id(), JoinSource.BUTTON);
    // README-END

    say("1. Creator xiaolu opens two groups in the family '%s':", family.name());
    say("   %s  cap %d, %s", first.settings().name(), first.settings().cap(), first.settings().joinMode());
    say("   %s  cap %d, %s", second.settings().name(), second.settings().cap(), second.settings().joinMode());
    say("2. fan-1 taps 'apply to join' on the profile and lands in %s at once (joined=%s).",
        name(fanGroups, joined.group()), joined.joined());

    for (int i = 2; i <= 199; i++) {
      fanGroups.applyToFamily(CommandContext.of("fan-" + i), family.id(), JoinSource.BUTTON);
    }
    say("3. 198 more fans join: %s now has %d/%d members.", first.settings().name(),
        fanGroups.group(first.id()).memberCount(), first.settings().cap());

    List<RequestId> requests = new ArrayList<>();
    say("4. Four more fans tap apply; %s is full, so their requests overflow to its sibling:", first.settings().name());
    for (String fan : List.of("fan-200", "fan-201", "fan-202", "troll")) {
      JoinResult r = fanGroups.applyToFamily(CommandContext.of(fan), family.id(), JoinSource.BUTTON);
      requests.add(r.request().orElseThrow().id());
      say("   %-8s -> request in %s, pending until %s", fan, name(fanGroups, r.group()),
          r.request().get().expiresAt().truncatedTo(ChronoUnit.MINUTES));
    }

    fanGroups.withdraw(CommandContext.of("fan-202"), requests.get(2));
    say("5. fan-202 changes their mind and withdraws.");

    fanGroups.ban(creator.withReason("spam links"), second.id(), UserId.of("troll"), Duration.ofDays(7));
    say("6. xiaolu bans 'troll' from %s for 7 days; their pending request is cancelled: %s.",
        second.settings().name(), fanGroups.request(requests.get(3)).status());
    try {
      fanGroups.apply(CommandContext.of("troll"), second.id(), JoinSource.BUTTON);
    } catch (FanGroupsException e) {
      say("   troll tries again: refused with %s.", e.code());
    }

    BulkResult bulk = fanGroups.approveAll(creator.withIdempotencyKey("approve-batch-1"), requests);
    say("7. xiaolu approves the whole inbox in one call:");
    for (BulkResult.Item item : bulk.items()) {
      String who = fanGroups.request(item.request()).applicant().value();
      say("   %-8s -> %s", who, item.outcome());
    }
    say("   %s now has %d/%d members.", second.settings().name(), fanGroups.group(second.id()).memberCount(),
        second.settings().cap());

    IssuedPasscode passcode = fanGroups.createPasscode(creator,
        PasscodeSpec.forGroup(second.id()).label("weibo post").maxUses(50).lifetime(Duration.ofDays(3)).build());
    String shared = passcode.shareText(Locale.CHINA);
    say("8. xiaolu makes a passcode (群口令) for %s, 50 uses, 3 days, and shares:", second.settings().name());
    say("   %s", shared);
    String pasted = mangleLikeAChatApp(shared);
    say("   fan-300's chat app mangles it (full-width, lower case, Cyrillic look-alikes, a zero-width space):");
    say("   %s", pasted);
    JoinResult viaCode = fanGroups.redeemPasscode(CommandContext.of("fan-300"), pasted,
        ClientInfo.of("phone-300", "203.0.113.30"));
    say("   fan-300 pastes it; %s needs approval, so the code applies to the owner like the button does:",
        name(fanGroups, viaCode.group()));
    say("   a pending request from %s (joined=%s); the code has %d uses left.",
        viaCode.request().orElseThrow().source(), viaCode.joined(), fanGroups.passcode(passcode.info().id()).usesLeft());
    Member approved = fanGroups.approve(creator, viaCode.request().get().id());
    say("   xiaolu approves it: fan-300 is a member, joined by %s.", approved.source());
    IssuedPasscode vip = fanGroups.createPasscode(creator, PasscodeSpec.forGroup(second.id()).label("live VIPs")
        .maxUses(5).mode(PasscodeMode.JOIN).build());
    JoinResult direct = fanGroups.redeemPasscode(CommandContext.of("fan-301"), vip.display(),
        ClientInfo.of("phone-301", "203.0.113.31"));
    say("   For her live stream's VIPs xiaolu makes a code that skips approval (mode JOIN, her explicit choice):");
    say("   fan-301 pastes it and joins %s at once (joined=%s).", name(fanGroups, direct.group()), direct.joined());
    try {
      fanGroups.redeemPasscode(CommandContext.of("guesser"), "群口令 7KQM-3XP9-VD2HC", ClientInfo.unknown());
    } catch (FanGroupsException e) {
      say("   a guessed code is refused with %s (and counts against the guesser's attempt limit).", e.code());
    }

    fanGroups.post(creator, second.id(), new MessageContent.VideoCard("v20261125", "新视频预告：秋冬穿搭", true,
        "https://cdn.example.com/covers/v20261125.jpg"));
    fanGroups.post(creator, second.id(), new MessageContent.ProductLink("https://shop.example.com/item/42",
        "小鹿同款润唇膏", 3900, "CNY", Optional.of("FANS10")));
    say("9. xiaolu forwards a video preview and posts a product link (¥39.00, coupon FANS10) into %s.",
        second.settings().name());
    try {
      fanGroups.post(CommandContext.of("fan-200"), second.id(), new MessageContent.ProductLink(
          "https://shop.example.com/item/99", "my own shop", 100, "CNY", Optional.empty()));
    } catch (FanGroupsException e) {
      say("   fan-200 tries to post a product link too: refused with %s.", e.code());
    }

    CompiledRule rule = RuleCompiler.of().compile(LOYAL_FANS_RULE);
    GroupInfo loyal = fanGroups.createGroup(creator, GroupSettings.builder().name("小鹿的铁粉群").cap(200)
        .policy(AdmissionPolicy.rule(rule)).build());
    say("10. xiaolu opens %s: followed for 7+ days AND (fan-club level 3+ OR not in the fan club).",
        loyal.settings().name());
    socialGraph.put("new-fan", Map.of("days_following", 3, "fan_club_member", true, "fan_club_level", 1));
    try {
      fanGroups.apply(CommandContext.of("new-fan"), loyal.id(), JoinSource.BUTTON);
    } catch (FanGroupsException e) {
      AdmissionDecision why = e.decision().orElseThrow();
      say("   new-fan (3 days, fan-club level 1) is refused with %s. What the app shows them:", e.code());
      say("   zh: %s", why.render(Locale.CHINESE, ZoneId.of("Asia/Shanghai")));
      say("   en: %s", why.render(Locale.ENGLISH, ZoneId.of("Asia/Shanghai")));
    }
    socialGraph.put("old-fan", Map.of("days_following", 40, "fan_club_member", true, "fan_club_level", 4));
    say("   old-fan (40 days, level 4) applies and joins at once: %s.",
        fanGroups.apply(CommandContext.of("old-fan"), loyal.id(), JoinSource.BUTTON).joined());

    List<GroupEvent> events = fanGroups.events(second.id(), 0, 100);
    say("11. %s's event log (gapless, attributed):", second.settings().name());
    for (GroupEvent e : events) {
      say("   #%-2d %-34s by %s%s", e.sequence(), describe(e.change()),
          e.attribution().actor().map(UserId::value).orElse("system"),
          e.attribution().request().map(r -> " (request " + shortId(r.value()) + ")").orElse("")
              + e.attribution().passcode().map(p -> " (passcode " + shortId(p.value()) + ")").orElse(""));
    }

    redPackets(fanGroups, first);
    return fanGroups;
  }

  /** What xiaolu has in the payment system before the red packet: ¥1,000.00, in fen. */
  static final long CREATOR_FUNDS = 100_000;

  /** Stands in for the host's payment system; a test reads its ledger. */
  final InMemoryWallet wallet = InMemoryWallet.create();

  /**
   * A lucky red packet of ¥88.88 in 10 shares: refused on a service without a payment system, then
   * sent, claimed and paid on one wired with {@link #wallet}.
   */
  private void redPackets(FanGroups unwired, GroupInfo group) {
    CommandContext creator = CommandContext.of("xiaolu");
    RedPacketSpec packet = RedPacketSpec.lucky(8_888, "CNY", 10).withGreeting("感谢大家一路支持");
    try {
      unwired.sendRedPacket(creator, group.id(), packet);
    } catch (FanGroupsException e) {
      say("12. xiaolu sends a red packet (群聊红包) into %s: refused with %s, as no payment system is wired.",
          group.settings().name(), e.code());
    }

    wallet.deposit("xiaolu", "CNY", CREATOR_FUNDS);
    FanGroups fanGroups = FanGroups.builder()
        .wallet(wallet)      // holds the packet's money, pays claims, takes refunds back
        .startRelay(false)   // the relay pays claims; drained by hand below so the balances are final
        .build();
    GroupInfo redPacketGroup = fanGroups.createGroup(creator, GroupSettings.of("小鹿的红包群", GroupSettings.CAP_200));
    for (int i = 1; i <= 12; i++) {
      fanGroups.apply(CommandContext.of("fan-" + i), redPacketGroup.id(), JoinSource.BUTTON);
    }
    say("   On a service wired with a wallet where xiaolu has %s, in %s with 12 fans:", yuan(CREATOR_FUNDS),
        redPacketGroup.settings().name());
    RedPacketInfo sent = fanGroups.sendRedPacket(creator, redPacketGroup.id(), packet);
    say("   xiaolu sends a lucky packet (拼手气) of %s in %d shares, \"%s\"; the wallet holds it: xiaolu has %s left.",
        yuan(sent.amount()), sent.count(), sent.greeting(), yuan(wallet.balance("xiaolu", "CNY")));

    List<RedPacketClaim> claims = new ArrayList<>();
    for (int i = 1; i <= 11; i++) {
      String fan = "fan-" + i;
      try {
        RedPacketClaim claim = fanGroups.claimRedPacket(CommandContext.of(fan), sent.id());
        claims.add(claim);
        say("   %-6s got %s", fan, yuan(claim.amount()));
      } catch (FanGroupsException e) {
        say("   %-6s is too late: %s", fan, e.code());
      }
    }
    RedPacketInfo emptied = fanGroups.redPacket(UserId.of("xiaolu"), sent.id());
    emptied.luckiest().ifPresent(l -> say("   手气最佳 (luckiest): %s with %s", l.user(), yuan(l.amount())));

    long claimed = claims.stream().mapToLong(RedPacketClaim::amount).sum();
    say("   Claims are recorded first and paid by the outbox relay; before it runs the fans have %s.",
        yuan(paidTo(claims)));
    fanGroups.relay().drainOnce();
    say("   After relay().drainOnce(): the claims add up to %s, the fans' balances to %s (each fan's is their claim: %s);",
        yuan(claimed), yuan(paidTo(claims)),
        claims.stream().allMatch(c -> wallet.balance(c.user().value(), "CNY") == c.amount()));
    say("   xiaolu has %s (%s - %s), %s is still held, and the ledger's accounts sum to %s (nothing made or lost).",
        yuan(wallet.balance("xiaolu", "CNY")), yuan(CREATOR_FUNDS), yuan(sent.amount()),
        yuan(wallet.holds().stream().mapToLong(InMemoryWallet.HoldBalance::remaining).sum()), yuan(wallet.total("CNY")));
  }

  private long paidTo(List<RedPacketClaim> claims) {
    return claims.stream().mapToLong(c -> wallet.balance(c.user().value(), "CNY")).sum();
  }

  /** A non-negative amount in fen as yuan: 8888 → ¥88.88. */
  static String yuan(long fen) {
    return String.format("¥%d.%02d", fen / 100, fen % 100);
  }

  private static String describe(GroupChange change) {
    if (change instanceof GroupChange.RequestHandled h) {
      return "RequestHandled " + h.status() + " " + h.applicant();
    } else if (change instanceof GroupChange.RequestSubmitted s) {
      return "RequestSubmitted " + s.request().applicant();
    } else if (change instanceof GroupChange.MemberJoined j) {
      return "MemberJoined " + j.member().user();
    } else if (change instanceof GroupChange.UserBanned b) {
      return "UserBanned " + b.user();
    } else if (change instanceof GroupChange.MessagePosted m) {
      return "MessagePosted " + m.message().content().getClass().getSimpleName();
    }
    return change.getClass().getSimpleName();
  }

  /** Full-width letters, lower case, a Cyrillic look-alike and an invisible character, as chat apps do. */
  static String mangleLikeAChatApp(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
      int lookAlike = "acepxy".indexOf(c);
      if (lookAlike >= 0) {
        // Cyrillic а с е р х у: small letters Unicode's confusables list for Latin a c e p x y (not к for k)
        out.append("\u0430\u0441\u0435\u0440\u0445\u0443".charAt(lookAlike));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
        out.append((char) (c - '!' + '\uFF01')); // full-width form
      } else {
        out.append(c);
      }
    }
    return out.insert(out.length() - 4, '\u200B').toString();
  }

  private static String name(FanGroups fanGroups, GroupId id) {
    return fanGroups.group(id).settings().name();
  }

  private static String shortId(String id) {
    return id.length() > 10 ? id.substring(0, 10) + "…" : id;
  }

  private void say(String format, Object... args) {
    out.println(String.format(format, args));
  }

}
