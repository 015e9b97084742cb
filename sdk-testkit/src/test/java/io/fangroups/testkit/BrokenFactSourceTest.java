package io.fangroups.testkit;

import io.fangroups.spi.FactSource;
import io.fangroups.spi.FactSource.FactQuery;
import io.fangroups.spi.FactSource.UserFacts;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fact source kit catches each deliberately broken source on the rule it breaks, and only there. */
class BrokenFactSourceTest {

  @Test
  void throwingForAnUnknownFact_isCaughtByFs1() {
    KitRun.assertCaughtOn(ThrowsForUnknownFact.class, "FS-1");
  }

  @Test
  void throwingWhenTheBackendIsDown_isCaughtByFs2() {
    KitRun.assertCaughtOn(ThrowsWhenBackendDown.class, "FS-2");
  }

  @Test
  void waitingForTheBackendInFetch_isCaughtByFs3() {
    KitRun.assertCaughtOn(BlocksInFetch.class, "FS-3");
  }

  @Test
  void droppingUsersBeyondAPage_isCaughtByFs4() {
    KitRun.assertCaughtOn(DropsUsersBeyondFifty.class, "FS-4");
  }

  @Test
  void defaultsForMissingFacts_isCaughtByFs5() {
    KitRun.assertCaughtOn(InventsDefaults.class, "FS-5");
  }

  @Test
  void wrongValueTypes_isCaughtByFs6() {
    KitRun.assertCaughtOn(WrongValueTypes.class, "FS-6");
  }

  @Test
  void ignoringTheCreator_isCaughtByFs7() {
    KitRun.assertCaughtOn(IgnoresCreator.class, "FS-7");
  }

  @Test
  void queryKeptInASharedField_isCaughtByFs8() {
    KitRun.assertCaughtOn(SharedQueryField.class, "FS-8");
  }

  /** The reference source with its answers rewritten by {@code change}. */
  private static FactSource answering(List<FactSourceCompatibilityKit.KnownFact> known,
      UnaryOperator<Map<String, UserFacts>> change) {
    FactSource reference = new InMemoryFactSource(known, Backend.ANSWERS);
    return query -> reference.fetch(query).thenApply(change);
  }

  /** The reference source asked {@code rewrite(query)} instead of the query. */
  private static FactSource asking(List<FactSourceCompatibilityKit.KnownFact> known, UnaryOperator<FactQuery> rewrite) {
    FactSource reference = new InMemoryFactSource(known, Backend.ANSWERS);
    return query -> reference.fetch(rewrite.apply(query));
  }

  /** Rejects fact names it does not serve by throwing, instead of leaving them unknown. */
  @BrokenTwin
  static final class ThrowsForUnknownFact extends FactSourceCompatibilityKit {
    @Override
    protected FactSource newFactSource(List<KnownFact> known) {
      return asking(known, query -> {
        if (!sampleFacts().keySet().containsAll(query.facts())) {
          throw new IllegalArgumentException("unknown fact in " + query.facts());
        }
        return query;
      });
    }
  }

  /** A synchronous client's connection error escapes from fetch. */
  @BrokenTwin
  static final class ThrowsWhenBackendDown extends InMemoryFactSourceCompatibilityTest {
    @Override
    protected FactSource newFactSourceWithFailingBackend() {
      return query -> {
        throw new UncheckedIOException(new ConnectException("connection refused"));
      };
    }
  }

  /** Waits for the backend's answer inside fetch and returns a completed stage. */
  @BrokenTwin
  static final class BlocksInFetch extends FactSourceCompatibilityKit {
    @Override
    protected FactSource newFactSource(List<KnownFact> known) {
      return blocking(new InMemoryFactSource(known, Backend.ANSWERS));
    }

    @Override
    protected boolean supportsSilentBackend() {
      return true;
    }

    @Override
    protected FactSource newFactSourceWithSilentBackend() {
      return blocking(new InMemoryFactSource(List.of(), Backend.SILENT));
    }

    @Override
    protected Duration hangGuard() {
      return Duration.ofSeconds(2);
    }

    private static FactSource blocking(FactSource backend) {
      return query -> CompletableFuture.completedFuture(backend.fetch(query).toCompletableFuture().join());
    }
  }

  /** Answers only the first page of 50 users of a batch. */
  @BrokenTwin
  static final class DropsUsersBeyondFifty extends FactSourceCompatibilityKit {
    @Override
    protected FactSource newFactSource(List<KnownFact> known) {
      return asking(known, query -> new FactQuery(query.creatorId(), query.groupId(),
          query.userIds().subList(0, Math.min(50, query.userIds().size())), query.facts()));
    }
  }

  /** Reads a missing fact of a known user as zero, as a row with a NULL column mapped to a primitive would. */
  @BrokenTwin
  static final class InventsDefaults extends FactSourceCompatibilityKit {
    @Override
    protected FactSource newFactSource(List<KnownFact> known) {
      return answering(known, answer -> answer.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
          user -> user.getValue().values().isEmpty() ? user.getValue() : withZeros(user.getValue().values()))));
    }

    private UserFacts withZeros(Map<String, Object> values) {
      Map<String, Object> filled = new HashMap<>(values);
      sampleFacts().keySet().forEach(fact -> filled.putIfAbsent(fact, 0));
      return UserFacts.of(filled);
    }
  }

  /** Sends instants as epoch millis and sets as lists, as a JSON client without type mapping would. */
  @BrokenTwin
  static final class WrongValueTypes extends FactSourceCompatibilityKit {
    @Override
    protected FactSource newFactSource(List<KnownFact> known) {
      return answering(known, answer -> answer.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
          user -> UserFacts.of(user.getValue().values().entrySet().stream().collect(
              Collectors.toMap(Map.Entry::getKey, fact -> looselyTyped(fact.getValue())))))));
    }

    private static Object looselyTyped(Object value) {
      if (value instanceof Instant instant) {
        return instant.toEpochMilli();
      }
      if (value instanceof Set<?> set) {
        return List.copyOf(set);
      }
      return value;
    }
  }

  /** Keys facts by user alone, so the last creator's value wins for every creator. */
  @BrokenTwin
  static final class IgnoresCreator extends FactSourceCompatibilityKit {
    @Override
    protected FactSource newFactSource(List<KnownFact> known) {
      return asking(known.stream().map(fact -> new KnownFact("any-creator", fact.userId(), fact.fact(), fact.value()))
          .toList(), query -> new FactQuery("any-creator", query.groupId(), query.userIds(), query.facts()));
    }
  }

  /** Keeps the query being served in a field shared by all callers. */
  @BrokenTwin
  static final class SharedQueryField extends FactSourceCompatibilityKit {
    @Override
    protected FactSource newFactSource(List<KnownFact> known) {
      FactSource reference = new InMemoryFactSource(known, Backend.ANSWERS);
      return new FactSource() {
        private FactQuery current;

        @Override
        public CompletionStage<Map<String, UserFacts>> fetch(FactQuery query) {
          current = query;
          Thread.yield();
          return reference.fetch(current);
        }
      };
    }
  }
}
