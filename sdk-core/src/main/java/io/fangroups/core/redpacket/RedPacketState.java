package io.fangroups.core.redpacket;

/** Where a red packet is in its life. */
public enum RedPacketState {
  /** Shares are left and its lifetime has not run out. */
  OPEN,
  /** Every share was claimed. */
  EMPTIED,
  /** Its lifetime ran out with shares left; the refund of the remainder is not recorded yet. */
  EXPIRED,
  /** The remainder was returned to the sender: the packet expired, or its group was disbanded. */
  REFUNDED
}
