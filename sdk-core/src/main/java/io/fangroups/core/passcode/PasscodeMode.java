package io.fangroups.core.passcode;

import io.fangroups.core.JoinMode;

/**
 * What redeeming a passcode does once the code is live and the admission policy allows. A passcode,
 * like the apply button, applies to the group's owner (向群主申请入群): by default it follows the
 * group's join mode, so in an APPROVAL group it makes a request the owner approves.
 *
 * <p>Every mode takes one use of the code when the fan joins or the request is made, in the same
 * append. In a family, the code goes to the family's groups in order, and each group's join mode
 * decides as for a code made for that group.
 *
 * <p>Stored codes keep the meaning they were made with: {@link #JOIN} was the default before
 * {@link #FOLLOW_JOIN_MODE} existed and still admits at once, also in an APPROVAL group.
 */
public enum PasscodeMode {
  /**
   * The default: as the group's join mode says. In an OPEN or PASSCODE_ONLY group the fan joins at
   * once (a REVIEW verdict still makes a request); in an APPROVAL group the fan gets a pending
   * request attributed to the code, like the apply button.
   */
  FOLLOW_JOIN_MODE,
  /**
   * The fan joins at once whatever the join mode, also in an APPROVAL group (a REVIEW verdict still
   * makes a request): the owner's explicit choice to let this code skip approval. Making a JOIN code
   * for a group needs APPROVE_REQUESTS as well as MANAGE_PASSCODES.
   */
  JOIN,
  /** The fan gets a pending join request whatever the join mode, like the apply button in an APPROVAL group. */
  REQUEST;

  /**
   * Whether a fan the admission policy allows joins at once through a code of this mode in a group
   * with {@code joinMode}, rather than getting a request. A CLOSED group refuses every code.
   */
  public boolean admitsAtOnceIn(JoinMode joinMode) {
    return switch (this) {
      case FOLLOW_JOIN_MODE -> joinMode == JoinMode.OPEN || joinMode == JoinMode.PASSCODE_ONLY;
      case JOIN -> joinMode != JoinMode.CLOSED;
      case REQUEST -> false;
    };
  }
}
