package io.fangroups.examples.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A resource path such as {@code /groups/{groupId}/events}: literal segments and named variables,
 * each variable matching one non-empty segment.
 */
record PathTemplate(String template, List<String> segments) {

  static PathTemplate of(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a path template starts with '/': " + template);
    }
    return new PathTemplate(template, List.of(template.substring(1).split("/")));
  }

  /** The variables when {@code path} matches, by name. */
  Optional<Map<String, String>> match(String path) {
    String[] parts = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
    if (parts.length != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> variables = new HashMap<>();
    for (int i = 0; i < parts.length; i++) {
      String segment = segments.get(i);
      if (segment.startsWith("{") && segment.endsWith("}") && !parts[i].isEmpty()) {
        variables.put(segment.substring(1, segment.length() - 1), parts[i]);
      } else if (!segment.equals(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(Map.copyOf(variables));
  }
}
