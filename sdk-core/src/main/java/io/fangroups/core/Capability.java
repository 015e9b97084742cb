package io.fangroups.core;

/** What a role allows its holder to do in a group. */
public enum Capability {
  /** Approve or reject join requests. */
  APPROVE_REQUESTS,
  /** Add a user directly, bypassing the admission policy (never the cap or a ban). */
  ADD_MEMBERS,
  /** Create, revoke and reset passcodes. */
  MANAGE_PASSCODES,
  /** Remove a member of lower rank. */
  KICK,
  /** Ban and unban users of lower rank. */
  BAN,
  /** Mute and unmute members of lower rank. */
  MUTE,
  /** Post product-link cards. */
  POST_PRODUCT_LINK,
  /** Forward video and preview cards. */
  FORWARD_CONTENT,
  /** Send red packets. */
  SEND_RED_PACKET,
  /** Change name, cap, join mode, admission policy, family and pause. */
  EDIT_SETTINGS,
  /** Appoint and dismiss admins. Owner only by default. */
  APPOINT_ADMINS,
  /** Hand the group to another member. Owner only, always. */
  TRANSFER_OWNERSHIP,
  /** Disband the group. Owner only, always. */
  DISBAND
}
