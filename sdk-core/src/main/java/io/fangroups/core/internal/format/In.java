package io.fangroups.core.internal.format;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A JSON value being read and its path in the payload, so a corrupt payload names the bad field. */
record In(JsonNode node, String path) {

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

  public long longValue() {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new IllegalStateException(where() + " is not a whole number");
    }
    return node.longValue();
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
