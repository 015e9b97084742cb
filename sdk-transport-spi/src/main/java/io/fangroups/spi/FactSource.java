package io.fangroups.spi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Facts about users relative to a creator, for admission rules: how many days a user has followed
 * the creator, their fan-club level, and so on. The SDK asks only for the facts a group's rule
 * reads, for many users at once when it approves in bulk.
 *
 * <p>Contract:
 * <ol>
 *   <li>Asynchronous: {@link #fetch} returns at once; the SDK waits up to its configured timeout.
 *       A timeout or a failed stage makes every requested fact <em>unknown</em>, which a rule never
 *       reads as allow.
 *   <li>Batched: one call covers every user in the query. A user missing from the answer, or a
 *       fact missing from a user's values, is unknown; a fact named in {@link UserFacts#failed()}
 *       failed to load and is unknown too.
 *   <li>Values are {@link Boolean}, a {@link Number}, {@link String}, {@link java.time.Instant} or a
 *       {@code Set<String>}, matching the fact's declared type; a value of another type is treated
 *       as failed and logged.
 *   <li>Facts are relative to the query's creator; never answer a value the host does not have
 *       (no defaults such as 0 for a missing level): leave it out and it is unknown.
 *   <li>Thread-safe; may be called concurrently. Must not throw from {@code fetch} itself: report
 *       failure through the returned stage (a throw is treated the same way).
 * </ol>
 */
@FunctionalInterface
public interface FactSource {

  /** Starts fetching the query's facts. */
  CompletionStage<Map<String, UserFacts>> fetch(FactQuery query);

  /**
   * Capability: the most users this source answers for in one call. The SDK splits larger batches
   * (a bulk approval of 500 requests) into calls of at most this many. Default 100.
   */
  default int maxBatchSize() {
    return 100;
  }

  /** Knows nothing: every fact is unknown. The default when the host configures none. */
  static FactSource none() {
    return query -> CompletableFuture.completedFuture(Map.of());
  }

  /**
   * What to fetch.
   *
   * @param creatorId the group owner the facts are relative to
   * @param groupId the group being joined
   * @param userIds the applicants
   * @param facts the fact names the rule reads
   */
  record FactQuery(String creatorId, String groupId, List<String> userIds, Set<String> facts) {
    /** Checks the components are not null. */
    public FactQuery {
      userIds = List.copyOf(userIds);
      facts = Set.copyOf(facts);
    }
  }

  /**
   * One user's facts.
   *
   * @param values fact name to value
   * @param failed names of facts that failed to load
   */
  record UserFacts(Map<String, Object> values, Set<String> failed) {
    /** Checks the components are not null. */
    public UserFacts {
      values = Map.copyOf(values);
      failed = Set.copyOf(failed);
    }

    /** Values, none failed. */
    public static UserFacts of(Map<String, Object> values) {
      return new UserFacts(values, Set.of());
    }

    /** Nothing known. */
    public static UserFacts unknown() {
      return new UserFacts(Map.of(), Set.of());
    }
  }
}
