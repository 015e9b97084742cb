package io.fangroups.core.passcode;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.FamilyId;
import io.fangroups.core.GroupId;
import io.fangroups.core.internal.Checks;
import java.time.Duration;
import java.util.Optional;

/**
 * What a new passcode does: its target (a group or a creator's family), label, lifetime, use limit,
 * mode and length profile.
 *
 * @param group the group it admits to; exactly one of group and family is present
 * @param family the family it admits to (the first group with a seat whose policy admits)
 * @param label a note for the owner, up to 32 characters, may be empty
 * @param lifetime from 1 hour to 365 days; empty for a code that never expires
 * @param maxUses 0 for unlimited, else 1 to 100,000
 * @param mode follow the group's join mode (the default), join directly (JOIN), or create a request
 * @param profile STANDARD, or SHORT for a group target only
 */
public record PasscodeSpec(Optional<GroupId> group, Optional<FamilyId> family, String label, Optional<Duration> lifetime,
    int maxUses, PasscodeMode mode, PasscodeProfile profile) {

  /** The default lifetime. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(7);
  /** The largest use limit. */
  public static final int MAX_USES = 100_000;

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public PasscodeSpec {
    Checks.notNull(group, "group");
    Checks.notNull(family, "family");
    if (group.isPresent() == family.isPresent()) {
      throw Checks.invalid("a passcode targets exactly one group or one family");
    }
    Checks.notNull(label, "label");
    if (!label.isEmpty()) {
      label = Checks.text(label, "label", 32);
    }
    Checks.notNull(lifetime, "lifetime");
    lifetime.ifPresent(d -> {
      if (d.compareTo(Duration.ofHours(1)) < 0 || d.compareTo(Duration.ofDays(365)) > 0) {
        throw Checks.invalid("a passcode lives from 1 hour to 365 days (or never), got " + d);
      }
    });
    if (maxUses < 0 || maxUses > MAX_USES) {
      throw Checks.invalid("maxUses must be 0 (unlimited) to " + MAX_USES + ", got " + maxUses);
    }
    Checks.notNull(mode, "mode");
    Checks.notNull(profile, "profile");
    if (profile == PasscodeProfile.SHORT && family.isPresent()) {
      throw Checks.invalid("SHORT codes are only for a single group, checked against that group");
    }
  }

  /** A builder for a code admitting to {@code group}. */
  public static Builder forGroup(GroupId group) {
    return new Builder(Checks.notNull(group, "group"), null);
  }

  /** A builder for a code admitting to {@code family}. */
  public static Builder forFamily(FamilyId family) {
    return new Builder(null, Checks.notNull(family, "family"));
  }

  /** Builds a {@link PasscodeSpec}: 7 days, unlimited uses, FOLLOW_JOIN_MODE, STANDARD unless set. */
  public static final class Builder {
    private final GroupId group;
    private final FamilyId family;
    private String label = "";
    private Optional<Duration> lifetime = Optional.of(DEFAULT_LIFETIME);
    private int maxUses;
    private PasscodeMode mode = PasscodeMode.FOLLOW_JOIN_MODE;
    private PasscodeProfile profile = PasscodeProfile.STANDARD;

    private Builder(GroupId group, FamilyId family) {
      this.group = group;
      this.family = family;
    }

    /** A note for the owner, up to 32 characters. */
    public Builder label(String label) {
      this.label = label;
      return this;
    }

    /** How long the code admits, 1 hour to 365 days. */
    public Builder lifetime(Duration lifetime) {
      this.lifetime = Optional.of(Checks.notNull(lifetime, "lifetime"));
      return this;
    }

    /** The code never expires (revoke it when done). */
    public Builder neverExpires() {
      this.lifetime = Optional.empty();
      return this;
    }

    /** 0 for unlimited, else 1 to 100,000. */
    public Builder maxUses(int maxUses) {
      this.maxUses = maxUses;
      return this;
    }

    /**
     * FOLLOW_JOIN_MODE (the default: a request in an APPROVAL group, a join otherwise), JOIN (join at
     * once even in an APPROVAL group; needs APPROVE_REQUESTS) or REQUEST (always a request).
     */
    public Builder mode(PasscodeMode mode) {
      this.mode = mode;
      return this;
    }

    /** STANDARD, or SHORT for a group checked against one known group. */
    public Builder profile(PasscodeProfile profile) {
      this.profile = profile;
      return this;
    }

    /** Validates and builds; {@link ErrorCode#INVALID_ARGUMENT} for a bad value. */
    public PasscodeSpec build() {
      return new PasscodeSpec(Optional.ofNullable(group), Optional.ofNullable(family), label, lifetime, maxUses, mode,
          profile);
    }
  }
}
