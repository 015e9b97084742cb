package io.fangroups.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * Remembers the first successful result per (actor, idempotency key) for a retention period. A
 * concurrent retry waits for the first attempt; a failed attempt is forgotten so its retry runs.
 */
final class Idempotency {
  private record Key(UserId actor, String key) {}

  private record Entry(String fingerprint, CompletableFuture<Object> result) {}

  private final ConcurrentMap<Key, Entry> entries;

  Idempotency(Duration retention) {
    Cache<Key, Entry> cache = Caffeine.newBuilder().expireAfterWrite(retention).build();
    this.entries = cache.asMap();
  }

  @SuppressWarnings("unchecked")
  <R> R run(CommandContext ctx, String fingerprint, Supplier<R> command) {
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
