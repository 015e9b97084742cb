package io.fangroups.core.passcode;

import io.fangroups.core.internal.Checks;
import java.util.Locale;

/**
 * A newly made passcode with its code in the clear. This is the only time the code is available:
 * show or share it now; the SDK keeps only its HMAC.
 *
 * @param info the record
 * @param code the canonical code, e.g. {@code 7KQM3XP9VD2HC}
 * @param targetName the group's or family's name, for the share text
 */
public record IssuedPasscode(PasscodeInfo info, String code, String targetName) {

  /** The grouped form people read: {@code 7KQM-3XP9-VD2HC}. */
  public String display() {
    return Passcodes.display(code);
  }

  /** The share text in the shipped template for {@code locale} (Chinese for zh, English otherwise). */
  public String shareText(Locale locale) {
    return shareText(ShareTexts.defaultTemplate(locale));
  }

  /** The share text in a host template with {@code {group}} and exactly one {@code {code}}. */
  public String shareText(String template) {
    try {
      return ShareTexts.render(template, targetName, display());
    } catch (IllegalArgumentException e) {
      throw Checks.invalid(e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "IssuedPasscode[" + info.id() + ", code=<hidden>]";
  }
}
