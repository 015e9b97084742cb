package io.fangroups.core.internal.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.fangroups.core.admission.Verdict;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent.Announcement;
import io.fangroups.core.content.MessageContent.ProductLink;
import io.fangroups.core.content.MessageContent.Text;
import io.fangroups.core.content.MessageContent.VideoCard;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.MessageId;
import io.fangroups.core.event.Attribution;
import io.fangroups.core.event.GroupChange.GroupCreated;
import io.fangroups.core.event.GroupChange.GroupDisbanded;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange.MessagePosted;
import io.fangroups.core.event.GroupChange.OwnershipTransferred;
import io.fangroups.core.event.GroupChange.PasscodeCreated;
import io.fangroups.core.event.GroupChange.RequestHandled;
import io.fangroups.core.event.GroupChange.RequestSubmitted;
import io.fangroups.core.event.GroupChange.RoleChanged;
import io.fangroups.core.event.GroupChange.SettingsChanged;
import io.fangroups.core.event.GroupChange.SlowModeChanged;
import io.fangroups.core.event.GroupChange.UserBanned;
import io.fangroups.core.event.GroupChange.UserMuted;
import io.fangroups.core.event.GroupChange.UserUnbanned;
import io.fangroups.core.event.GroupChange.UserUnmuted;
import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import io.fangroups.core.internal.format.StoreRecord.CommandFailed;
import io.fangroups.core.internal.format.StoreRecord.CommandFinished;
import io.fangroups.core.internal.format.StoreRecord.CommandLanded;
import io.fangroups.core.internal.format.StoreRecord.CommandStarted;
import io.fangroups.core.internal.format.StoreRecord.CommandUnknown;
import io.fangroups.core.internal.format.StoreRecord.FamilyCreated;
import io.fangroups.core.internal.format.StoreRecord.GroupAssigned;
import io.fangroups.core.internal.format.StoreRecord.GroupReleased;
import io.fangroups.core.internal.format.StoreRecord.PasscodeAdded;
import io.fangroups.core.internal.format.StoreRecord.PasscodeIssued;
import io.fangroups.core.internal.format.StoreRecord.PasscodeRevoked;
import io.fangroups.core.internal.format.StoreRecord.PasscodeUsed;
import io.fangroups.core.passcode.IssuedPasscode;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.passcode.PasscodeMode;
import io.fangroups.core.passcode.PasscodeProfile;
import io.fangroups.core.passcode.PasscodeSpec;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The SDK's one wire format: how every group event, {@link StoreRecord}, stored command result and
 * message content is written as JSON and read back. What a {@code GroupStore} keeps is what the
 * event publisher sends (inside an envelope, {@link #published}) and what the message transport's
 * fields come from ({@link #message}); docs/event-format.md lists every type and field, and a test
 * holds that page to this code.
 *
 * <p>A group event's payload is {@code {"v":2,"occurredAt":…,"attribution":{…},"change":{…}}}, in
 * that order (the relay reads the time off the front without parsing); its group and sequence are
 * the stream's and are not repeated. The event's type is its change's simple name
 * ({@code MemberJoined}); a store record's payload is {@code {"v":2, …its fields}}. Field names are
 * the record component names; ids are plain strings, enums their names, instants and durations
 * ISO-8601 strings (exact to the nanosecond), an empty {@code Optional} is left out, message
 * content carries its {@code "kind"} ({@code text}, {@code announcement}, {@code video_card},
 * {@code product_link}), and admission policies are written by {@link PolicyCodec}. Strings keep
 * any Unicode; an unpaired surrogate is written as a <code>&#92;uXXXX</code> escape so the text
 * survives a UTF-8 column. Fields a reader does not know are ignored, so a later version may add
 * optional ones.
 *
 * <p>Versions: a payload without {@code "v"} is version 1 (fangroups 0.1 before the format was
 * versioned), which differs only in message content ({@code "@type"} with the Java simple name
 * instead of {@code "kind"}); it is read as it is. A payload of a later version than
 * {@link #VERSION} is refused.
 *
 * <p>What is not stored: an {@link AdmissionDecision}'s rule {@code explanation} (sdk-rules'
 * explanation tree, large and only meant for the applicant at the time); the engine leaves it out
 * of events, so a decision read back equals the one written.
 *
 * <p>Reading goes through the records' constructors, so what they refuse is refused here. A payload
 * that cannot be read (not JSON, a missing or ill-typed field, an unknown type, a value a record
 * refuses) throws {@link IllegalStateException} naming the event's type, sequence and the bad field:
 * a corrupt store is not a caller's bad argument.
 */
public final class WireFormat {
  /** The version this code writes. */
  public static final int VERSION = 2;
  private static final String CURRENT_PREFIX = "{\"v\":" + VERSION + ",\"occurredAt\":\"";
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** One type on the wire: its name there, how its fields are written and how they are read back. */
  private record Shape<T>(String type, Class<T> javaType, BiConsumer<T, ObjectNode> write, Function<In, T> read) {
    @SuppressWarnings("unchecked")
    void writeAny(Object value, ObjectNode out) {
      write.accept((T) value, out);
    }
  }

  /** Message content kinds, by the name both the store and the transport use. */
  private static final Map<Class<?>, String> CONTENT_KINDS = Map.of(Text.class, "text", Announcement.class,
      "announcement", VideoCard.class, "video_card", ProductLink.class, "product_link");
  /** Version 1's content names (the Java simple names), read for old payloads. */
  private static final Map<String, String> V1_CONTENT_KINDS = Map.of("Text", "text", "Announcement", "announcement",
      "VideoCard", "video_card", "ProductLink", "product_link");
  /** The group changes that carry a message for the transport: a post, or a membership notice. */
  private static final java.util.Set<String> MESSAGE_TYPES = java.util.Set.of("MessagePosted", "MemberJoined", "MemberLeft");
  /** Who the transport names as the sender of a notice. */
  public static final String SYSTEM_SENDER = "system";

  private final PolicyCodec policies;
  private final Map<Class<?>, Shape<?>> byClass = new HashMap<>();
  private final Map<String, Shape<?>> changes = new HashMap<>();
  private final Map<String, Shape<?>> records = new HashMap<>();

  public WireFormat(PolicyCodec policies) {
    this.policies = Objects.requireNonNull(policies, "policies");
    change(GroupCreated.class, (c, out) -> out.put("owner", c.owner().value()).set("settings", settings(c.settings())),
        c -> new GroupCreated(c.text("owner", UserId::of), settings(c.get("settings"))));
    change(SettingsChanged.class, (c, out) -> out.set("settings", settings(c.settings())),
        c -> new SettingsChanged(settings(c.get("settings"))));
    change(RequestSubmitted.class, (c, out) -> out.set("request", request(c.request())),
        c -> new RequestSubmitted(request(c.get("request"))));
    change(RequestHandled.class, (c, out) -> out.put("request", c.request().value())
            .put("applicant", c.applicant().value()).put("status", c.status().name()),
        c -> new RequestHandled(c.text("request", RequestId::of), c.text("applicant", UserId::of),
            c.enumValue("status", RequestStatus.class)));
    change(MemberJoined.class, (c, out) -> out.<ObjectNode>set("member", member(c.member()))
            .set("decision", decision(c.decision())),
        c -> new MemberJoined(member(c.get("member")), decision(c.get("decision"))));
    change(MemberLeft.class, (c, out) -> out.put("user", c.user().value()).put("how", c.how().name()),
        c -> new MemberLeft(c.text("user", UserId::of), c.enumValue("how", GroupChange.Departure.class)));
    change(UserBanned.class, (c, out) -> out.put("user", c.user().value()).put("until", c.until().toString()),
        c -> new UserBanned(c.text("user", UserId::of), c.instant("until")));
    change(UserUnbanned.class, (c, out) -> out.put("user", c.user().value()),
        c -> new UserUnbanned(c.text("user", UserId::of)));
    change(UserMuted.class, (c, out) -> out.put("user", c.user().value()).put("until", c.until().toString()),
        c -> new UserMuted(c.text("user", UserId::of), c.instant("until")));
    change(UserUnmuted.class, (c, out) -> out.put("user", c.user().value()),
        c -> new UserUnmuted(c.text("user", UserId::of)));
    change(RoleChanged.class, (c, out) -> out.put("user", c.user().value()).put("from", c.from().name())
            .put("to", c.to().name()),
        c -> new RoleChanged(c.text("user", UserId::of), c.enumValue("from", Role.class), c.enumValue("to", Role.class)));
    change(OwnershipTransferred.class, (c, out) -> out.put("from", c.from().value()).put("to", c.to().value())
            .put("previousOwnerRole", c.previousOwnerRole().name()),
        c -> new OwnershipTransferred(c.text("from", UserId::of), c.text("to", UserId::of),
            c.enumValue("previousOwnerRole", Role.class)));
    change(PasscodeCreated.class, (c, out) -> out.set("passcode", passcode(c.passcode())),
        c -> new PasscodeCreated(passcode(c.get("passcode"))));
    change(GroupChange.PasscodeRevoked.class, (c, out) -> out.put("passcode", c.passcode().value()),
        c -> new GroupChange.PasscodeRevoked(c.text("passcode", PasscodeId::of)));
    change(MessagePosted.class, (c, out) -> out.set("message", message(c.message())),
        c -> new MessagePosted(message(c.get("message"))));
    change(SlowModeChanged.class, (c, out) -> out.put("interval", c.interval().toString()),
        c -> new SlowModeChanged(c.duration("interval")));
    change(GroupDisbanded.class, (c, out) -> { }, c -> new GroupDisbanded());

    record(GroupAssigned.class, (r, out) -> out.put("group", r.group().value()),
        in -> new GroupAssigned(in.text("group", GroupId::of)));
    record(GroupReleased.class, (r, out) -> out.put("group", r.group().value()),
        in -> new GroupReleased(in.text("group", GroupId::of)));
    record(FamilyCreated.class, (r, out) -> out.set("family", family(r.family())),
        in -> new FamilyCreated(family(in.get("family"))));
    record(PasscodeAdded.class, (r, out) -> out.put("passcode", r.passcode().value()),
        in -> new PasscodeAdded(in.text("passcode", PasscodeId::of)));
    record(PasscodeIssued.class, (r, out) -> out.<ObjectNode>set("info", passcode(r.info()))
            .put("digest", r.digest()).put("target", r.target()),
        in -> new PasscodeIssued(passcode(in.get("info")), in.text("digest"), in.text("target")));
    record(PasscodeUsed.class, (r, out) -> out.put("user", r.user().value()),
        in -> new PasscodeUsed(in.text("user", UserId::of)));
    record(PasscodeRevoked.class, (r, out) -> out.put("at", r.at().toString()),
        in -> new PasscodeRevoked(in.instant("at")));
    record(CommandStarted.class, (r, out) -> out.put("fingerprint", r.fingerprint()).put("token", r.token())
            .put("at", r.at().toString()),
        in -> new CommandStarted(in.text("fingerprint"), in.text("token"), in.instant("at")));
    record(CommandLanded.class, (r, out) -> out.put("token", r.token()), in -> new CommandLanded(in.text("token")));
    record(CommandFinished.class, (r, out) -> out.put("fingerprint", r.fingerprint()).put("result", r.result()),
        in -> new CommandFinished(in.text("fingerprint"), in.text("result")));
    record(CommandUnknown.class, (r, out) -> out.put("fingerprint", r.fingerprint()),
        in -> new CommandUnknown(in.text("fingerprint")));
    record(CommandFailed.class, (r, out) -> out.put("fingerprint", r.fingerprint()),
        in -> new CommandFailed(in.text("fingerprint")));
  }

  private <T extends GroupChange> void change(Class<T> type, BiConsumer<T, ObjectNode> write, Function<In, T> read) {
    Shape<T> shape = new Shape<>(type.getSimpleName(), type, write, read);
    byClass.put(type, shape);
    changes.put(shape.type(), shape);
  }

  private <T extends StoreRecord> void record(Class<T> type, BiConsumer<T, ObjectNode> write, Function<In, T> read) {
    Shape<T> shape = new Shape<>(type.getSimpleName(), type, write, read);
    byClass.put(type, shape);
    records.put(shape.type(), shape);
  }

  private Shape<?> shape(Object value) {
    Shape<?> shape = byClass.get(value.getClass());
    if (shape == null) {
      throw new IllegalArgumentException("no wire form for " + value.getClass().getName());
    }
    return shape;
  }

  /** The type name a group event or store record is stored under: its simple name. */
  public String typeOf(Object value) {
    return shape(value instanceof GroupEvent e ? e.change() : value).type();
  }

  /** The type names of every group change, then every store record, as written. */
  public List<String> typeNames() {
    List<String> names = new ArrayList<>(changes.keySet());
    names.sort(null);
    List<String> others = new ArrayList<>(records.keySet());
    others.sort(null);
    names.addAll(others);
    return names;
  }

  // ---- group events ----

  /** The event as a store event; its group and sequence are implied by the stream and left out. */
  public GroupStore.NewEvent encode(GroupEvent event) {
    ObjectNode out = JSON.createObjectNode().put("v", VERSION).put("occurredAt", event.occurredAt().toString());
    out.set("attribution", attribution(event.attribution()));
    ObjectNode change = out.putObject("change");
    Shape<?> shape = shape(event.change());
    shape.writeAny(event.change(), change);
    return new GroupStore.NewEvent(shape.type(), text(out));
  }

  /** A group event or a store record, as a store event. */
  public GroupStore.NewEvent encodeAny(Object value) {
    return value instanceof GroupEvent e ? encode(e) : encodeRecord((StoreRecord) value);
  }

  /** The group event stored at {@code stored}'s position of {@code group}'s stream. */
  public GroupEvent decode(GroupId group, GroupStore.StoredEvent stored) {
    return read(stored, "group " + group, in -> {
      Shape<?> shape = changes.get(stored.type());
      if (shape == null) {
        throw new IllegalStateException("unknown group event type");
      }
      return new GroupEvent(group, stored.sequence(), in.instant("occurredAt"), attribution(in.get("attribution")),
          (GroupChange) shape.read().apply(in.get("change")));
    });
  }

  /**
   * The stored event as the event publisher gets it: an envelope (event id, group, sequence, type,
   * schema version, time) around the stored payload, passed through as it is. Only a payload of an
   * older version is read and written again in the current one.
   */
  public PublishedEvent published(GroupId group, GroupStore.StoredEvent stored) {
    String payload = stored.payload();
    if (!payload.startsWith(CURRENT_PREFIX)) {
      payload = encode(decode(group, stored)).payload();
    }
    int timeEnd = payload.indexOf('"', CURRENT_PREFIX.length());
    Instant occurredAt;
    try {
      occurredAt = Instant.parse(payload.substring(CURRENT_PREFIX.length(), timeEnd));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot read the time of stored event #" + stored.sequence() + " of group "
          + group + ": " + e.getMessage(), e);
    }
    String eventId = group.value() + "/" + stored.sequence();
    StringBuilder json = new StringBuilder(payload.length() + 160).append("{\"eventId\":");
    quoted(json, eventId).append(",\"group\":");
    quoted(json, group.value()).append(",\"sequence\":").append(stored.sequence()).append(",\"type\":");
    quoted(json, stored.type()).append(",\"schemaVersion\":").append(VERSION).append(",\"occurredAt\":");
    quoted(json, occurredAt.toString()).append(",\"event\":").append(payload).append('}');
    return new PublishedEvent(eventId, group.value(), stored.sequence(), occurredAt, stored.type(), json.toString());
  }

  private static StringBuilder quoted(StringBuilder out, String value) {
    out.append('"');
    JsonStringEncoder.getInstance().quoteAsString(value, out);
    return out.append('"');
  }

  /** Whether an event of this type may carry a message for the transport (the others are skipped unread). */
  public static boolean mayCarryMessage(String type) {
    return MESSAGE_TYPES.contains(type);
  }

  /**
   * What the message transport gets for an event: a member's post with its content's fields as
   * stored, or a system notice of a join or a departure; nothing for other events.
   */
  public Optional<OutgoingMessage> message(GroupEvent e) {
    GroupChange c = e.change();
    if (c instanceof MessagePosted posted) {
      GroupMessage m = posted.message();
      ObjectNode content = content(m.content());
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("messageId", m.id().value());
      content.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("kind")) {
          fields.put(f.getKey(), f.getValue().asText());
        }
      });
      return Optional.of(new OutgoingMessage(e.eventId(), e.group().value(), e.sequence(), m.sender().value(),
          content.get("kind").textValue(), fields));
    } else if (c instanceof MemberJoined j) {
      return Optional.of(notice(e, "member_joined", j.member().user()));
    } else if (c instanceof MemberLeft l) {
      return Optional.of(notice(e, "member_" + l.how().name().toLowerCase(Locale.ROOT), l.user()));
    }
    return Optional.empty();
  }

  private static OutgoingMessage notice(GroupEvent e, String what, UserId user) {
    return new OutgoingMessage(e.eventId(), e.group().value(), e.sequence(), SYSTEM_SENDER, "notice",
        Map.of("notice", what, "user", user.value()));
  }

  // ---- store records ----

  /** One of the {@link StoreRecord}s as a store event. */
  public GroupStore.NewEvent encodeRecord(StoreRecord r) {
    ObjectNode out = JSON.createObjectNode().put("v", VERSION);
    Shape<?> shape = shape(r);
    shape.writeAny(r, out);
    return new GroupStore.NewEvent(shape.type(), text(out));
  }

  /** The {@link StoreRecord} stored at {@code stored}, chosen by its type. */
  public StoreRecord decodeRecord(GroupStore.StoredEvent stored) {
    return read(stored, "a store record", in -> {
      Shape<?> shape = records.get(stored.type());
      if (shape == null) {
        throw new IllegalStateException("unknown record type");
      }
      return (StoreRecord) shape.read().apply(in);
    });
  }

  // ---- command results, for idempotency across processes ----

  /**
   * A keyed command's result as JSON: null, a boolean, or one of the SDK's result records. A clear
   * passcode is written through {@code seal} (encrypted), never as it is.
   */
  public String encodeResult(Object result, java.util.function.UnaryOperator<String> seal) {
    ObjectNode out = JSON.createObjectNode();
    if (result == null) {
      out.put("kind", "none");
    } else if (result instanceof Boolean b) {
      out.put("kind", "boolean").put("value", b);
    } else if (result instanceof GroupInfo g) {
      out.put("kind", "group").set("value", group(g));
    } else if (result instanceof Family f) {
      out.put("kind", "family").set("value", family(f));
    } else if (result instanceof Member m) {
      out.put("kind", "member").set("value", member(m));
    } else if (result instanceof JoinRequest r) {
      out.put("kind", "request").set("value", request(r));
    } else if (result instanceof JoinResult j) {
      ObjectNode value = JSON.createObjectNode().put("group", j.group().value());
      j.member().ifPresent(m -> value.set("member", member(m)));
      j.request().ifPresent(r -> value.set("request", request(r)));
      value.set("decision", decision(j.decision()));
      out.put("kind", "join").set("value", value);
    } else if (result instanceof BulkResult b) {
      ArrayNode items = JSON.createArrayNode();
      for (BulkResult.Item item : b.items()) {
        ObjectNode i = items.addObject().put("request", item.request().value()).put("outcome", item.outcome().name());
        optional(i, "error", item.error().map(ErrorCode::name));
        i.put("message", item.message());
      }
      out.put("kind", "bulk").set("value", items);
    } else if (result instanceof PasscodeInfo p) {
      out.put("kind", "passcode").set("value", passcode(p));
    } else if (result instanceof IssuedPasscode p) {
      ObjectNode value = JSON.createObjectNode().put("sealedCode", seal.apply(p.code())).put("targetName", p.targetName());
      value.set("info", passcode(p.info()));
      out.put("kind", "issued").set("value", value);
    } else if (result instanceof GroupMessage m) {
      out.put("kind", "message").set("value", message(m));
    } else {
      throw new IllegalArgumentException("no storage form for a result of type " + result.getClass().getName());
    }
    return text(out);
  }

  /** The result {@link #encodeResult} wrote; {@code open} decrypts a sealed passcode. */
  public Object decodeResult(String json, java.util.function.UnaryOperator<String> open) {
    return read(new GroupStore.StoredEvent(1, "CommandResult", json), "a command result", in -> {
      String kind = in.text("kind");
      if (kind.equals("none")) {
        return null;
      }
      In v = in.get("value");
      return switch (kind) {
        case "boolean" -> v.node().asBoolean();
        case "group" -> group(v);
        case "family" -> family(v);
        case "member" -> member(v);
        case "request" -> request(v);
        case "join" -> new JoinResult(v.text("group", GroupId::of), v.optional("member").map(WireFormat::member),
            v.optional("request").map(WireFormat::request), decision(v.get("decision")));
        case "bulk" -> new BulkResult(v.elements().stream().map(i -> new BulkResult.Item(i.text("request", RequestId::of),
            i.enumValue("outcome", BulkResult.Outcome.class), i.optional("error").map(e -> e.enumValue(ErrorCode.class)),
            i.text("message"))).toList());
        case "passcode" -> passcode(v);
        case "issued" -> new IssuedPasscode(passcode(v.get("info")), open.apply(v.text("sealedCode")), v.text("targetName"));
        case "message" -> message(v);
        default -> throw in.corrupt("kind", "unknown result kind '" + kind + "'");
      };
    });
  }

  private static ObjectNode family(Family f) {
    return JSON.createObjectNode().put("id", f.id().value()).put("creator", f.creator().value()).put("name", f.name());
  }

  private static Family family(In f) {
    return new Family(f.text("id", FamilyId::of), f.text("creator", UserId::of), f.text("name"));
  }

  private ObjectNode group(GroupInfo g) {
    ObjectNode out = JSON.createObjectNode().put("id", g.id().value()).put("owner", g.owner().value());
    out.set("settings", settings(g.settings()));
    return out.put("status", g.status().name()).put("memberCount", g.memberCount())
        .put("pendingRequests", g.pendingRequests()).put("createdAt", g.createdAt().toString())
        .put("lastSequence", g.lastSequence());
  }

  private GroupInfo group(In g) {
    return new GroupInfo(g.text("id", GroupId::of), g.text("owner", UserId::of), settings(g.get("settings")),
        g.enumValue("status", GroupStatus.class), g.intValue("memberCount"), g.intValue("pendingRequests"),
        g.instant("createdAt"), g.longValue("lastSequence"));
  }

  // ---- writing ----

  private ObjectNode settings(GroupSettings s) {
    ObjectNode out = JSON.createObjectNode().put("name", s.name()).put("cap", s.cap()).put("joinMode", s.joinMode().name());
    optional(out, "pausedUntil", s.pausedUntil().map(Instant::toString));
    out.set("policy", policies.encode(s.policy()));
    optional(out, "family", s.family().map(FamilyId::value));
    return out;
  }

  private static ObjectNode attribution(Attribution a) {
    ObjectNode out = JSON.createObjectNode();
    optional(out, "actor", a.actor().map(UserId::value));
    optional(out, "request", a.request().map(RequestId::value));
    optional(out, "source", a.source().map(JoinSource::name));
    optional(out, "reason", a.reason());
    optional(out, "idempotencyKey", a.idempotencyKey());
    optional(out, "passcode", a.passcode().map(PasscodeId::value));
    return out;
  }

  private static ObjectNode request(JoinRequest r) {
    ObjectNode out = JSON.createObjectNode().put("id", r.id().value()).put("group", r.group().value())
        .put("applicant", r.applicant().value()).put("source", r.source().name()).put("status", r.status().name())
        .put("createdAt", r.createdAt().toString()).put("expiresAt", r.expiresAt().toString());
    optional(out, "handledBy", r.handledBy().map(UserId::value));
    optional(out, "handledAt", r.handledAt().map(Instant::toString));
    optional(out, "reason", r.reason());
    out.set("decision", decision(r.decision()));
    return out;
  }

  private static ObjectNode member(Member m) {
    ObjectNode out = JSON.createObjectNode().put("user", m.user().value()).put("role", m.role().name())
        .put("joinedAt", m.joinedAt().toString()).put("source", m.source().name());
    optional(out, "request", m.request().map(RequestId::value));
    return out;
  }

  private static ObjectNode decision(AdmissionDecision d) {
    ObjectNode out = JSON.createObjectNode().put("verdict", d.verdict().name());
    ArrayNode reasons = out.putArray("reasons");
    d.reasons().forEach(reasons::add);
    return out.put("summary", d.summary());
  }

  private static ObjectNode passcode(PasscodeInfo p) {
    PasscodeSpec spec = p.spec();
    ObjectNode specOut = JSON.createObjectNode();
    optional(specOut, "group", spec.group().map(GroupId::value));
    optional(specOut, "family", spec.family().map(FamilyId::value));
    specOut.put("label", spec.label());
    optional(specOut, "lifetime", spec.lifetime().map(Duration::toString));
    specOut.put("maxUses", spec.maxUses()).put("mode", spec.mode().name()).put("profile", spec.profile().name());
    ObjectNode out = JSON.createObjectNode().put("id", p.id().value());
    out.set("spec", specOut);
    out.put("creator", p.creator().value()).put("createdBy", p.createdBy().value())
        .put("createdAt", p.createdAt().toString());
    optional(out, "expiresAt", p.expiresAt().map(Instant::toString));
    out.put("uses", p.uses());
    optional(out, "revokedAt", p.revokedAt().map(Instant::toString));
    return out.put("keyId", p.keyId());
  }

  private static ObjectNode message(GroupMessage m) {
    ObjectNode out = JSON.createObjectNode().put("id", m.id().value()).put("group", m.group().value())
        .put("sender", m.sender().value());
    out.set("content", content(m.content()));
    return out.put("postedAt", m.postedAt().toString());
  }

  /** A post's content: its kind, then its fields (the transport's fields are these, as text). */
  private static ObjectNode content(MessageContent content) {
    ObjectNode out = JSON.createObjectNode().put("kind", CONTENT_KINDS.get(content.getClass()));
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


  private static void optional(ObjectNode out, String field, Optional<String> value) {
    value.ifPresent(v -> out.put(field, v));
  }

  private static String text(ObjectNode node) {
    try {
      return escapeUnpairedSurrogates(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write an event as JSON", e);
    }
  }

  /**
   * Jackson copies an unpaired surrogate into the text as it is, which a UTF-8 store cannot keep.
   * Such a char can only be inside a JSON string, where <code>&#92;uXXXX</code> means the same char.
   */
  public static String escapeUnpairedSurrogates(String json) {
    StringBuilder out = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      boolean paired = Character.isHighSurrogate(c) ? i + 1 < json.length() && Character.isLowSurrogate(json.charAt(i + 1))
          : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(json.charAt(i - 1));
      if (Character.isSurrogate(c) && !paired) {
        if (out == null) {
          out = new StringBuilder(json.length() + 16).append(json, 0, i);
        }
        out.append(String.format("\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? json : out.toString();
  }

  // ---- reading ----

  private static <T> T read(GroupStore.StoredEvent stored, String where, Function<In, T> decoder) {
    try {
      JsonNode root = JSON.readTree(stored.payload());
      if (root == null || !root.isObject()) {
        throw new IllegalStateException("the payload is not a JSON object");
      }
      JsonNode version = root.get("v");
      if (version != null && (!version.canConvertToInt() || version.intValue() > VERSION || version.intValue() < 1)) {
        throw new IllegalStateException("format version " + version + " is not one this SDK reads (1 to " + VERSION
            + "); was it written by a newer SDK?");
      }
      return decoder.apply(new In(root, ""));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalStateException("cannot read stored event #" + stored.sequence() + " of type '" + stored.type()
          + "' (" + where + "): " + e.getMessage(), e);
    }
  }

  private GroupSettings settings(In s) {
    In policy = s.get("policy");
    return new GroupSettings(s.text("name"), s.intValue("cap"), s.enumValue("joinMode", JoinMode.class),
        s.optional("pausedUntil").map(In::instant), policy.decode(policies::decode),
        s.optional("family").map(f -> f.as(FamilyId::of)));
  }

  private static Attribution attribution(In a) {
    return new Attribution(a.optional("actor").map(v -> v.as(UserId::of)),
        a.optional("request").map(v -> v.as(RequestId::of)), a.optional("source").map(v -> v.enumValue(JoinSource.class)),
        a.optional("reason").map(In::text), a.optional("idempotencyKey").map(In::text),
        a.optional("passcode").map(v -> v.as(PasscodeId::of)));
  }

  private static JoinRequest request(In r) {
    return new JoinRequest(r.text("id", RequestId::of), r.text("group", GroupId::of), r.text("applicant", UserId::of),
        r.enumValue("source", JoinSource.class), r.enumValue("status", RequestStatus.class), r.instant("createdAt"),
        r.instant("expiresAt"), r.optional("handledBy").map(v -> v.as(UserId::of)),
        r.optional("handledAt").map(In::instant), r.optional("reason").map(In::text), decision(r.get("decision")));
  }

  private static Member member(In m) {
    return new Member(m.text("user", UserId::of), m.enumValue("role", Role.class), m.instant("joinedAt"),
        m.enumValue("source", JoinSource.class), m.optional("request").map(v -> v.as(RequestId::of)));
  }

  private static AdmissionDecision decision(In d) {
    List<String> reasons = new ArrayList<>();
    d.get("reasons").elements().forEach(r -> reasons.add(r.text()));
    return new AdmissionDecision(d.enumValue("verdict", Verdict.class), reasons, d.text("summary"));
  }

  private static PasscodeInfo passcode(In p) {
    In s = p.get("spec");
    PasscodeSpec spec = new PasscodeSpec(s.optional("group").map(v -> v.as(GroupId::of)),
        s.optional("family").map(v -> v.as(FamilyId::of)), s.text("label"), s.optional("lifetime").map(In::duration),
        s.intValue("maxUses"), s.enumValue("mode", PasscodeMode.class), s.enumValue("profile", PasscodeProfile.class));
    return new PasscodeInfo(p.text("id", PasscodeId::of), spec, p.text("creator", UserId::of), p.text("createdBy", UserId::of),
        p.instant("createdAt"), p.optional("expiresAt").map(In::instant), p.intValue("uses"),
        p.optional("revokedAt").map(In::instant), p.text("keyId"));
  }

  private static GroupMessage message(In m) {
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


  /** A JSON value being read and its path in the payload, so a corrupt payload names the bad field. */
  private record In(JsonNode node, String path) {

    public In get(String field) {
      return optional(field).orElseThrow(() -> corrupt(field, "is missing"));
    }

    public Optional<In> optional(String field) {
      if (!node.isObject()) {
        throw new IllegalStateException(where() + " is not an object");
      }
      JsonNode value = node.get(field);
      return value == null || value.isNull() ? Optional.empty() : Optional.of(new In(value, child(field)));
    }

    public List<In> elements() {
      if (!node.isArray()) {
        throw new IllegalStateException(where() + " is not an array");
      }
      List<In> items = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        items.add(new In(node.get(i), path + "[" + i + "]"));
      }
      return items;
    }

    public String text() {
      if (!node.isTextual()) {
        throw new IllegalStateException(where() + " is not a string");
      }
      return node.textValue();
    }

    public String text(String field) {
      return get(field).text();
    }

    /** The string made into a value by {@code make} (an id's {@code of}), naming this field if it refuses. */
    public <T> T as(Function<String, T> make) {
      String value = text();
      try {
        return make.apply(value);
      } catch (RuntimeException e) {
        throw new IllegalStateException(where() + ": " + e.getMessage(), e);
      }
    }

    public <T> T text(String field, Function<String, T> make) {
      return get(field).as(make);
    }

    public int intValue(String field) {
      In v = get(field);
      if (!v.node.isIntegralNumber() || !v.node.canConvertToInt()) {
        throw v.corrupt("is not a 32-bit integer");
      }
      return v.node.intValue();
    }

    public long longValue(String field) {
      In v = get(field);
      if (!v.node.isIntegralNumber() || !v.node.canConvertToLong()) {
        throw v.corrupt("is not a 64-bit integer");
      }
      return v.node.longValue();
    }

    public boolean bool(String field) {
      In v = get(field);
      if (!v.node.isBoolean()) {
        throw v.corrupt("is not true or false");
      }
      return v.node.booleanValue();
    }

    public Instant instant() {
      return parsed(Instant::parse, "an ISO-8601 instant");
    }

    public Instant instant(String field) {
      return get(field).instant();
    }

    public Duration duration() {
      return parsed(Duration::parse, "an ISO-8601 duration");
    }

    public Duration duration(String field) {
      return get(field).duration();
    }

    private <T> T parsed(Function<String, T> parser, String what) {
      try {
        return parser.apply(text());
      } catch (DateTimeParseException e) {
        throw corrupt("is not " + what + ": " + e.getMessage());
      }
    }

    <E extends Enum<E>> E enumValue(Class<E> type) {
      String name = text();
      try {
        return Enum.valueOf(type, name);
      } catch (IllegalArgumentException e) {
        throw corrupt("is '" + name + "', not a " + type.getSimpleName());
      }
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type) {
      return get(field).enumValue(type);
    }

    public <T> T decode(Function<JsonNode, T> reader) {
      try {
        return reader.apply(node);
      } catch (RuntimeException e) {
        throw new IllegalStateException(where() + ": " + e.getMessage(), e);
      }
    }

    public IllegalStateException corrupt(String problem) {
      return new IllegalStateException(where() + " " + problem);
    }

    public IllegalStateException corrupt(String field, String problem) {
      return new IllegalStateException("field '" + child(field) + "' " + problem);
    }

    private String where() {
      return path.isEmpty() ? "the payload" : "field '" + path + "'";
    }

    private String child(String field) {
      return path.isEmpty() ? field : path + "." + field;
    }
  }
}
