package io.fangroups.rules;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON form of a {@link Policy}: strict reading, canonical writing and a content hash.
 *
 * <pre>{@code
 * {"version":1,"unknown":"review",
 *  "definitions":{"loyal":{"fact":"days_following","op":">=","value":7,"unit":"days"}},
 *  "rule":{"all":[{"ref":"loyal"},
 *                 {"any":[{"fact":"fan_club_level","op":">=","value":3},
 *                         {"fact":"non_fan_club_allowed","op":"==","value":true}]}]}}
 * }</pre>
 *
 * <p>Rule nodes are {@code {"all":[…]}}, {@code {"any":[…]}}, {@code {"not":{…}}},
 * {@code {"atLeast":{"k":2,"of":[…]}}}, {@code {"ref":"name"}}, {@code {"custom":"name"}} and
 * leaves {@code {"fact":…,"op":…,"value":…}} ({@code "min"} and {@code "max"} for
 * {@code between}, {@code "values"} for {@code in}; optional {@code "unit"} for numbers; instants
 * as ISO-8601 strings with {@code before} and {@code after}). Unknown node types and fields are
 * errors naming the JSON Pointer and the nearest known name. Documents are limited to
 * {@value #MAX_CHARS} characters, {@value Limits#MAX_DEPTH} levels of rule nesting and
 * {@value Limits#MAX_NODES} nodes (each value of an {@code in} list counting as one); rules built
 * in code obey the same limits, and {@link #write(Policy)} refuses a canonical form over
 * {@value #MAX_CHARS} characters, so whatever is written can be read back.
 */
public final class RuleJson {
  /** The only version this library reads and writes. */
  public static final int VERSION = 1;
  /** The largest document accepted, in characters (or bytes for {@link #read(byte[])}). */
  public static final int MAX_CHARS = 64 * 1024;

  private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder()
              // Three JSON levels per rule level at most ({"atLeast":{"of":[…]}}), plus the document's.
              .maxNestingDepth(3 * Limits.MAX_DEPTH + 8)
              .maxNumberLength(64)
              .maxStringLength(MAX_CHARS)
              .build())
          .build())
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private static final Set<String> DOCUMENT_FIELDS = Set.of("version", "unknown", "definitions", "rule");
  private static final List<String> NODE_KINDS = List.of("all", "any", "not", "atLeast", "ref", "custom", "fact");
  private static final Set<String> LEAF_FIELDS = Set.of("fact", "op", "value", "values", "min", "max", "unit");

  private RuleJson() {}

  /**
   * Reads a policy.
   *
   * @throws RuleException with the JSON Pointer of the bad node for any malformed, unknown or
   *     oversized input
   */
  public static Policy read(String json) {
    Arguments.notNull(json, "json");
    if (json.length() > MAX_CHARS) {
      throw new RuleException(RuleException.Code.RULE_TOO_LARGE, "", "documents may have at most " + MAX_CHARS + " characters");
    }
    return parse(() -> MAPPER.readTree(json));
  }

  /** Reads a policy from UTF-8 bytes. @throws RuleException as {@link #read(String)} */
  public static Policy read(byte[] json) {
    Arguments.notNull(json, "json");
    if (json.length > MAX_CHARS) {
      throw new RuleException(RuleException.Code.RULE_TOO_LARGE, "", "documents may have at most " + MAX_CHARS + " bytes");
    }
    return parse(() -> MAPPER.readTree(json));
  }

  /** Reads a policy from a reader, which is not closed. @throws RuleException as {@link #read(String)} */
  public static Policy read(Reader json) {
    Arguments.notNull(json, "json");
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[4096];
    try {
      for (int n; (n = json.read(buffer)) >= 0; ) {
        text.append(buffer, 0, n);
        if (text.length() > MAX_CHARS) {
          throw new RuleException(RuleException.Code.RULE_TOO_LARGE, "", "documents may have at most " + MAX_CHARS + " characters");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the rule", e);
    }
    return read(text.toString());
  }

  /** Writes the canonical form: fixed key order, sorted definitions, no whitespace, no defaults left out. */
  public static String write(Policy policy) {
    Arguments.notNull(policy, "policy");
    StringWriter out = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("version", VERSION);
      json.writeStringField("unknown", policy.unknown().name().toLowerCase(Locale.ROOT));
      if (!policy.definitions().isEmpty()) {
        json.writeObjectFieldStart("definitions");
        for (Map.Entry<String, Rule> definition : policy.definitions().entrySet()) {
          json.writeFieldName(definition.getKey());
          writeRule(json, definition.getValue());
        }
        json.writeEndObject();
      }
      json.writeFieldName("rule");
      writeRule(json, policy.rule());
      json.writeEndObject();
    } catch (IOException e) {
      // A StringWriter does not fail, and rules are too shallow for Jackson's nesting limit.
      throw new UncheckedIOException(e);
    }
    if (out.getBuffer().length() > MAX_CHARS) {
      throw new RuleException(RuleException.Code.RULE_TOO_LARGE, "", "the canonical form has " + out.getBuffer().length()
          + " characters; documents may have at most " + MAX_CHARS);
    }
    return out.toString();
  }

  /** Returns the SHA-256 hex of the canonical form's UTF-8 bytes: the rule version's content hash. */
  public static String hash(Policy policy) {
    Arguments.notNull(policy, "policy");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(write(policy).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  // ---- reading ----

  private interface TreeSource {
    JsonNode read() throws IOException;
  }

  private static Policy parse(TreeSource source) {
    JsonNode root;
    try {
      root = source.read();
    } catch (StreamConstraintsException e) {
      boolean depth = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT).contains("depth");
      throw new RuleException(depth ? RuleException.Code.RULE_TOO_DEEP : RuleException.Code.RULE_TOO_LARGE,
          pointerOf(e), String.valueOf(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new RuleException(RuleException.Code.JSON_MALFORMED, pointerOf(e), String.valueOf(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new RuleException(RuleException.Code.JSON_MALFORMED, "", String.valueOf(e.getMessage()));
    } catch (IllegalArgumentException e) {
      // Jackson reports some number overflows (exponents too long to parse) as NumberFormatException.
      throw new RuleException(RuleException.Code.JSON_MALFORMED, "", String.valueOf(e.getMessage()));
    }
    return new DocumentReader().document(root);
  }

  private static String pointerOf(JsonProcessingException e) {
    try {
      if (e.getProcessor() instanceof JsonParser parser) {
        return parser.getParsingContext().pathAsPointer().toString();
      }
    } catch (RuntimeException ignored) {
      // the location is a courtesy; the error stands without it
    }
    return "";
  }

  /** One document's reading state: the node count. */
  private static final class DocumentReader {
    private int nodes;

    Policy document(@Nullable JsonNode root) {
      if (root == null || !root.isObject()) {
        throw invalid("", "a rule document is a JSON object like {\"version\":1,\"rule\":{…}}");
      }
      strictFields(root, "", DOCUMENT_FIELDS);
      JsonNode version = root.get("version");
      if (version == null) {
        throw invalid("/version", "missing \"version\"; use " + VERSION);
      }
      if (!version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() != VERSION) {
        throw new RuleException(RuleException.Code.UNSUPPORTED_VERSION, "/version",
            "version " + version + " is not supported; this library reads version " + VERSION);
      }
      UnknownPolicy unknown = unknownPolicy(root.get("unknown"));
      Map<String, Rule> definitions = new LinkedHashMap<>();
      JsonNode definitionsNode = root.get("definitions");
      if (definitionsNode != null) {
        if (!definitionsNode.isObject()) {
          throw invalid("/definitions", "\"definitions\" is an object of named rules");
        }
        for (Map.Entry<String, JsonNode> entry : definitionsNode.properties()) {
          definitions.put(entry.getKey(), rule(entry.getValue(), "/definitions/" + Pointers.escape(entry.getKey()), 1));
        }
      }
      JsonNode rule = root.get("rule");
      if (rule == null) {
        throw invalid("/rule", "missing \"rule\"");
      }
      Rule parsed = rule(rule, "/rule", 1);
      return withPointer("/definitions", () -> new Policy(parsed, definitions, unknown));
    }

    private static UnknownPolicy unknownPolicy(@Nullable JsonNode node) {
      if (node == null) {
        return UnknownPolicy.DENY;
      }
      String text = text(node, "/unknown");
      return switch (text) {
        case "deny" -> UnknownPolicy.DENY;
        case "review" -> UnknownPolicy.REVIEW;
        default -> throw invalid("/unknown", "\"unknown\" is \"deny\" or \"review\", not \"" + text + "\""
            + Names.didYouMean(text, List.of("deny", "review")));
      };
    }

    private Rule rule(JsonNode node, String pointer, int depth) {
      if (depth > Limits.MAX_DEPTH) {
        throw Limits.tooDeep(pointer);
      }
      Limits.nodes(++nodes, pointer);
      if (!node.isObject()) {
        throw invalid(pointer, "a rule is a JSON object with one of " + NODE_KINDS);
      }
      String kind = null;
      for (String candidate : NODE_KINDS) {
        if (node.has(candidate)) {
          if (kind != null) {
            throw invalid(pointer, "a rule has exactly one of " + NODE_KINDS + "; found \"" + kind + "\" and \"" + candidate + "\"");
          }
          kind = candidate;
        }
      }
      if (kind == null) {
        String first = node.fieldNames().hasNext() ? node.fieldNames().next() : "";
        throw invalid(pointer + (first.isEmpty() ? "" : "/" + Pointers.escape(first)),
            "unknown rule type \"" + first + "\"; expected one of " + NODE_KINDS + Names.didYouMean(first, NODE_KINDS));
      }
      String at = pointer + "/" + kind;
      JsonNode body = node.get(kind);
      return switch (kind) {
        case "all" -> {
          strictFields(node, pointer, Set.of("all"));
          yield new Rule.All(rules(body, at, depth));
        }
        case "any" -> {
          strictFields(node, pointer, Set.of("any"));
          yield new Rule.Any(rules(body, at, depth));
        }
        case "not" -> {
          strictFields(node, pointer, Set.of("not"));
          yield new Rule.Not(rule(body, at, depth + 1));
        }
        case "atLeast" -> {
          strictFields(node, pointer, Set.of("atLeast"));
          yield atLeast(body, at, depth);
        }
        case "ref" -> {
          strictFields(node, pointer, Set.of("ref"));
          yield new Rule.Ref(text(body, at));
        }
        case "custom" -> {
          strictFields(node, pointer, Set.of("custom"));
          yield new Rule.Custom(text(body, at));
        }
        default -> leaf(node, pointer);
      };
    }

    private List<Rule> rules(@Nullable JsonNode array, String pointer, int depth) {
      if (array == null || !array.isArray()) {
        throw invalid(pointer, "expected an array of rules");
      }
      List<Rule> rules = new ArrayList<>(array.size());
      for (int i = 0; i < array.size(); i++) {
        rules.add(rule(array.get(i), pointer + "/" + i, depth + 1));
      }
      return rules;
    }

    private Rule atLeast(JsonNode body, String pointer, int depth) {
      if (!body.isObject()) {
        throw invalid(pointer, "atLeast is {\"k\":2,\"of\":[…]}");
      }
      strictFields(body, pointer, Set.of("k", "of"));
      JsonNode k = body.get("k");
      if (k == null || !k.isIntegralNumber() || !k.canConvertToInt()) {
        throw invalid(pointer + "/k", "\"k\" is a whole number");
      }
      List<Rule> rules = rules(body.get("of"), pointer + "/of", depth);
      return withPointer(pointer + "/k", () -> new Rule.AtLeast(k.intValue(), rules));
    }

    private Rule leaf(JsonNode node, String pointer) {
      strictFields(node, pointer, LEAF_FIELDS);
      String fact = text(node.get("fact"), pointer + "/fact");
      JsonNode opNode = node.get("op");
      if (opNode == null) {
        throw invalid(pointer + "/op", "missing \"op\"");
      }
      String symbol = text(opNode, pointer + "/op");
      List<String> symbols = java.util.Arrays.stream(Op.values()).map(Op::symbol).toList();
      Op op = Op.ofSymbol(symbol).orElseThrow(() -> invalid(pointer + "/op", "unknown operator \"" + symbol
          + "\"; expected one of " + symbols + Names.didYouMean(symbol, symbols)));
      FactUnit unit = unit(node.get("unit"), pointer + "/unit");
      List<String> fields = switch (op) {
        case BETWEEN -> List.of("min", "max");
        case IN -> List.of("values");
        default -> List.of("value");
      };
      for (String field : List.of("value", "values", "min", "max")) {
        if (node.has(field) != fields.contains(field)) {
          throw invalid(pointer + "/" + field, "operator " + op.symbol() + " takes " + fields
              + (node.has(field) ? ", not \"" + field + "\"" : "; \"" + field + "\" is missing"));
        }
      }
      if (node.has("unit") && op == Op.IN) {
        throw invalid(pointer + "/unit", "\"unit\" applies to numbers only");
      }
      List<Literal> values = new ArrayList<>();
      if (op == Op.IN) {
        JsonNode array = node.get("values");
        if (!array.isArray() || array.isEmpty()) {
          throw invalid(pointer + "/values", "\"values\" is a non-empty array of strings");
        }
        nodes += array.size() - 1; // the leaf itself was counted as one
        Limits.nodes(nodes, pointer + "/values");
        for (int i = 0; i < array.size(); i++) {
          values.add(literal(array.get(i), pointer + "/values/" + i, op, unit));
        }
      } else {
        for (String field : fields) {
          values.add(literal(node.get(field), pointer + "/" + field, op, unit));
        }
      }
      return withPointer(pointer, () -> new Rule.Leaf(fact, op, values));
    }

    private Literal literal(JsonNode node, String pointer, Op op, FactUnit unit) {
      if (op == Op.BEFORE || op == Op.AFTER) {
        String text = text(node, pointer);
        try {
          Instant instant = Instant.parse(text);
          return withPointer(pointer, () -> Literal.of(instant));
        } catch (DateTimeParseException e) {
          throw invalid(pointer, "expected an ISO-8601 instant such as 2026-03-12T00:00:00Z, got \"" + text + "\"");
        }
      }
      if (node.isNumber()) {
        double value = Facts.exact(node.numberValue(), pointer);
        return withPointer(pointer, () -> Literal.of(value, unit));
      }
      if (unit != FactUnit.NONE) {
        throw new RuleException(RuleException.Code.TYPE_MISMATCH, pointer, "\"unit\" applies to numbers only");
      }
      if (node.isBoolean()) {
        return Literal.of(node.booleanValue());
      }
      if (node.isTextual()) {
        return withPointer(pointer, () -> Literal.of(node.textValue()));
      }
      throw new RuleException(RuleException.Code.TYPE_MISMATCH, pointer, "a value is a number, boolean or string");
    }

    private static FactUnit unit(@Nullable JsonNode node, String pointer) {
      if (node == null) {
        return FactUnit.NONE;
      }
      String text = text(node, pointer);
      List<String> units = List.of("days", "level", "count");
      if (!units.contains(text)) {
        throw invalid(pointer, "unknown unit \"" + text + "\"; expected one of " + units + Names.didYouMean(text, units));
      }
      return FactUnit.valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  private static String text(@Nullable JsonNode node, String pointer) {
    if (node == null) {
      throw invalid(pointer, "missing string");
    }
    if (!node.isTextual()) {
      throw new RuleException(RuleException.Code.TYPE_MISMATCH, pointer, "expected a string");
    }
    return node.textValue();
  }

  private static void strictFields(JsonNode node, String pointer, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!allowed.contains(field)) {
        throw invalid(pointer + "/" + Pointers.escape(field), "unknown field \"" + field + "\"; allowed here: "
            + allowed.stream().sorted().toList() + Names.didYouMean(field, allowed));
      }
    }
  }

  /** Runs a value constructor, adding the JSON Pointer to the RuleException it may throw. */
  private static <T> T withPointer(String pointer, java.util.function.Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (RuleException e) {
      if (e.pointer().isPresent()) {
        throw e;
      }
      String message = e.getMessage();
      throw new RuleException(e.code(), pointer, message.substring(message.indexOf(": ") + 2));
    }
  }

  private static RuleException invalid(String pointer, String message) {
    return new RuleException(RuleException.Code.RULE_INVALID, pointer, message);
  }

  // ---- writing ----

  private static void writeRule(JsonGenerator json, Rule rule) throws IOException {
    json.writeStartObject();
    if (rule instanceof Rule.All all) {
      writeRules(json, "all", all.rules());
    } else if (rule instanceof Rule.Any any) {
      writeRules(json, "any", any.rules());
    } else if (rule instanceof Rule.Not not) {
      json.writeFieldName("not");
      writeRule(json, not.rule());
    } else if (rule instanceof Rule.AtLeast atLeast) {
      json.writeObjectFieldStart("atLeast");
      json.writeNumberField("k", atLeast.k());
      writeRules(json, "of", atLeast.rules());
      json.writeEndObject();
    } else if (rule instanceof Rule.Ref ref) {
      json.writeStringField("ref", ref.name());
    } else if (rule instanceof Rule.Custom custom) {
      json.writeStringField("custom", custom.name());
    } else {
      writeLeaf(json, (Rule.Leaf) rule);
    }
    json.writeEndObject();
  }

  private static void writeRules(JsonGenerator json, String field, List<Rule> rules) throws IOException {
    json.writeArrayFieldStart(field);
    for (Rule rule : rules) {
      writeRule(json, rule);
    }
    json.writeEndArray();
  }

  private static void writeLeaf(JsonGenerator json, Rule.Leaf leaf) throws IOException {
    json.writeStringField("fact", leaf.fact());
    json.writeStringField("op", leaf.op().symbol());
    List<Literal> values = leaf.values();
    switch (leaf.op()) {
      case BETWEEN -> {
        writeLiteral(json, "min", values.get(0));
        writeLiteral(json, "max", values.get(1));
      }
      case IN -> {
        json.writeArrayFieldStart("values");
        for (Literal value : values) {
          json.writeString(((Literal.Str) value).value());
        }
        json.writeEndArray();
      }
      default -> writeLiteral(json, "value", values.get(0));
    }
    if (values.get(0) instanceof Literal.Num num && num.unit() != FactUnit.NONE) {
      json.writeStringField("unit", num.unit().name().toLowerCase(Locale.ROOT));
    }
  }

  private static void writeLiteral(JsonGenerator json, String field, Literal literal) throws IOException {
    json.writeFieldName(field);
    if (literal instanceof Literal.Num num) {
      double value = num.value();
      if (value == Math.rint(value) && Math.abs(value) < 1e15) {
        json.writeNumber((long) value);
      } else {
        json.writeNumber(value);
      }
    } else if (literal instanceof Literal.Bool bool) {
      json.writeBoolean(bool.value());
    } else if (literal instanceof Literal.Str str) {
      json.writeString(str.value());
    } else {
      json.writeString(((Literal.Time) literal).value().toString());
    }
  }
}
