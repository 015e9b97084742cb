package io.fangroups.core;

import io.fangroups.core.content.MessageContent;

/**
 * Stable codes for every situation in which the SDK refuses a command. Codes never change meaning
 * once released; hosts may map them to HTTP statuses or localised messages.
 */
public enum ErrorCode {
  /** An argument was null, blank, too long, out of range or malformed. Fix the call. */
  INVALID_ARGUMENT,
  /** No group has this id (or it was never created on this store). */
  GROUP_NOT_FOUND,
  /** No family has this id. */
  FAMILY_NOT_FOUND,
  /** No join request has this id. */
  REQUEST_NOT_FOUND,
  /** The group was disbanded; it accepts no further commands. */
  GROUP_DISBANDED,
  /** The actor (or the target user) is not a member of the group. */
  NOT_A_MEMBER,
  /** The actor lacks the capability for this command, or outranks nobody it tries to act on. */
  NOT_PERMITTED,
  /** The user is already a member of the group (or, for a family, of one of its groups). */
  ALREADY_MEMBER,
  /** The user is banned from the group until the instant given in the message. */
  BANNED,
  /** The group has reached its member cap. */
  GROUP_FULL,
  /** Every group of the family that could admit the user is full. */
  FAMILY_FULL,
  /** The user already has a pending join request for this group (or family). */
  REQUEST_ALREADY_PENDING,
  /** The join request was already approved, rejected, withdrawn, cancelled or has expired. */
  REQUEST_NOT_PENDING,
  /** The group's admission policy denies this user; the exception carries the decision. */
  NOT_ELIGIBLE,
  /** The admission policy failed to decide (it threw); nothing was changed. Fail-closed. */
  POLICY_FAILED,
  /** The host's pre-join hook timed out or failed and its failure mode is REJECT; nothing changed, retry later. */
  JOIN_HOOK_FAILED,
  /** The group's join mode is CLOSED. */
  JOINS_CLOSED,
  /** Joins are paused until the instant given in the message. */
  JOINS_PAUSED,
  /** The group does not accept joins through this path (for example a button on a passcode-only group). */
  JOIN_MODE_MISMATCH,
  /** The creator already owns the maximum number of active groups. */
  QUOTA_EXCEEDED,
  /** The group already has the maximum number of admins. */
  ADMIN_LIMIT_REACHED,
  /** The new cap is below the group's current member count. */
  CAP_BELOW_MEMBER_COUNT,
  /** The owner cannot leave; transfer ownership or disband instead. (Acting on the owner is NOT_PERMITTED.) */
  OWNER_CANNOT_LEAVE,
  /** The idempotency key was already used by this actor for a different command. */
  IDEMPOTENCY_KEY_REUSED,
  /** No passcode could be read from the pasted text (no lookup was spent on it; the attempt counts). */
  PASSCODE_MALFORMED,
  /** No live record has this passcode (or it belongs to another group than the one asked about). */
  PASSCODE_NOT_FOUND,
  /** The passcode's lifetime ran out. */
  PASSCODE_EXPIRED,
  /** The passcode was revoked (or reset). */
  PASSCODE_REVOKED,
  /** The passcode's use limit is reached. */
  PASSCODE_EXHAUSTED,
  /** The target already has the maximum number of live passcodes; revoke one first. */
  PASSCODE_LIMIT_REACHED,
  /** Too many passcode attempts from this user, device or address; the message says until when. */
  RATE_LIMITED,
  /** The sender is muted in this group until the instant given in the message; a mute survives leaving and rejoining. */
  MUTED,
  /** Slow mode is on and the sender posted too recently; the message says when they may post again. */
  SLOW_MODE,
  /** A message body has more than {@link MessageContent#MAX_BODY_LENGTH} characters (code points) after trimming. */
  MESSAGE_TOO_LONG,
  /**
   * A link is not an absolute {@code http} or {@code https} URL with a host, of at most
   * {@link MessageContent#MAX_URL_LENGTH} characters, without user info, whitespace or control characters.
   */
  INVALID_URL,
  /** No red packet has this id. */
  RED_PACKET_NOT_FOUND,
  /** Every share of the red packet was claimed. */
  RED_PACKET_EMPTY,
  /** The red packet's lifetime ran out (or its group was disbanded); what was left returns to the sender. */
  RED_PACKET_EXPIRED,
  /** The user already claimed this red packet; the message says how much. A retry with the same idempotency key returns the claim instead. */
  ALREADY_CLAIMED,
  /** The phrase typed does not match the phrase packet's. */
  WRONG_PHRASE,
  /** The host's wallet declined to hold the red packet's money (the balance, a frozen account, a limit); nothing was sent. */
  WALLET_DECLINED,
  /**
   * The group store failed (a database down or timing out) or stayed contended. The command's
   * outcome is unknown: retry it with the same idempotency key, or read the state before acting.
   */
  STORE_UNAVAILABLE
}
