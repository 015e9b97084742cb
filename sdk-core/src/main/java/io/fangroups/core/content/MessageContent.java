package io.fangroups.core.content;

import io.fangroups.core.Capability;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.content.internal.WebUrls;
import io.fangroups.core.internal.Checks;
import java.util.Currency;
import java.util.Locale;
import java.util.Optional;

/**
 * What a member posts into a group. A closed set: {@link Text} any member may post;
 * {@link Announcement}, {@link VideoCard} and {@link ProductLink} need a capability (see
 * {@link FanGroups#post}). Every record validates and normalises itself on construction and throws
 * {@link FanGroupsException}: {@link ErrorCode#MESSAGE_TOO_LONG} for an over-long body,
 * {@link ErrorCode#INVALID_URL} for a link that is not an absolute http(s) URL with a host, and
 * {@link ErrorCode#INVALID_ARGUMENT} for anything else malformed.
 */
public sealed interface MessageContent {
  /** Most characters (code points) in a text or announcement body, after trimming. */
  int MAX_BODY_LENGTH = 2_000;
  /** Most characters (code points) in a card's title, after trimming. */
  int MAX_TITLE_LENGTH = 100;
  /** Most characters in a link. */
  int MAX_URL_LENGTH = 2_048;
  /** Highest product price, in the currency's minor unit (10^10, i.e. 100 million yuan or dollars). */
  long MAX_PRICE_CENTS = 10_000_000_000L;
  /** Most characters in a coupon code. */
  int MAX_COUPON_LENGTH = 32;

  /**
   * A plain text message, any member may post it.
   *
   * @param body 1 to {@value #MAX_BODY_LENGTH} characters after trimming; newlines allowed, other
   *     control characters not
   */
  record Text(String body) implements MessageContent {
    /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
    public Text {
      body = checkedBody(body);
    }
  }

  /**
   * A notice pinned in the group. Needs {@link Capability#EDIT_SETTINGS}.
   *
   * @param body as for {@link Text}
   */
  record Announcement(String body) implements MessageContent {
    /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
    public Announcement {
      body = checkedBody(body);
    }
  }

  /**
   * A creator's video, or a preview (trailer) of one, forwarded into the group. Needs
   * {@link Capability#FORWARD_CONTENT}.
   *
   * @param videoId the host's id of the video (letters, digits and {@code - _ . : @}, up to 128)
   * @param title 1 to {@value #MAX_TITLE_LENGTH} characters after trimming
   * @param preview whether this is a preview or trailer rather than the published video
   * @param coverUrl the cover image, an absolute http(s) URL
   */
  record VideoCard(String videoId, String title, boolean preview, String coverUrl) implements MessageContent {
    /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
    public VideoCard {
      Checks.id(videoId, "videoId");
      title = Checks.text(title, "title", MAX_TITLE_LENGTH);
      WebUrls.require(coverUrl, "coverUrl");
    }
  }

  /**
   * A product card linking to the host's shop. Needs {@link Capability#POST_PRODUCT_LINK}.
   *
   * @param url the product page, an absolute http(s) URL
   * @param title 1 to {@value #MAX_TITLE_LENGTH} characters after trimming
   * @param priceCents the price in the currency's minor unit, 0 to {@value #MAX_PRICE_CENTS}
   * @param currency an ISO 4217 code such as {@code CNY}; upper-cased
   * @param coupon a coupon code to show with the card, 1 to {@value #MAX_COUPON_LENGTH} characters
   */
  record ProductLink(String url, String title, long priceCents, String currency, Optional<String> coupon)
      implements MessageContent {
    /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
    public ProductLink {
      WebUrls.require(url, "url");
      title = Checks.text(title, "title", MAX_TITLE_LENGTH);
      if (priceCents < 0 || priceCents > MAX_PRICE_CENTS) {
        throw Checks.invalid("priceCents must be between 0 and " + MAX_PRICE_CENTS + ", got " + priceCents);
      }
      currency = currencyCode(currency);
      Checks.notNull(coupon, "coupon");
      coupon = coupon.map(c -> Checks.text(c, "coupon", MAX_COUPON_LENGTH));
    }
  }

  private static String checkedBody(String body) {
    return Checks.text(body, "body", MAX_BODY_LENGTH, ErrorCode.MESSAGE_TOO_LONG, true);
  }

  private static String currencyCode(String code) {
    Checks.notNull(code, "currency");
    if (code.length() != 3) {
      throw Checks.invalid("currency must be a three-letter ISO 4217 code such as CNY or USD, got "
          + code.length() + " characters");
    }
    try {
      return Currency.getInstance(code.toUpperCase(Locale.ROOT)).getCurrencyCode();
    } catch (IllegalArgumentException unknown) {
      throw Checks.invalid("currency " + code + " is not an ISO 4217 code; use one such as CNY or USD");
    }
  }
}
