package io.fangroups.core.internal.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fangroups.core.GroupId;
import io.fangroups.core.RequestId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.event.GroupChange.GroupCreated;
import io.fangroups.core.event.GroupChange.GroupDisbanded;
import io.fangroups.core.event.GroupChange.MemberJoined;
import io.fangroups.core.event.GroupChange.MemberLeft;
import io.fangroups.core.event.GroupChange.MessagePosted;
import io.fangroups.core.event.GroupChange.OwnershipTransferred;
import io.fangroups.core.event.GroupChange.PasscodeCreated;
import io.fangroups.core.event.GroupChange.RedPacketClaimed;
import io.fangroups.core.event.GroupChange.RedPacketRefunded;
import io.fangroups.core.event.GroupChange.RedPacketSent;
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
import io.fangroups.core.internal.format.StoreRecord.DeliveryParked;
import io.fangroups.core.internal.format.StoreRecord.FamilyCreated;
import io.fangroups.core.internal.format.StoreRecord.GroupAssigned;
import io.fangroups.core.internal.format.StoreRecord.GroupReleased;
import io.fangroups.core.internal.format.StoreRecord.PasscodeAdded;
import io.fangroups.core.internal.format.StoreRecord.PasscodeIssued;
import io.fangroups.core.internal.format.StoreRecord.PasscodeRevoked;
import io.fangroups.core.internal.format.StoreRecord.PasscodeUsed;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.MessageTransport.OutgoingMessage;
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
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

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
  static final JsonMapper JSON = JsonMapper.builder()
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

  /** The group changes that carry a message for the transport: a post, or a membership notice. */
  private static final java.util.Set<String> MESSAGE_TYPES =
      java.util.Set.of("MessagePosted", "MemberJoined", "MemberLeft", "RedPacketSent");
  /** Who the transport names as the sender of a notice. */
  public static final String SYSTEM_SENDER = "system";

  private final ValueFormat values;
  private final ResultFormat results;
  private final SnapshotFormat snapshots;
  private final Map<Class<?>, Shape<?>> byClass = new HashMap<>();
  private final Map<String, Shape<?>> changes = new HashMap<>();
  private final Map<String, Shape<?>> records = new HashMap<>();

  public WireFormat(PolicyCodec policies) {
    this.values = new ValueFormat(Objects.requireNonNull(policies, "policies"));
    this.results = new ResultFormat(values);
    this.snapshots = new SnapshotFormat(values, this);
    change(GroupCreated.class, (c, out) -> out.put("owner", c.owner().value()).set("settings", values.settings(c.settings())),
        c -> new GroupCreated(c.text("owner", UserId::of), values.settings(c.get("settings"))));
    change(SettingsChanged.class, (c, out) -> out.set("settings", values.settings(c.settings())),
        c -> new SettingsChanged(values.settings(c.get("settings"))));
    change(RequestSubmitted.class, (c, out) -> out.set("request", values.request(c.request())),
        c -> new RequestSubmitted(values.request(c.get("request"))));
    change(RequestHandled.class, (c, out) -> out.put("request", c.request().value())
            .put("applicant", c.applicant().value()).put("status", c.status().name()),
        c -> new RequestHandled(c.text("request", RequestId::of), c.text("applicant", UserId::of),
            c.enumValue("status", RequestStatus.class)));
    change(MemberJoined.class, (c, out) -> out.<ObjectNode>set("member", values.member(c.member()))
            .set("decision", values.decision(c.decision())),
        c -> new MemberJoined(values.member(c.get("member")), values.decision(c.get("decision"))));
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
    change(PasscodeCreated.class, (c, out) -> out.set("passcode", values.passcode(c.passcode())),
        c -> new PasscodeCreated(values.passcode(c.get("passcode"))));
    change(GroupChange.PasscodeRevoked.class, (c, out) -> out.put("passcode", c.passcode().value()),
        c -> new GroupChange.PasscodeRevoked(c.text("passcode", PasscodeId::of)));
    change(MessagePosted.class, (c, out) -> out.set("message", values.message(c.message())),
        c -> new MessagePosted(values.message(c.get("message"))));
    change(SlowModeChanged.class, (c, out) -> out.put("interval", c.interval().toString()),
        c -> new SlowModeChanged(c.duration("interval")));
    change(GroupDisbanded.class, (c, out) -> { }, c -> new GroupDisbanded());
    change(RedPacketSent.class, (c, out) -> {
      out.put("packet", c.packet().value()).put("sender", c.sender().value()).set("spec", values.redPacketSpec(c.spec()));
      out.put("expiresAt", c.expiresAt().toString());
      c.shares().forEach(out.putArray("shares")::add);
    }, c -> new RedPacketSent(c.text("packet", RedPacketId::of), c.text("sender", UserId::of),
        values.redPacketSpec(c.get("spec")), c.instant("expiresAt"),
        c.get("shares").elements().stream().map(In::longValue).toList()));
    change(RedPacketClaimed.class, (c, out) -> out.put("packet", c.packet().value()).put("user", c.user().value())
            .put("number", c.number()).put("amount", c.amount()).put("currency", c.currency()),
        c -> new RedPacketClaimed(c.text("packet", RedPacketId::of), c.text("user", UserId::of), c.intValue("number"),
            c.longValue("amount"), c.text("currency")));
    change(RedPacketRefunded.class, (c, out) -> out.put("packet", c.packet().value()).put("sender", c.sender().value())
            .put("amount", c.amount()).put("currency", c.currency()),
        c -> new RedPacketRefunded(c.text("packet", RedPacketId::of), c.text("sender", UserId::of), c.longValue("amount"),
            c.text("currency")));

    record(GroupAssigned.class, (r, out) -> out.put("group", r.group().value()),
        in -> new GroupAssigned(in.text("group", GroupId::of)));
    record(GroupReleased.class, (r, out) -> out.put("group", r.group().value()),
        in -> new GroupReleased(in.text("group", GroupId::of)));
    record(FamilyCreated.class, (r, out) -> out.set("family", values.family(r.family())),
        in -> new FamilyCreated(values.family(in.get("family"))));
    record(PasscodeAdded.class, (r, out) -> out.put("passcode", r.passcode().value()),
        in -> new PasscodeAdded(in.text("passcode", PasscodeId::of)));
    record(PasscodeIssued.class, (r, out) -> out.<ObjectNode>set("info", values.passcode(r.info()))
            .put("digest", r.digest()).put("target", r.target()),
        in -> new PasscodeIssued(values.passcode(in.get("info")), in.text("digest"), in.text("target")));
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
    record(StoreRecord.RequestDue.class, (r, out) -> out.put("group", r.group().value()),
        in -> new StoreRecord.RequestDue(in.text("group", GroupId::of)));
    record(StoreRecord.RedPacketDue.class, (r, out) -> out.put("group", r.group().value()).put("packet", r.packet().value()),
        in -> new StoreRecord.RedPacketDue(in.text("group", GroupId::of), in.text("packet", RedPacketId::of)));
    record(StoreRecord.HoldStarted.class, (r, out) -> out.put("group", r.group().value()).put("packet", r.packet().value())
            .put("sender", r.sender().value()).put("amount", r.amount()).put("currency", r.currency())
            .put("at", r.at().toString()),
        in -> new StoreRecord.HoldStarted(in.text("group", GroupId::of), in.text("packet", RedPacketId::of),
            in.text("sender", UserId::of), in.longValue("amount"), in.text("currency"), in.instant("at")));
    record(DeliveryParked.class, (r, out) -> out.put("destination", r.destination()).put("group", r.group().value())
            .put("sequence", r.sequence()).put("type", r.type()).put("payload", r.payload()).put("attempts", r.attempts())
            .put("errorClass", r.errorClass()).put("errorMessage", r.errorMessage()).put("parkedAt", r.parkedAt().toString()),
        in -> new DeliveryParked(in.text("destination"), in.text("group", GroupId::of), in.longValue("sequence"),
            in.text("type"), in.text("payload"), in.intValue("attempts"), in.text("errorClass"), in.text("errorMessage"),
            in.instant("parkedAt")));
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
    out.set("attribution", values.attribution(event.attribution()));
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
      return new GroupEvent(group, stored.sequence(), in.instant("occurredAt"), values.attribution(in.get("attribution")),
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
    Instant occurredAt = timeAtFront(payload);
    if (occurredAt == null) { // an older version, or not written the way this SDK writes: rewritten
      payload = encode(decode(group, stored)).payload();
      occurredAt = Objects.requireNonNull(timeAtFront(payload), "the current format starts with the time");
    }
    String eventId = group.value() + "/" + stored.sequence();
    StringBuilder json = new StringBuilder(payload.length() + 160).append("{\"eventId\":");
    quoted(json, eventId).append(",\"group\":");
    quoted(json, group.value()).append(",\"sequence\":").append(stored.sequence()).append(",\"type\":");
    quoted(json, stored.type()).append(",\"schemaVersion\":").append(VERSION).append(",\"occurredAt\":");
    quoted(json, occurredAt.toString()).append(",\"event\":").append(payload).append('}');
    return new PublishedEvent(eventId, group.value(), stored.sequence(), occurredAt, stored.type(), json.toString());
  }

  /** When a stored group event was committed: read off the front of the payload, decoding it only when it is older. */
  public Instant occurredAt(GroupId group, GroupStore.StoredEvent stored) {
    Instant at = timeAtFront(stored.payload());
    return at != null ? at : decode(group, stored).occurredAt();
  }

  /** Who posted a message and when: all a group's fold keeps of a post. */
  public record Post(long sequence, UserId sender, Instant postedAt) {}

  /**
   * A post's sender and time, read off the text of a payload this version wrote, without parsing
   * it: loading a group folds its posts after the snapshot, and parsing each one whole cost most of
   * a load. Null for any other event, or a payload written otherwise (which is then decoded). The
   * keys are found as {@code "sender":"}: inside a JSON string a quote is escaped, so that text can
   * only be the key, and ids and instants hold nothing that JSON escapes.
   */
  public @Nullable Post post(GroupStore.StoredEvent stored) {
    String payload = stored.payload();
    if (!stored.type().equals("MessagePosted") || !payload.startsWith(CURRENT_PREFIX)) {
      return null;
    }
    String sender = stringAt(payload, "\"sender\":\"");
    String at = stringAt(payload, "\"postedAt\":\"");
    try {
      return sender == null || at == null ? null : new Post(stored.sequence(), UserId.of(sender), Instant.parse(at));
    } catch (RuntimeException notAsWritten) {
      return null;
    }
  }

  private static @Nullable String stringAt(String payload, String key) {
    int start = payload.indexOf(key);
    int end = start < 0 ? -1 : payload.indexOf('"', start + key.length());
    return end < 0 ? null : payload.substring(start + key.length(), end);
  }

  /** The time of a payload that starts the way this version writes one; null for any other. */
  private static @Nullable Instant timeAtFront(String payload) {
    if (!payload.startsWith(CURRENT_PREFIX)) {
      return null;
    }
    int end = payload.indexOf('"', CURRENT_PREFIX.length());
    try {
      return end < 0 ? null : Instant.parse(payload.substring(CURRENT_PREFIX.length(), end));
    } catch (DateTimeParseException e) {
      return null;
    }
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
   * stored, a system notice of a join or a departure, or a red packet's card; nothing for other events.
   */
  public Optional<OutgoingMessage> message(GroupEvent e) {
    GroupChange c = e.change();
    if (c instanceof MessagePosted posted) {
      GroupMessage m = posted.message();
      ObjectNode content = values.content(m.content());
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
    } else if (c instanceof RedPacketSent p) {
      return Optional.of(redPacketCard(e, p));
    }
    return Optional.empty();
  }

  /** The card a chat shows for a red packet: who sent it, its greeting and kind; never its shares. */
  private static OutgoingMessage redPacketCard(GroupEvent e, RedPacketSent p) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("packetId", p.packet().value());
    fields.put("packetKind", p.spec().kind().name().toLowerCase(Locale.ROOT));
    fields.put("greeting", p.spec().greeting());
    fields.put("count", Integer.toString(p.spec().count()));
    fields.put("currency", p.spec().currency());
    fields.put("expiresAt", p.expiresAt().toString());
    p.spec().recipient().ifPresent(r -> fields.put("recipient", r.value()));
    p.spec().phrase().ifPresent(phrase -> fields.put("phrase", phrase));
    return new OutgoingMessage(e.eventId(), e.group().value(), e.sequence(), p.sender().value(), "red_packet", fields);
  }

  private static OutgoingMessage notice(GroupEvent e, String what, UserId user) {
    return new OutgoingMessage(e.eventId(), e.group().value(), e.sequence(), SYSTEM_SENDER, "notice",
        Map.of("notice", what, "user", user.value()));
  }

  /** A group change's fields as an event's {@code "change"} holds them. */
  ObjectNode change(GroupChange change) {
    ObjectNode out = JSON.createObjectNode();
    shape(change).writeAny(change, out);
    return out;
  }

  /** The group change of type {@code type} from its fields. */
  GroupChange change(String type, In in) {
    Shape<?> shape = changes.get(type);
    if (shape == null) {
      throw new IllegalStateException("unknown group event type " + type);
    }
    return (GroupChange) shape.read().apply(in);
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
  public String encodeResult(@Nullable Object result, UnaryOperator<String> seal) {
    return results.encode(result, seal);
  }

  /** The result {@link #encodeResult} wrote; {@code open} decrypts a sealed passcode. */
  public @Nullable Object decodeResult(String json, UnaryOperator<String> open) {
    return results.decode(json, open);
  }


  // ---- snapshots ----

  /** A group snapshot as JSON text, the same text for equal states. */
  public String encodeSnapshot(GroupSnapshot snapshot) {
    return snapshots.encode(snapshot);
  }

  /** The snapshot; empty when another version of the format or the fold wrote it (rebuild from the events). */
  public Optional<GroupSnapshot> decodeSnapshot(String json) {
    return snapshots.decode(json);
  }

  // ---- writing ----

  static String text(ObjectNode node) {
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

  static <T> T read(GroupStore.StoredEvent stored, String where, Function<In, T> decoder) {
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

}
