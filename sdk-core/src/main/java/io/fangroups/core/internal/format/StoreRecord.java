package io.fangroups.core.internal.format;

import io.fangroups.core.Family;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import io.fangroups.core.redpacket.RedPacketId;
import java.time.Instant;

/**
 * The events of the streams beside a group's own: a creator's groups, families, passcodes,
 * keyed commands' idempotency records and the relay's parked deliveries. A closed set;
 * {@link WireFormat} writes and reads each one.
 */
public sealed interface StoreRecord {

  /** {@code creator/<id>}: the user was given a group, by creating it or by a transfer. */
  record GroupAssigned(GroupId group) implements StoreRecord {}

  /** {@code creator/<id>}: the user no longer owns the group: it was disbanded or transferred. */
  record GroupReleased(GroupId group) implements StoreRecord {}

  /** {@code family/<id>}: the family was created. */
  record FamilyCreated(Family family) implements StoreRecord {}

  /** {@code family/<id>}: a passcode for the family was issued. */
  record PasscodeAdded(PasscodeId passcode) implements StoreRecord {}

  /** {@code passcode/<id>}: the code was issued; {@code digest} is its HMAC, {@code target} its group or family key. */
  record PasscodeIssued(PasscodeInfo info, String digest, String target) implements StoreRecord {}

  /** {@code passcode/<id>}: the code admitted {@code user} (or created their request). */
  record PasscodeUsed(UserId user) implements StoreRecord {}

  /** {@code passcode/<id>}: the code was revoked. */
  record PasscodeRevoked(Instant at) implements StoreRecord {}

  /** {@code idem/<hash>}: attempt {@code token} of a keyed command started, at {@code at} on the wall clock. */
  record CommandStarted(String fingerprint, String token, Instant at) implements StoreRecord {}

  /** {@code idem/<hash>}: a change of attempt {@code token} was written, in the same append as the change. */
  record CommandLanded(String token) implements StoreRecord {}

  /** {@code idem/<hash>}: the keyed command finished; {@code result} is its result as stored JSON. */
  record CommandFinished(String fingerprint, String result) implements StoreRecord {}

  /** {@code idem/<hash>}: the attempt ended after a change of it landed, but its result was lost to a store failure. */
  record CommandUnknown(String fingerprint) implements StoreRecord {}

  /** {@code idem/<hash>}: the keyed command failed and changed nothing; a retry runs it again. */
  record CommandFailed(String fingerprint) implements StoreRecord {}

  /** A join request of {@code group} falls due when its stream's name says (the due-request index). */
  record RequestDue(GroupId group) implements StoreRecord {}

  /** A red packet of {@code group} expires when its stream's name says (the due-packet index). */
  record RedPacketDue(GroupId group, RedPacketId packet) implements StoreRecord {}

  /**
   * {@code rp-hold/<packet>}: a send is about to ask the wallet to hold {@code amount} from
   * {@code sender}, at {@code at} on the SDK clock. Deleted once the packet is recorded or the hold
   * released; one left behind (the sending process died) is released by the red-packet sweep.
   */
  record HoldStarted(GroupId group, RedPacketId packet, UserId sender, long amount, String currency, Instant at)
      implements StoreRecord {}

  /**
   * {@code parked/<destination>/<group>/<sequence>}: the relay gave up delivering the group's event
   * to {@code destination} after {@code attempts} failed attempts, the last one failing with
   * {@code errorClass: errorMessage}. {@code type} and {@code payload} are a copy of the event as
   * stored, so it can still be delivered after the group's stream dropped it.
   */
  record DeliveryParked(String destination, GroupId group, long sequence, String type, String payload, int attempts,
      String errorClass, String errorMessage, Instant parkedAt) implements StoreRecord {}
}
