package io.fangroups.core.event;

import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinRequest;
import io.fangroups.core.Member;
import io.fangroups.core.RequestId;
import io.fangroups.core.RequestStatus;
import io.fangroups.core.Role;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionDecision;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What changed in a group: the payload of a {@link GroupEvent}. A closed set; switch over it with
 * {@code instanceof}. New kinds may be added in minor versions, so keep a default branch.
 */
public sealed interface GroupChange {

  /** The group was created; {@code owner} is its first member. */
  record GroupCreated(UserId owner, GroupSettings settings) implements GroupChange {}

  /** The owner or an admin changed the settings (including pausing joins). */
  record SettingsChanged(GroupSettings settings) implements GroupChange {}

  /** A user applied; the request is pending. */
  record RequestSubmitted(JoinRequest request) implements GroupChange {}

  /** A pending request reached a terminal state (approved, rejected, expired, withdrawn, cancelled). */
  record RequestHandled(RequestId request, UserId applicant, RequestStatus status) implements GroupChange {}

  /** A user became a member; {@code decision} is what admitted them (an admin add is an ALLOW). */
  record MemberJoined(Member member, AdmissionDecision decision) implements GroupChange {}

  /** A member left the group: by leaving, by being kicked, or by being banned. */
  record MemberLeft(UserId user, Departure how) implements GroupChange {}

  /** A user was banned until {@code until} ({@link Instant#MAX} for ever). */
  record UserBanned(UserId user, Instant until) implements GroupChange {}

  /** A ban was lifted before it ran out. */
  record UserUnbanned(UserId user) implements GroupChange {}

  /** A user was muted until {@code until}; a mute survives leaving and rejoining. */
  record UserMuted(UserId user, Instant until) implements GroupChange {}

  /** A mute was lifted before it ran out. */
  record UserUnmuted(UserId user) implements GroupChange {}

  /** A member's role changed between ADMIN and MEMBER. */
  record RoleChanged(UserId user, Role from, Role to) implements GroupChange {}

  /** Ownership moved; the previous owner became an admin or, at the admin limit, a member. */
  record OwnershipTransferred(UserId from, UserId to, Role previousOwnerRole) implements GroupChange {}

  /** A passcode for this group was made (the record only; the code is never in an event). */
  record PasscodeCreated(PasscodeInfo passcode) implements GroupChange {}

  /** A passcode for this group was revoked (or reset, which revokes and makes a new one). */
  record PasscodeRevoked(PasscodeId passcode) implements GroupChange {}

  /**
   * A member posted a message. The event log is the outbox: a relay delivers these through the
   * host's message transport.
   */
  record MessagePosted(GroupMessage message) implements GroupChange {}

  /** The owner or an admin set slow mode: one message per {@code interval} per plain member ({@link Duration#ZERO}: off). */
  record SlowModeChanged(Duration interval) implements GroupChange {}

  /**
   * A member sent a red packet; its amount is held in the host's wallet (transfer
   * {@code rp/<packet>/hold}). {@code shares} is the split, decided when it was sent: the n-th claim
   * gets the n-th share.
   */
  record RedPacketSent(RedPacketId packet, UserId sender, RedPacketSpec spec, Instant expiresAt, List<Long> shares)
      implements GroupChange {
    /** Copies the shares. */
    public RedPacketSent {
      shares = List.copyOf(shares);
    }
  }

  /** A member claimed the {@code number}-th share of a red packet; the wallet pays it (transfer {@code rp/<packet>/claim/<number>}). */
  record RedPacketClaimed(RedPacketId packet, UserId user, int number, long amount, String currency) implements GroupChange {}

  /**
   * What nobody claimed returns to the sender (transfer {@code rp/<packet>/release}): the packet
   * expired, or its group was disbanded; the attribution's reason says which.
   */
  record RedPacketRefunded(RedPacketId packet, UserId sender, long amount, String currency) implements GroupChange {}

  /** The group was disbanded; it takes no further commands. */
  record GroupDisbanded() implements GroupChange {}

  /** How a member left. */
  enum Departure {
    /** Left of their own accord. */
    LEFT,
    /** Removed by an owner or admin. */
    KICKED,
    /** Removed by a ban. */
    BANNED
  }
}
