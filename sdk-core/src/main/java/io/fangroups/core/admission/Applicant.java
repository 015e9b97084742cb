package io.fangroups.core.admission;

import io.fangroups.core.ErrorCode;
import io.fangroups.core.GroupId;
import io.fangroups.core.JoinSource;
import io.fangroups.core.UserId;
import io.fangroups.core.internal.Checks;
import io.fangroups.spi.FactSource.UserFacts;
import io.fangroups.spi.FactSource;
import java.time.Instant;

/**
 * What an admission policy is asked about: this user, joining this creator's group, now.
 *
 * @param user the applicant
 * @param group the group being joined
 * @param creator the group's owner
 * @param source the path the user came through
 * @param stage apply or approval
 * @param at the SDK clock's instant
 * @param facts the facts the policy asked for ({@link AdmissionPolicy#requiredFacts()}), fetched from
 *     the host's {@link FactSource}; anything missing or failed is unknown
 */
public record Applicant(UserId user, GroupId group, UserId creator, JoinSource source, AdmissionStage stage, Instant at,
    UserFacts facts) {
  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public Applicant {
    Checks.notNull(user, "user");
    Checks.notNull(group, "group");
    Checks.notNull(creator, "creator");
    Checks.notNull(source, "source");
    Checks.notNull(stage, "stage");
    Checks.notNull(at, "at");
    Checks.notNull(facts, "facts");
  }
}
