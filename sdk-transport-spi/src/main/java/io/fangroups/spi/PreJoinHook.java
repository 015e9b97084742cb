package io.fangroups.spi;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The host's say before a user joins, like Tencent IM's "before apply" callback: the host's
 * backend may veto an application (a risk-control hit, an unpaid fan club) or send it to review.
 * It is asked after the group's admission policy has not denied, for applications through the
 * button, an invite, a family or a passcode; an admin adding a member is not asked.
 *
 * <p>Contract:
 * <ol>
 *   <li>Asynchronous: {@link #beforeJoin} returns at once; the SDK waits up to its configured
 *       timeout. On timeout, a failed stage or a throw, the SDK applies its configured failure
 *       mode, fail-closed by default: the application is refused with {@code JOIN_HOOK_FAILED}
 *       and nothing changes.
 *   <li>Idempotent and side-effect free from the SDK's point of view: it may be asked again for
 *       the same user and group (a retry), and an ALLOW does not promise the join happens (the group
 *       may be full).
 *   <li>When the host's own backend fails, fail the stage rather than decide: the SDK's configured
 *       failure mode then applies. Never return null.
 *   <li>Thread-safe.
 * </ol>
 */
@FunctionalInterface
public interface PreJoinHook {

  /** Decides about one application. */
  CompletionStage<Verdict> beforeJoin(JoinAttempt attempt);

  /**
   * An application the host is asked about.
   *
   * @param groupId the group
   * @param creatorId its owner
   * @param userId the applicant
   * @param path {@code button}, {@code invite} or {@code passcode}
   */
  record JoinAttempt(String groupId, String creatorId, String userId, String path) {
    /** Checks the components are not null. */
    public JoinAttempt {
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(creatorId, "creatorId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * The host's answer.
   *
   * @param outcome allow, review or deny
   * @param reason a short reason safe to show the applicant; may be empty
   */
  record Verdict(Outcome outcome, String reason) {
    /** Checks the components are not null. */
    public Verdict {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
    }

    /** No objection. */
    public static Verdict allow() {
      return new Verdict(Outcome.ALLOW, "");
    }
  }

  /** What the host wants. */
  enum Outcome {
    /** No objection: the policy's decision stands. */
    ALLOW,
    /** The owner must approve, even where the policy would admit at once. */
    REVIEW,
    /** Refuse the application. */
    DENY
  }

  /** What the SDK does when the hook times out or fails. */
  enum FailureMode {
    /** Refuse the application with {@code JOIN_HOOK_FAILED} (fail-closed). The default. */
    REJECT,
    /** Let the owner decide: the application becomes a join request. */
    REVIEW,
    /** Proceed as if the hook had allowed (fail-open). */
    ALLOW
  }
}
