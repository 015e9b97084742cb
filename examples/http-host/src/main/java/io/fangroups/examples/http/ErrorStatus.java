package io.fangroups.examples.http;

import io.fangroups.core.ErrorCode;

/**
 * The HTTP status for each SDK {@link ErrorCode}. The switch has no default branch, so a code added
 * to the SDK fails compilation here until it is given a status.
 */
final class ErrorStatus {
  static final int BAD_REQUEST = 400;
  static final int UNAUTHORIZED = 401;
  static final int FORBIDDEN = 403;
  static final int NOT_FOUND = 404;
  static final int METHOD_NOT_ALLOWED = 405;
  static final int CONFLICT = 409;
  static final int GONE = 410;
  static final int PAYLOAD_TOO_LARGE = 413;
  static final int UNSUPPORTED_MEDIA_TYPE = 415;
  static final int UNPROCESSABLE = 422;
  static final int TOO_MANY_REQUESTS = 429;
  static final int INTERNAL_ERROR = 500;
  static final int UNAVAILABLE = 503;

  private ErrorStatus() {}

  /** The status a refusal with {@code code} is answered with. */
  static int of(ErrorCode code) {
    return switch (code) {
      // The call itself is wrong: fix it.
      case INVALID_ARGUMENT, MESSAGE_TOO_LONG, INVALID_URL, PASSCODE_MALFORMED -> BAD_REQUEST;
      // The same key for a different request (as the IETF Idempotency-Key draft recommends).
      case IDEMPOTENCY_KEY_REUSED -> UNPROCESSABLE;
      // This user may not do this here.
      case NOT_PERMITTED, NOT_A_MEMBER, NOT_ELIGIBLE, BANNED, MUTED, JOINS_CLOSED, JOIN_MODE_MISMATCH -> FORBIDDEN;
      // A phrase packet's claim without its phrase is refused like a claim by someone it is not for
      // (NOT_ELIGIBLE): the user may not take it this way. Not 422, which here means only a reused key.
      case WRONG_PHRASE -> FORBIDDEN;
      case GROUP_NOT_FOUND, FAMILY_NOT_FOUND, REQUEST_NOT_FOUND, PASSCODE_NOT_FOUND, RED_PACKET_NOT_FOUND -> NOT_FOUND;
      // It existed but no longer works: an emptied red packet as an exhausted passcode, an expired one as an expired passcode.
      case GROUP_DISBANDED, PASSCODE_EXPIRED, PASSCODE_REVOKED, PASSCODE_EXHAUSTED, RED_PACKET_EMPTY,
          RED_PACKET_EXPIRED -> GONE;
      // The state of the group, request or creator does not allow it now.
      case GROUP_FULL, FAMILY_FULL, ALREADY_MEMBER, REQUEST_ALREADY_PENDING, REQUEST_NOT_PENDING, QUOTA_EXCEEDED,
          ADMIN_LIMIT_REACHED, CAP_BELOW_MEMBER_COUNT, OWNER_CANNOT_LEAVE, PASSCODE_LIMIT_REACHED, JOINS_PAUSED,
          ALREADY_CLAIMED -> CONFLICT;
      // The sender's account does not allow it now (balance, freeze, limit): a state of the sender like
      // QUOTA_EXCEEDED, so 409. Not 402, which RFC 9110 reserves without defining what it means.
      case WALLET_DECLINED -> CONFLICT;
      case RATE_LIMITED, SLOW_MODE -> TOO_MANY_REQUESTS;
      // The policy or the platform's hook could not decide: nothing changed, retry later.
      case POLICY_FAILED, JOIN_HOOK_FAILED -> UNAVAILABLE;
      // The store failed: the outcome is unknown, retry with the same idempotency key.
      case STORE_UNAVAILABLE -> UNAVAILABLE;
    };
  }
}
