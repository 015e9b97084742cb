package io.fangroups.core.internal.format;

import io.fangroups.core.Family;
import io.fangroups.core.GroupId;
import io.fangroups.core.UserId;
import io.fangroups.core.passcode.PasscodeId;
import io.fangroups.core.passcode.PasscodeInfo;
import java.time.Instant;

/** The events of the streams beside a group's own: a creator's groups, families and passcodes. */
public final class StoreRecords {
  private StoreRecords() {}

  /** {@code creator/<id>}: the user was given a group, by creating it or by a transfer. */
  public record GroupAssigned(GroupId group) {}

  /** {@code creator/<id>}: the user no longer owns the group: it was disbanded or transferred. */
  public record GroupReleased(GroupId group) {}

  /** {@code family/<id>}: the family was created. */
  public record FamilyCreated(Family family) {}

  /** {@code family/<id>}: a passcode for the family was issued. */
  public record PasscodeAdded(PasscodeId passcode) {}

  /** {@code passcode/<id>}: the code was issued; {@code digest} is its HMAC, {@code target} its group or family key. */
  public record PasscodeIssued(PasscodeInfo info, String digest, String target) {}

  /** {@code passcode/<id>}: the code admitted {@code user} (or created their request). */
  public record PasscodeUsed(UserId user) {}

  /** {@code passcode/<id>}: the code was revoked. */
  public record PasscodeRevoked(Instant at) {}

  /** {@code idem/<hash>}: attempt {@code token} of a keyed command started, at {@code at} on the wall clock. */
  public record CommandStarted(String fingerprint, String token, Instant at) {}

  /** {@code idem/<hash>}: a change of attempt {@code token} was written, in the same append as the change. */
  public record CommandLanded(String token) {}

  /** {@code idem/<hash>}: the keyed command finished; {@code result} is its result as stored JSON. */
  public record CommandFinished(String fingerprint, String result) {}

  /** {@code idem/<hash>}: the attempt ended after a change of it landed, but its result was lost to a store failure. */
  public record CommandUnknown(String fingerprint) {}

  /** {@code idem/<hash>}: the keyed command failed and changed nothing; a retry runs it again. */
  public record CommandFailed(String fingerprint) {}
}
