package io.fangroups.core.event;

import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.JoinSource;
import io.fangroups.core.RequestId;
import io.fangroups.core.UserId;
import io.fangroups.core.internal.Checks;
import io.fangroups.core.passcode.PasscodeId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who or what caused a change: the actor (empty for the system, such as request expiry), the join
 * request and the path involved, the actor's reason and the command's idempotency key.
 *
 * @param actor the user who issued the command; empty for system changes
 * @param request the join request involved, if any
 * @param source the join path involved, if any
 * @param reason the actor's (or system's) reason, if given
 * @param idempotencyKey the command's idempotency key, if given
 * @param passcode the passcode redeemed, if any
 */
public record Attribution(Optional<UserId> actor, Optional<RequestId> request, Optional<JoinSource> source,
    Optional<String> reason, Optional<String> idempotencyKey, Optional<PasscodeId> passcode) {

  /** One optional per source, shared: every join's event carries one. */
  private static final Map<JoinSource, Optional<JoinSource>> SOURCES = new EnumMap<>(JoinSource.class);

  static {
    for (JoinSource s : JoinSource.values()) {
      SOURCES.put(s, Optional.of(s));
    }
  }

  private static final Attribution SYSTEM = new Attribution(Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty());

  /** Validates the components: {@link ErrorCode#INVALID_ARGUMENT} for a null or bad value. */
  public Attribution {
    Checks.notNull(actor, "actor");
    Checks.notNull(request, "request");
    Checks.notNull(source, "source");
    Checks.notNull(reason, "reason");
    Checks.notNull(idempotencyKey, "idempotencyKey");
    Checks.notNull(passcode, "passcode");
  }

  /** A change the SDK made by itself. */
  public static Attribution system() {
    return SYSTEM;
  }

  /** A change the SDK made by itself, with its reason (an expiry, a cancellation). */
  public static Attribution system(String reason) {
    return new Attribution(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(reason), Optional.empty(),
        Optional.empty());
  }

  /** A change made by a command: its actor, reason and idempotency key. */
  public static Attribution of(CommandContext ctx) {
    return new Attribution(Optional.of(ctx.actor()), Optional.empty(), Optional.empty(), ctx.reason(),
        ctx.idempotencyKey(), Optional.empty());
  }

  /** This attribution, made through a join request that came by {@code via}. */
  public Attribution withRequest(RequestId id, JoinSource via) {
    return new Attribution(actor, Optional.of(id), SOURCES.get(via), reason, idempotencyKey, passcode);
  }

  /** This attribution, for a join that came by {@code via}. */
  public Attribution withSource(JoinSource via) {
    return source.isPresent() && source.get() == via ? this
        : new Attribution(actor, request, SOURCES.get(via), reason, idempotencyKey, passcode);
  }

  /** This attribution with {@code why} as its reason. */
  public Attribution withReason(String why) {
    return new Attribution(actor, request, source, Optional.of(why), idempotencyKey, passcode);
  }

  /** This attribution, for a change a passcode caused (empty: none did). */
  public Attribution withPasscode(Optional<PasscodeId> code) {
    return code.equals(passcode) ? this : new Attribution(actor, request, source, reason, idempotencyKey, code);
  }
}
