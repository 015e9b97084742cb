package io.fangroups.core;

import io.fangroups.core.internal.Checks;

/**
 * A creator's family of groups: the apply button may target the family, and the user lands in the
 * first group, in creation order, with a free seat whose policy admits them.
 *
 * @param id the family
 * @param creator its owner
 * @param name a label, 1 to 64 characters
 */
public record Family(FamilyId id, UserId creator, String name) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public Family {
    Checks.notNull(id, "id");
    Checks.notNull(creator, "creator");
    name = Checks.text(name, "name", 64);
  }
}
