package io.fangroups.rules;

import java.util.Locale;
import org.jspecify.annotations.Nullable;
import java.util.Optional;

/**
 * Message patterns ({@link java.text.MessageFormat} syntax) by key and locale. The bundled source
 * ships English and Chinese (UTF-8 properties); a host can wrap it to add labels for its own facts
 * ({@code fact.<name>}) and predicates ({@code predicate.<name>}).
 */
@FunctionalInterface
public interface MessageSource {

  /** Returns the pattern for a key in a locale, if there is one. */
  Optional<String> pattern(String key, Locale locale);

  /** Returns the bundled English and Chinese messages; other locales fall back to English. */
  static MessageSource bundled() {
    return (key, locale) -> BundledMessages.pattern(Arguments.notNull(key, "key"), Arguments.notNull(locale, "locale"));
  }

  /** Returns a source that tries this one, then {@code fallback} (also when this one answers null). */
  default MessageSource orElse(MessageSource fallback) {
    Arguments.notNull(fallback, "fallback");
    return (key, locale) -> {
      @Nullable Optional<String> pattern = pattern(key, locale);
      return pattern != null && pattern.isPresent() ? pattern : fallback.pattern(key, locale);
    };
  }
}
