package io.fangroups.core.internal;

import io.fangroups.core.Capability;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Who may do what in a group: the roles' capabilities (as configured) and the rank rules. */
public final class Permissions {
  private final Map<Role, Set<Capability>> capabilities = new EnumMap<>(Role.class);

  public Permissions(Map<Role, Set<Capability>> configured) {
    for (Role role : Role.values()) {
      capabilities.put(role, configured.getOrDefault(role, role.defaultCapabilities()));
    }
  }

  /** The actor's role, if it has {@code capability} in an active group; NOT_PERMITTED otherwise. */
  public Role require(GroupState state, UserId actor, Capability capability) {
    requireActive(state);
    Role role = state.roleOf(actor).orElseThrow(() -> new FanGroupsException(ErrorCode.NOT_PERMITTED,
        actor + " is not a member of " + state.id + " and cannot " + capability));
    if (!capabilities.get(role).contains(capability)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, actor + " is " + role + " of " + state.id
          + " and lacks " + capability);
    }
    return role;
  }

  /** Whether the user holds {@code capability} in the group now. */
  public boolean has(GroupState state, UserId user, Capability capability) {
    return state.status == GroupStatus.ACTIVE
        && state.roleOf(user).map(r -> capabilities.get(r).contains(capability)).orElse(false);
  }

  public static void requireActive(GroupState state) {
    if (state.status != GroupStatus.ACTIVE) {
      throw new FanGroupsException(ErrorCode.GROUP_DISBANDED, "group " + state.id + " was disbanded");
    }
  }

  /** The member's role; NOT_A_MEMBER when they are not one. */
  public static Role targetRole(GroupState state, UserId user) {
    return state.roleOf(user).orElseThrow(
        () -> new FanGroupsException(ErrorCode.NOT_A_MEMBER, user + " is not a member of " + state.id));
  }

  /** Nobody acts on an equal or higher rank. */
  public static void requireOutranks(Role actor, Role target, UserId targetUser) {
    if (!actor.outranks(target)) {
      throw new FanGroupsException(ErrorCode.NOT_PERMITTED, "a " + actor + " cannot act on " + targetUser
          + ", who is " + target);
    }
  }

  /** Bans and lifts may name non-members; a member must rank below the actor. Returns whether a member. */
  public static boolean requireOutranksIfMember(GroupState state, Role actor, UserId user) {
    Optional<Role> target = state.roleOf(user);
    target.ifPresent(role -> requireOutranks(actor, role, user));
    return target.isPresent();
  }
}
