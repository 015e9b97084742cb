package io.fangroups.core.content.internal;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.internal.Checks;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks links posted into groups: absolute {@code http} or {@code https} URLs with a host, so a
 * client that renders them never follows {@code javascript:}, {@code data:} or {@code file:}
 * links, relative paths or look-alike hosts hidden behind user info.
 */
public final class WebUrls {
  private WebUrls() {}

  /**
   * Returns {@code url} unchanged if it is an absolute http(s) URL of at most
   * {@link MessageContent#MAX_URL_LENGTH} characters with a host, a valid port if any, no user
   * info, and no whitespace, control, format or unpaired surrogate characters; otherwise throws
   * {@link ErrorCode#INVALID_URL} ({@link ErrorCode#INVALID_ARGUMENT} for null).
   */
  public static String require(String url, String name) {
    Checks.notNull(url, name);
    if (url.isEmpty() || url.length() > MessageContent.MAX_URL_LENGTH) {
      throw refused(name, "must have 1 to " + MessageContent.MAX_URL_LENGTH + " characters, got " + url.length());
    }
    url.codePoints().filter(WebUrls::isInvisibleOrControl).findFirst().ifPresent(c -> {
      throw refused(name, "must not contain whitespace, control or invisible characters (found U+"
          + String.format(Locale.ROOT, "%04X", c) + ")");
    });
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw refused(name, "is not a well-formed URL: " + e.getReason() + " at index " + e.getIndex());
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      throw refused(name, "must be an absolute http or https URL");
    }
    if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
      throw refused(name, "must name a host, as in https://example.com/path (internationalised hosts in punycode)");
    }
    if (uri.getRawUserInfo() != null) {
      throw refused(name, "must not carry user info (user:password@) before the host");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      throw refused(name, "has port " + uri.getPort() + ", outside 1 to 65535");
    }
    return url;
  }

  private static boolean isInvisibleOrControl(int c) {
    int type = Character.getType(c);
    return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
        || type == Character.FORMAT || type == Character.SURROGATE;
  }

  private static FanGroupsException refused(String name, String why) {
    return new FanGroupsException(ErrorCode.INVALID_URL, name + " " + why);
  }
}
