package io.fangroups.core.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.redpacket.RedPacketSpec;
import io.fangroups.core.UserId;
import io.fangroups.core.admission.AdmissionPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Remembers the first successful result per (actor, idempotency key) for a retention period. A
 * concurrent retry waits for the first attempt; a failed attempt is forgotten so its retry runs.
 */
public final class Idempotency {
  private record Key(UserId actor, String key) {}

  private record Entry(String fingerprint, CompletableFuture<Object> result) {}

  private final ConcurrentMap<Key, Entry> entries;

  public Idempotency(Duration retention, java.time.Clock clock) {
    // Retention runs on the SDK's clock, like the store's records of keyed commands.
    Cache<Key, Entry> cache = Caffeine.newBuilder().expireAfterWrite(retention).ticker(() -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }).build();
    this.entries = cache.asMap();
  }

  /**
   * A digest of the command and its arguments' string forms, length-prefixed so no two argument
   * lists collide, and hashed so a pasted passcode is not kept in the clear. Arguments must have
   * stable string forms (records, ids, enums; a policy's {@code toString}).
   */
  public static String fingerprint(String command, String reason, Object... args) {
    java.security.MessageDigest sha;
    try {
      sha = java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
    update(sha, command);
    update(sha, reason == null ? "\u0000" : reason);
    for (Object arg : args) {
      update(sha, arg instanceof GroupSettings settings ? stable(settings)
          : arg instanceof RedPacketSpec spec ? stable(spec) : String.valueOf(arg));
    }
    return java.util.HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Settings with a policy that has no string form of its own (a lambda prints its identity, which a
   * retry that rebuilds the settings cannot reproduce) are keyed by the policy's class.
   */
  private static String stable(GroupSettings settings) {
    return settings.toBuilder().policy(AdmissionPolicy.allowAll()).build() + "|policy=" + policyKey(settings.policy());
  }

  /** A red packet's spec keyed the same way, by its eligibility rule's string form or class. */
  private static String stable(RedPacketSpec spec) {
    return spec.kind() + "|" + spec.amount() + "|" + spec.currency() + "|" + spec.count() + "|" + spec.greeting() + "|"
        + spec.recipient() + "|" + spec.phrase() + "|" + spec.memberFor() + "|" + spec.lifetime() + "|rule="
        + spec.eligibility().map(Idempotency::policyKey).orElse("none");
  }

  private static String policyKey(AdmissionPolicy policy) {
    boolean ownToString;
    try {
      ownToString = policy.getClass().getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      ownToString = false;
    }
    return ownToString ? policy.toString() : policy.getClass().getName().replaceAll("\\$\\$Lambda.*$", "\\$\\$Lambda");
  }

  private static void update(java.security.MessageDigest sha, String part) {
    byte[] bytes = part.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    sha.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }

  @SuppressWarnings("unchecked")
  public <R> R run(CommandContext ctx, String fingerprint, Supplier<R> command) {
    if (ctx.idempotencyKey().isEmpty()) {
      return command.get();
    }
    Key key = new Key(ctx.actor(), ctx.idempotencyKey().get());
    while (true) {
      Entry mine = new Entry(fingerprint, new CompletableFuture<>());
      Entry first = entries.putIfAbsent(key, mine);
      if (first == null) {
        try {
          R result = command.get();
          mine.result().complete(result);
          return result;
        } catch (RuntimeException | Error e) {
          entries.remove(key, mine);
          mine.result().completeExceptionally(e);
          throw e;
        }
      }
      if (!first.fingerprint().equals(fingerprint)) {
        throw new FanGroupsException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "idempotency key '" + key.key()
            + "' was already used by " + ctx.actor() + " for a different command; use a new key per command");
      }
      try {
        return (R) first.result().join();
      } catch (CompletionException e) {
        // The first attempt failed and changed nothing; this retry runs the command itself.
      }
    }
  }
}
