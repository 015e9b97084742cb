package io.fangroups.core.internal.format;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fangroups.core.Family;
import io.fangroups.core.FamilyId;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupInfo;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent.Announcement;
import io.fangroups.core.content.MessageContent.ProductLink;
import io.fangroups.core.content.MessageContent.Text;
import io.fangroups.core.content.MessageContent.VideoCard;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.MessageId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketState;
import io.fangroups.core.redpacket.RedPacketKind;
import io.fangroups.core.redpacket.RedPacketSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the values inside events, records and results are written and read: settings, attribution,
 * requests, members, decisions, passcodes, messages and their content. {@link WireFormat} puts
 * them together; every shape is written and read in one place here.
 */
final class ValueFormat {
  /** Message content kinds, by the name both the store and the transport use. */
  private static final Map<Class<?>, String> CONTENT_KINDS = Map.of(Text.class, "text", Announcement.class,
      "announcement", VideoCard.class, "video_card", ProductLink.class, "product_link");
  /** Version 1's content names (the Java simple names), read for old payloads. */
  private static final Map<String, String> V1_CONTENT_KINDS = Map.of("Text", "text", "Announcement", "announcement",
      "VideoCard", "video_card", "ProductLink", "product_link");

  private final PolicyCodec policies;

  ValueFormat(PolicyCodec policies) {
    this.policies = policies;
  }

  ObjectNode family(Family f) {
    return WireFormat.JSON.createObjectNode().put("id", f.id().value()).put("creator", f.creator().value()).put("name", f.name());
  }

  Family family(In f) {
    return new Family(f.text("id", FamilyId::of), f.text("creator", UserId::of), f.text("name"));
  }

  ObjectNode group(GroupInfo g) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("id", g.id().value()).put("owner", g.owner().value());
    out.set("settings", settings(g.settings()));
    return out.put("status", g.status().name()).put("memberCount", g.memberCount())
        .put("pendingRequests", g.pendingRequests()).put("createdAt", g.createdAt().toString())
        .put("lastSequence", g.lastSequence());
  }

  GroupInfo group(In g) {
    return new GroupInfo(g.text("id", GroupId::of), g.text("owner", UserId::of), settings(g.get("settings")),
        g.enumValue("status", GroupStatus.class), g.intValue("memberCount"), g.intValue("pendingRequests"),
        g.instant("createdAt"), g.longValue("lastSequence"));
  }

  ObjectNode settings(GroupSettings s) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("name", s.name()).put("cap", s.cap()).put("joinMode", s.joinMode().name());
    optional(out, "pausedUntil", s.pausedUntil().map(Instant::toString));
    out.set("policy", policies.encode(s.policy()));
    optional(out, "family", s.family().map(FamilyId::value));
    return out;
  }

  ObjectNode attribution(Attribution a) {
    ObjectNode out = WireFormat.JSON.createObjectNode();
    optional(out, "actor", a.actor().map(UserId::value));
    optional(out, "request", a.request().map(RequestId::value));
    optional(out, "source", a.source().map(JoinSource::name));
    optional(out, "reason", a.reason());
    optional(out, "idempotencyKey", a.idempotencyKey());
    optional(out, "passcode", a.passcode().map(PasscodeId::value));
    return out;
  }

  ObjectNode request(JoinRequest r) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("id", r.id().value()).put("group", r.group().value())
        .put("applicant", r.applicant().value()).put("source", r.source().name()).put("status", r.status().name())
        .put("createdAt", r.createdAt().toString()).put("expiresAt", r.expiresAt().toString());
    optional(out, "handledBy", r.handledBy().map(UserId::value));
    optional(out, "handledAt", r.handledAt().map(Instant::toString));
    optional(out, "reason", r.reason());
    out.set("decision", decision(r.decision()));
    return out;
  }

  ObjectNode member(Member m) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("user", m.user().value()).put("role", m.role().name())
        .put("joinedAt", m.joinedAt().toString()).put("source", m.source().name());
    optional(out, "request", m.request().map(RequestId::value));
    return out;
  }

  ObjectNode decision(AdmissionDecision d) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("verdict", d.verdict().name());
    ArrayNode reasons = out.putArray("reasons");
    d.reasons().forEach(reasons::add);
    return out.put("summary", d.summary());
  }

  ObjectNode passcode(PasscodeInfo p) {
    PasscodeSpec spec = p.spec();
    ObjectNode specOut = WireFormat.JSON.createObjectNode();
    optional(specOut, "group", spec.group().map(GroupId::value));
    optional(specOut, "family", spec.family().map(FamilyId::value));
    specOut.put("label", spec.label());
    optional(specOut, "lifetime", spec.lifetime().map(Duration::toString));
    specOut.put("maxUses", spec.maxUses()).put("mode", spec.mode().name()).put("profile", spec.profile().name());
    ObjectNode out = WireFormat.JSON.createObjectNode().put("id", p.id().value());
    out.set("spec", specOut);
    out.put("creator", p.creator().value()).put("createdBy", p.createdBy().value())
        .put("createdAt", p.createdAt().toString());
    optional(out, "expiresAt", p.expiresAt().map(Instant::toString));
    out.put("uses", p.uses());
    optional(out, "revokedAt", p.revokedAt().map(Instant::toString));
    return out.put("keyId", p.keyId());
  }

  ObjectNode message(GroupMessage m) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("id", m.id().value()).put("group", m.group().value())
        .put("sender", m.sender().value());
    out.set("content", content(m.content()));
    return out.put("postedAt", m.postedAt().toString());
  }

  /** A post's content: its kind, then its fields (the transport's fields are these, as text). */
  ObjectNode content(MessageContent content) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("kind", CONTENT_KINDS.get(content.getClass()));
    if (content instanceof Text t) {
      out.put("body", t.body());
    } else if (content instanceof Announcement a) {
      out.put("body", a.body());
    } else if (content instanceof VideoCard v) {
      out.put("videoId", v.videoId()).put("title", v.title()).put("preview", v.preview()).put("coverUrl", v.coverUrl());
    } else {
      ProductLink p = (ProductLink) content;
      out.put("url", p.url()).put("title", p.title()).put("priceCents", p.priceCents()).put("currency", p.currency());
      optional(out, "coupon", p.coupon());
    }
    return out;
  }

  ObjectNode redPacketSpec(RedPacketSpec s) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("kind", s.kind().name()).put("amount", s.amount())
        .put("currency", s.currency()).put("count", s.count()).put("greeting", s.greeting());
    optional(out, "recipient", s.recipient().map(UserId::value));
    optional(out, "phrase", s.phrase());
    out.put("memberFor", s.memberFor().toString());
    s.eligibility().ifPresent(policy -> out.set("eligibility", policies.encode(policy)));
    return out.put("lifetime", s.lifetime().toString());
  }

  RedPacketSpec redPacketSpec(In s) {
    return new RedPacketSpec(s.enumValue("kind", RedPacketKind.class), s.longValue("amount"), s.text("currency"),
        s.intValue("count"), s.text("greeting"), s.optional("recipient").map(v -> v.as(UserId::of)),
        s.optional("phrase").map(In::text), s.duration("memberFor"),
        s.optional("eligibility").map(p -> p.decode(policies::decode)), s.duration("lifetime"));
  }

  ObjectNode redPacket(RedPacketInfo p) {
    ObjectNode out = WireFormat.JSON.createObjectNode().put("id", p.id().value()).put("group", p.group().value())
        .put("sender", p.sender().value()).put("kind", p.kind().name()).put("amount", p.amount())
        .put("currency", p.currency()).put("count", p.count()).put("greeting", p.greeting());
    optional(out, "recipient", p.recipient().map(UserId::value));
    optional(out, "phrase", p.phrase());
    out.put("memberFor", p.memberFor().toString()).put("ruleRequired", p.ruleRequired())
        .put("sentAt", p.sentAt().toString()).put("expiresAt", p.expiresAt().toString()).put("state", p.state().name());
    ArrayNode claims = out.putArray("claims");
    p.claims().forEach(c -> claims.add(claim(c)));
    out.put("remaining", p.remaining()).put("refunded", p.refunded());
    p.luckiest().ifPresent(c -> out.put("luckiest", c.number()));
    return out;
  }

  RedPacketInfo redPacket(In p) {
    List<RedPacketClaim> claims = p.get("claims").elements().stream().map(this::claim).toList();
    Optional<RedPacketClaim> luckiest = p.optional("luckiest").map(n -> claims.get((int) n.longValue() - 1));
    return new RedPacketInfo(p.text("id", RedPacketId::of), p.text("group", GroupId::of), p.text("sender", UserId::of),
        p.enumValue("kind", RedPacketKind.class), p.longValue("amount"), p.text("currency"), p.intValue("count"),
        p.text("greeting"), p.optional("recipient").map(v -> v.as(UserId::of)), p.optional("phrase").map(In::text),
        p.duration("memberFor"), p.bool("ruleRequired"), p.instant("sentAt"), p.instant("expiresAt"),
        p.enumValue("state", RedPacketState.class), claims, p.longValue("remaining"), p.longValue("refunded"), luckiest);
  }

  ObjectNode claim(RedPacketClaim c) {
    return WireFormat.JSON.createObjectNode().put("packet", c.packet().value()).put("user", c.user().value())
        .put("number", c.number()).put("amount", c.amount()).put("currency", c.currency())
        .put("claimedAt", c.claimedAt().toString());
  }

  RedPacketClaim claim(In c) {
    return new RedPacketClaim(c.text("packet", RedPacketId::of), c.text("user", UserId::of), c.intValue("number"),
        c.longValue("amount"), c.text("currency"), c.instant("claimedAt"));
  }

  void optional(ObjectNode out, String field, Optional<String> value) {
    value.ifPresent(v -> out.put(field, v));
  }

  GroupSettings settings(In s) {
    In policy = s.get("policy");
    return new GroupSettings(s.text("name"), s.intValue("cap"), s.enumValue("joinMode", JoinMode.class),
        s.optional("pausedUntil").map(In::instant), policy.decode(policies::decode),
        s.optional("family").map(f -> f.as(FamilyId::of)));
  }

  Attribution attribution(In a) {
    return new Attribution(a.optional("actor").map(v -> v.as(UserId::of)),
        a.optional("request").map(v -> v.as(RequestId::of)), a.optional("source").map(v -> v.enumValue(JoinSource.class)),
        a.optional("reason").map(In::text), a.optional("idempotencyKey").map(In::text),
        a.optional("passcode").map(v -> v.as(PasscodeId::of)));
  }

  JoinRequest request(In r) {
    return new JoinRequest(r.text("id", RequestId::of), r.text("group", GroupId::of), r.text("applicant", UserId::of),
        r.enumValue("source", JoinSource.class), r.enumValue("status", RequestStatus.class), r.instant("createdAt"),
        r.instant("expiresAt"), r.optional("handledBy").map(v -> v.as(UserId::of)),
        r.optional("handledAt").map(In::instant), r.optional("reason").map(In::text), decision(r.get("decision")));
  }

  Member member(In m) {
    return new Member(m.text("user", UserId::of), m.enumValue("role", Role.class), m.instant("joinedAt"),
        m.enumValue("source", JoinSource.class), m.optional("request").map(v -> v.as(RequestId::of)));
  }

  AdmissionDecision decision(In d) {
    List<String> reasons = new ArrayList<>();
    d.get("reasons").elements().forEach(r -> reasons.add(r.text()));
    return new AdmissionDecision(d.enumValue("verdict", Verdict.class), reasons, d.text("summary"));
  }

  PasscodeInfo passcode(In p) {
    In s = p.get("spec");
    PasscodeSpec spec = new PasscodeSpec(s.optional("group").map(v -> v.as(GroupId::of)),
        s.optional("family").map(v -> v.as(FamilyId::of)), s.text("label"), s.optional("lifetime").map(In::duration),
        s.intValue("maxUses"), s.enumValue("mode", PasscodeMode.class), s.enumValue("profile", PasscodeProfile.class));
    return new PasscodeInfo(p.text("id", PasscodeId::of), spec, p.text("creator", UserId::of), p.text("createdBy", UserId::of),
        p.instant("createdAt"), p.optional("expiresAt").map(In::instant), p.intValue("uses"),
        p.optional("revokedAt").map(In::instant), p.text("keyId"));
  }

  GroupMessage message(In m) {
    In c = m.get("content");
    // Version 1 named the kind "@type" with the Java simple name.
    String kind = c.optional("kind").isPresent() ? c.text("kind")
        : V1_CONTENT_KINDS.getOrDefault(c.text("@type"), c.text("@type"));
    MessageContent content = switch (kind) {
      case "text" -> new Text(c.text("body"));
      case "announcement" -> new Announcement(c.text("body"));
      case "video_card" -> new VideoCard(c.text("videoId"), c.text("title"), c.bool("preview"), c.text("coverUrl"));
      case "product_link" -> new ProductLink(c.text("url"), c.text("title"), c.longValue("priceCents"),
          c.text("currency"), c.optional("coupon").map(In::text));
      default -> throw c.corrupt("kind", "unknown message content '" + kind + "'");
    };
    return new GroupMessage(m.text("id", MessageId::of), m.text("group", GroupId::of), m.text("sender", UserId::of), content,
        m.instant("postedAt"));
  }
}
