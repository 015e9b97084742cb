package io.fangroups.examples.http;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * Picks the language of explanations and share texts from {@code Accept-Language}: Chinese or
 * English, by the header's weights; without a header, or with neither language in it, Chinese (the
 * platform's home market). Dates in explanations are shown in China Standard Time.
 */
final class Languages {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final List<Locale> SHIPPED = List.of(Locale.CHINESE, Locale.ENGLISH);

  private Languages() {}

  static Locale pick(String acceptLanguage) {
    if (acceptLanguage == null || acceptLanguage.isBlank()) {
      return Locale.CHINESE;
    }
    try {
      Locale best = Locale.lookup(Locale.LanguageRange.parse(acceptLanguage), SHIPPED);
      return best == null ? Locale.CHINESE : best;
    } catch (IllegalArgumentException malformed) {
      return Locale.CHINESE;
    }
  }
}
