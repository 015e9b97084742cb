package io.fangroups.core;

import io.fangroups.core.internal.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * Who issues a command, and optionally an idempotency key and a reason.
 *
 * <p>The host authenticates the actor; the SDK trusts it. With an idempotency key, retrying the same
 * command (same actor, same key, same arguments) returns the first successful result and changes
 * nothing again; reusing the key for different arguments fails with IDEMPOTENCY_KEY_REUSED. A
 * command that failed changed nothing and is not remembered, so its retry runs again.
 */
public final class CommandContext {
  private final UserId actor;
  private final String idempotencyKey;
  private final String reason;

  private CommandContext(UserId actor, String idempotencyKey, String reason) {
    this.actor = Checks.notNull(actor, "actor");
    this.idempotencyKey = idempotencyKey;
    this.reason = reason;
  }

  /** A command by {@code actor}, without key or reason. */
  public static CommandContext of(UserId actor) {
    return new CommandContext(actor, null, null);
  }

  /** A command by the user with this id. */
  public static CommandContext of(String actor) {
    return of(UserId.of(actor));
  }

  /** This context with an idempotency key of 1 to 128 id characters. */
  public CommandContext withIdempotencyKey(String key) {
    return new CommandContext(actor, Checks.id(key, "idempotency key"), reason);
  }

  /** This context with a reason of up to 500 characters, recorded in events and requests. */
  public CommandContext withReason(String reason) {
    return new CommandContext(actor, idempotencyKey, Checks.text(reason, "reason", 500));
  }

  /** The user issuing the command. */
  public UserId actor() {
    return actor;
  }

  /** The idempotency key, if the command has one. */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /** The actor's reason, if given. */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CommandContext c && actor.equals(c.actor)
        && Objects.equals(idempotencyKey, c.idempotencyKey) && Objects.equals(reason, c.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(actor, idempotencyKey, reason);
  }

  @Override
  public String toString() {
    return "CommandContext[actor=" + actor + ", key=" + idempotencyKey + ", reason=" + reason + "]";
  }
}
