package io.fangroups.core.passcode;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text a fan copies to share a passcode. Templates hold {@code {group}} (the group's name) and
 * exactly one {@code {code}} (the display form); the code follows a marker word (群口令, passcode)
 * that {@link PasscodeExtractor} prefers.
 */
public final class ShareTexts {
  /** Chinese: the Douyin-style share text. */
  public static final String ZH = "复制这条消息，打开App申请加入「{group}」 群口令 {code}";
  /** English. */
  public static final String EN = "Copy this message and open the app to join \"{group}\" with passcode {code}";

  static final List<String> DEFAULT_TEMPLATES = List.of(ZH, EN);

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(group|code)}");

  private ShareTexts() {}

  /** The shipped template for {@code locale}: Chinese for {@code zh}, English otherwise. */
  public static String defaultTemplate(Locale locale) {
    return locale != null && "zh".equals(locale.getLanguage()) ? ZH : EN;
  }

  /** Checks a host's template: at most 500 characters with exactly one {@code {code}}. */
  public static String validate(String template) {
    if (template == null || template.length() > 500) {
      throw new IllegalArgumentException("a share template needs at most 500 characters");
    }
    int codes = template.split("\\{code}", -1).length - 1;
    if (codes != 1) {
      throw new IllegalArgumentException("a share template needs exactly one {code}, found " + codes);
    }
    return template;
  }

  /** Fills the template in one pass, so a group name that contains "{code}" stays literal. */
  public static String render(String template, String groupName, String displayCode) {
    Matcher m = PLACEHOLDER.matcher(validate(template));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1).equals("code") ? displayCode : groupName));
    }
    m.appendTail(out);
    return out.toString();
  }
}
