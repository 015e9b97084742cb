package io.fangroups.core.redpacket;

/** How a red packet is split and who may claim it. */
public enum RedPacketKind {
  /** 拼手气: random shares, decided when the packet is sent; every share at least the minimum. */
  LUCKY,
  /** 普通: every share the same; the amount is the share times the count. */
  EQUAL,
  /** 专属: one share, for one named member. */
  EXCLUSIVE,
  /** 口令: random shares like LUCKY, claimed by typing the packet's phrase. */
  PHRASE
}
