package io.fangroups.core.internal.format;

import io.fangroups.core.event.GroupChange;
import io.fangroups.core.event.GroupEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a {@link GroupEvent} as one JSON object for the event publisher. Records become objects of
 * their components, ids become strings, {@code Optional.empty()} is left out, instants and
 * durations are ISO-8601 strings, and anything else (such as a policy) is written as its string
 * form. Passcode events carry the record only: the clear code is never in an event.
 */
public final class EventJson {
  private EventJson() {}

  public static String write(GroupEvent event) {
    StringBuilder out = new StringBuilder(256);
    out.append("{\"eventId\":");
    string(out, event.eventId());
    out.append(",\"group\":");
    string(out, event.group().value());
    out.append(",\"sequence\":").append(event.sequence());
    out.append(",\"occurredAt\":");
    string(out, event.occurredAt().toString());
    out.append(",\"type\":");
    string(out, type(event.change()));
    out.append(",\"attribution\":");
    value(out, event.attribution());
    out.append(",\"change\":");
    value(out, event.change());
    return out.append('}').toString();
  }

  public static String type(GroupChange change) {
    return change.getClass().getSimpleName();
  }

  private static void value(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Optional<?> o) {
      value(out, o.orElse(null));
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      out.append(v);
    } else if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d)) {
        out.append(d);
      } else {
        string(out, String.valueOf(d));
      }
    } else if (v instanceof Instant || v instanceof Duration || v instanceof Enum<?> || v instanceof String) {
      string(out, v.toString());
    } else if (v instanceof Collection<?> c) {
      out.append('[');
      boolean first = true;
      for (Object item : c) {
        out.append(first ? "" : ",");
        value(out, item);
        first = false;
      }
      out.append(']');
    } else if (v instanceof Map<?, ?> m) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        out.append(first ? "" : ",");
        string(out, String.valueOf(e.getKey()));
        out.append(':');
        value(out, e.getValue());
        first = false;
      }
      out.append('}');
    } else if (v instanceof Record r && isOurs(r)) {
      StringBuilder nested = new StringBuilder();
      try {
        record(nested, r, false);
        out.append(nested);
      } catch (RuntimeException e) {
        string(out, r.toString()); // never fail an event because a value cannot be reflected on
      }
    } else {
      string(out, v.toString());
    }
  }

  /** Only the SDK's own public records are read by reflection; a host's record is written as text. */
  private static boolean isOurs(Record r) {
    Class<?> type = r.getClass();
    return type.getName().startsWith("io.fangroups.") && java.lang.reflect.Modifier.isPublic(type.getModifiers());
  }

  /** A record; {@code typed} adds {@code "@type"} when the declared type was an interface (sealed content). */
  private static void record(StringBuilder out, Record r, boolean typed) {
    RecordComponent[] components = r.getClass().getRecordComponents();
    if (components.length == 1 && components[0].getName().equals("value") && components[0].getType() == String.class) {
      string(out, read(r, components[0]).toString()); // ids: UserId, GroupId, …
      return;
    }
    out.append('{');
    boolean first = true;
    if (typed) {
      out.append("\"@type\":");
      string(out, r.getClass().getSimpleName());
      first = false;
    }
    for (RecordComponent c : components) {
      Object v = read(r, c);
      if (v instanceof Optional<?> o && o.isEmpty()) {
        continue;
      }
      out.append(first ? "" : ",");
      string(out, c.getName());
      out.append(':');
      if (v instanceof Record nested && c.getType().isInterface() && isOurs(nested)) {
        record(out, nested, true);
      } else {
        value(out, v);
      }
      first = false;
    }
    out.append('}');
  }

  private static Object read(Record r, RecordComponent c) {
    try {
      return c.getAccessor().invoke(r);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getName(), e);
    }
  }

  private static boolean paired(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }

  public static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c) && !paired(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
