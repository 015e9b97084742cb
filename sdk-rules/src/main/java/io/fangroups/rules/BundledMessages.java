package io.fangroups.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bundled messages: {@code messages[_lang[_COUNTRY]].properties} in UTF-8, most specific file
 * first, never the JVM's default locale. Read from the module's own resources rather than through
 * {@link java.util.ResourceBundle}, whose {@code Control} (needed to skip the default locale) is
 * refused in a named module.
 */
final class BundledMessages {
  private static final Map<String, Map<String, String>> FILES = new ConcurrentHashMap<>();

  private BundledMessages() {}

  static Optional<String> pattern(String key, Locale locale) {
    List<String> suffixes = locale.getCountry().isEmpty() ? List.of("_" + locale.getLanguage(), "")
        : List.of("_" + locale.getLanguage() + "_" + locale.getCountry(), "_" + locale.getLanguage(), "");
    for (String suffix : suffixes) {
      String pattern = FILES.computeIfAbsent("messages" + suffix + ".properties", BundledMessages::load).get(key);
      if (pattern != null) {
        return Optional.of(pattern);
      }
    }
    return Optional.empty();
  }

  private static Map<String, String> load(String name) {
    try (InputStream in = BundledMessages.class.getResourceAsStream(name)) {
      if (in == null) {
        return Map.of();
      }
      Properties properties = new Properties();
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
      Map<String, String> patterns = new HashMap<>();
      properties.stringPropertyNames().forEach(key -> patterns.put(key, properties.getProperty(key)));
      return Map.copyOf(patterns);
    } catch (IOException e) {
      throw new UncheckedIOException("the bundled messages " + name + " cannot be read", e);
    }
  }
}
