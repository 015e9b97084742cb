package io.fangroups.core.passcode;

import io.fangroups.core.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * A passcode record as the owner sees it. The code itself is not here: only its HMAC is stored.
 *
 * @param id the record
 * @param spec target, label, lifetime, use limit, mode (whether it admits at once in an APPROVAL group), profile
 * @param creator the group's owner or the family's creator when it was made
 * @param createdBy who made it
 * @param createdAt when
 * @param expiresAt when it stops admitting; empty for never
 * @param uses joins or requests it has made
 * @param revokedAt when it was revoked, if it was
 * @param keyId the id of the server key its HMAC was made with
 */
public record PasscodeInfo(PasscodeId id, PasscodeSpec spec, UserId creator, UserId createdBy, Instant createdAt,
    Optional<Instant> expiresAt, int uses, Optional<Instant> revokedAt, String keyId) {

  /** Whether it still admits at {@code now}: not revoked, not expired, uses left. */
  public boolean isLiveAt(Instant now) {
    return revokedAt.isEmpty() && !isExpiredAt(now) && !isExhausted();
  }

  /** Whether its lifetime has run out at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return expiresAt.isPresent() && !now.isBefore(expiresAt.get());
  }

  /** Whether its use limit is reached. */
  public boolean isExhausted() {
    return spec.maxUses() > 0 && uses >= spec.maxUses();
  }

  /** Uses left; {@link Integer#MAX_VALUE} when unlimited. */
  public int usesLeft() {
    return spec.maxUses() == 0 ? Integer.MAX_VALUE : Math.max(0, spec.maxUses() - uses);
  }

  public PasscodeInfo used() {
    return new PasscodeInfo(id, spec, creator, createdBy, createdAt, expiresAt, uses + 1, revokedAt, keyId);
  }

  public PasscodeInfo revoked(Instant at) {
    return new PasscodeInfo(id, spec, creator, createdBy, createdAt, expiresAt, uses, Optional.of(at), keyId);
  }
}
