package io.fangroups.core;

import io.fangroups.core.admission.AdmissionPolicy;
import io.fangroups.core.internal.Checks;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an owner configures for a group. Immutable; change it with {@link #toBuilder()}.
 *
 * @param name 1 to 64 characters, shown on the creator's profile
 * @param cap the member cap, owner included: 200 or 500 as on Douyin, or any value in
 *     [{@value #MIN_CAP}, {@value #MAX_CAP}]
 * @param joinMode how users get in
 * @param pausedUntil while the clock is before this instant, applications are refused with
 *     JOINS_PAUSED (raid control); approvals and admin adds still work
 * @param policy the admission policy consulted on apply and on approval
 * @param family the creator's family this group belongs to, if any
 */
public record GroupSettings(String name, int cap, JoinMode joinMode, Optional<Instant> pausedUntil,
    AdmissionPolicy policy, Optional<FamilyId> family) {

  /** The smallest allowed cap. */
  public static final int MIN_CAP = 2;
  /** The largest allowed cap. */
  public static final int MAX_CAP = 2000;
  /** Douyin's small group. */
  public static final int CAP_200 = 200;
  /** Douyin's large group. */
  public static final int CAP_500 = 500;

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public GroupSettings {
    name = Checks.text(name, "name", 64);
    if (cap < MIN_CAP || cap > MAX_CAP) {
      throw Checks.invalid("cap must be between " + MIN_CAP + " and " + MAX_CAP + ", got " + cap);
    }
    Checks.notNull(joinMode, "joinMode");
    Checks.notNull(pausedUntil, "pausedUntil");
    Checks.notNull(policy, "policy");
    Checks.notNull(family, "family");
  }

  /** Settings with the given name and cap: OPEN, not paused, everyone allowed, no family. */
  public static GroupSettings of(String name, int cap) {
    return builder().name(name).cap(cap).build();
  }

  /** A builder with OPEN, cap 200, allow-all and no pause; the name must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.cap = cap;
    b.joinMode = joinMode;
    b.pausedUntil = pausedUntil.orElse(null);
    b.policy = policy;
    b.family = family.orElse(null);
    return b;
  }

  /** Whether applications are paused at {@code now}. */
  public boolean pausedAt(Instant now) {
    return pausedUntil.isPresent() && now.isBefore(pausedUntil.get());
  }

  /** Builds {@link GroupSettings}; {@link #build()} validates. */
  public static final class Builder {
    private String name;
    private int cap = CAP_200;
    private JoinMode joinMode = JoinMode.OPEN;
    private @Nullable Instant pausedUntil;
    private AdmissionPolicy policy = AdmissionPolicy.allowAll();
    private @Nullable FamilyId family;

    private Builder() {}

    /** The group's name, 1 to 64 characters. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** The member cap, owner included. */
    public Builder cap(int cap) {
      this.cap = cap;
      return this;
    }

    /** How users get in. */
    public Builder joinMode(JoinMode joinMode) {
      this.joinMode = joinMode;
      return this;
    }

    /** Pauses applications until {@code until}; null clears the pause. */
    public Builder pausedUntil(@Nullable Instant until) {
      this.pausedUntil = until;
      return this;
    }

    /** The admission policy consulted on apply and approval. */
    public Builder policy(AdmissionPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** Puts the group in a family; null takes it out. */
    public Builder family(@Nullable FamilyId family) {
      this.family = family;
      return this;
    }

    /** Validates and builds; {@link ErrorCode#INVALID_ARGUMENT} for a bad value. */
    public GroupSettings build() {
      return new GroupSettings(name, cap, joinMode, Optional.ofNullable(pausedUntil), policy, Optional.ofNullable(family));
    }
  }
}
