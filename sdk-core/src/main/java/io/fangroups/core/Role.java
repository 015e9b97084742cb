package io.fangroups.core;

import java.util.EnumSet;
import java.util.Set;

/** A member's role. Roles are ranked: OWNER outranks ADMIN outranks MEMBER. */
public enum Role {
  /** A fan in the group. */
  MEMBER(EnumSet.of(Capability.SEND_RED_PACKET)),
  /** Appointed by the owner to help run the group. */
  ADMIN(EnumSet.of(Capability.APPROVE_REQUESTS, Capability.ADD_MEMBERS, Capability.MANAGE_PASSCODES,
      Capability.KICK, Capability.BAN, Capability.MUTE, Capability.POST_PRODUCT_LINK,
      Capability.FORWARD_CONTENT, Capability.SEND_RED_PACKET)),
  /** The creator who owns the group; has every capability. */
  OWNER(EnumSet.allOf(Capability.class));

  private final Set<Capability> defaults;

  Role(EnumSet<Capability> defaults) {
    this.defaults = Set.copyOf(defaults);
  }

  /** The capabilities this role has unless the SDK builder overrides them. */
  public Set<Capability> defaultCapabilities() {
    return defaults;
  }

  /** Whether this role ranks strictly above {@code other}. */
  public boolean outranks(Role other) {
    return compareTo(other) > 0;
  }
}
