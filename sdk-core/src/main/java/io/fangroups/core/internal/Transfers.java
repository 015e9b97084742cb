package io.fangroups.core.internal;

import io.fangroups.core.redpacket.RedPacketId;

/**
 * The wallet transfer ids of a red packet. Derived from the packet (and the claim), never random,
 * so every retry of a transfer, in any process, names the same one and the wallet applies it once.
 */
public final class Transfers {
  private Transfers() {}

  /** The hold taken when the packet is sent. */
  public static String hold(RedPacketId packet) {
    return "rp/" + packet.value() + "/hold";
  }

  /** The payment of the packet's {@code number}-th claim (from 1). */
  public static String claim(RedPacketId packet, int number) {
    return "rp/" + packet.value() + "/claim/" + number;
  }

  /** The release of what nobody claimed (or of the whole hold, when the packet was never recorded). */
  public static String release(RedPacketId packet) {
    return "rp/" + packet.value() + "/release";
  }
}
