package io.fangroups.examples.http;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fangroups.core.FamilyId;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.content.MessageId;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.redpacket.RedPacketId;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The one JSON mapper of the service. Reading is strict (unknown fields, duplicate keys, trailing
 * content, a number with a fraction or exponent or a string for a whole-number field, a number
 * for an enum and a number or boolean for a string are errors); writing turns ids into strings, instants and durations into
 * ISO-8601, leaves out absent optionals, tags content and event changes with a {@code type}, and
 * writes an admission policy as its string form.
 */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .addModule(sdkTypes())
      .addMixIn(MessageContent.class, Tagged.class)
      .addMixIn(AdmissionDecision.class, WithoutRuleInternals.class)
      .registerSubtypes(MessageContent.Text.class, MessageContent.Announcement.class, MessageContent.VideoCard.class,
          MessageContent.ProductLink.class)
      .disable(MapperFeature.AUTO_DETECT_IS_GETTERS) // records: their components, not isExhausted()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
          DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      // Whole numbers only where a field is one: 88.88 for an amount in fen is refused, not cut to 88,
      // and neither "8888" nor 8888.0 stands in for 8888.
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      // Nor does 123 or true stand in for a name, a body or a label.
      .withCoercionConfig(LogicalType.Textual, text -> text
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_ABSENT)
      .build();

  private Json() {}

  /** Reads a request body into {@code type}; malformed JSON and mismatched fields are {@link HttpProblem}s. */
  static <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw new HttpProblem(ErrorStatus.BAD_REQUEST, "INVALID_ARGUMENT", "this call needs a JSON object as its body");
    }
    String text;
    try {
      // Strict UTF-8: Jackson's own decoder reads the overlong C0 AF as '/', this one refuses it.
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new HttpProblem(ErrorStatus.BAD_REQUEST, "MALFORMED_JSON", "the body is not valid UTF-8");
    }
    try {
      T value = MAPPER.readValue(text, type);
      if (value == null) {
        throw new HttpProblem(ErrorStatus.BAD_REQUEST, "INVALID_ARGUMENT", "the body must be a JSON object");
      }
      return value;
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof FanGroupsException refused) {
        throw refused; // content records validate themselves: MESSAGE_TOO_LONG, INVALID_URL …
      }
      throw new HttpProblem(ErrorStatus.BAD_REQUEST, "INVALID_ARGUMENT", describe(e));
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
      throw new HttpProblem(ErrorStatus.BAD_REQUEST, "MALFORMED_JSON", "the body is not well-formed JSON" + where);
    } catch (java.io.IOException e) {
      throw new HttpProblem(ErrorStatus.BAD_REQUEST, "MALFORMED_JSON", "the body could not be read as JSON");
    }
  }

  /** JSON the SDK wrote (a published event), as a tree to put in a response. */
  static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the SDK wrote JSON that does not parse", e);
    }
  }

  static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  /** Names the field without echoing Jackson's message, which would name our internal classes. */
  private static String describe(JsonMappingException e) {
    String field = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + unknown.getPropertyName() + "'";
    }
    if (e instanceof InvalidTypeIdException) {
      return "field 'type' must be one of Text, Announcement, VideoCard, ProductLink";
    }
    if (!field.isEmpty() && e instanceof MismatchedInputException mismatch && isWholeNumber(mismatch.getTargetType())) {
      return "field '" + field + "' must be a whole number (a JSON integer)";
    }
    return field.isEmpty() ? "the body does not have the expected shape"
        : "field '" + field + "' is missing or has the wrong type";
  }

  private static boolean isWholeNumber(Class<?> type) {
    return type == Integer.class || type == int.class || type == Long.class || type == long.class;
  }

  private static SimpleModule sdkTypes() {
    SimpleModule module = new SimpleModule("fangroups-sdk-types");
    for (Class<?> id : new Class<?>[] {GroupId.class, UserId.class, FamilyId.class, RequestId.class, PasscodeId.class,
        MessageId.class, RedPacketId.class, AdmissionPolicy.class}) {
      module.addSerializer(id, ToStringSerializer.instance);
    }
    return module;
  }

  /** Posted content carries its kind: {@code "type": "ProductLink"}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  private interface Tagged {}

  /** Events show the verdict, reasons and summary; the rule engine's internals stay inside. */
  @JsonIgnoreProperties("explanation")
  private interface WithoutRuleInternals {}
}
