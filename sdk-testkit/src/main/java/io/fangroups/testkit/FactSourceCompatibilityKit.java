package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fangroups.spi.FactSource;
import io.fangroups.spi.FactSource.FactQuery;
import io.fangroups.spi.FactSource.UserFacts;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link FactSource}, rules {@code FS-1} to {@code FS-8} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test and return the implementation under test, backed by a
 * host whose data holds the facts the kit asks for:
 *
 * <pre>{@code
 * class SocialGraphFactSourceCompatibilityTest extends FactSourceCompatibilityKit {
 *   @Override
 *   protected FactSource newFactSource(List<KnownFact> known) {
 *     known.forEach(f -> graphFixture.put(f.creatorId(), f.userId(), f.fact(), f.value()));
 *     return new SocialGraphFactSource(graphFixture.client());
 *   }
 * }
 * }</pre>
 *
 * <p>The kit makes up creator and user ids no other test uses. FS-2 and FS-3 need a backend the
 * adapter can break; they are skipped unless the adapter declares it can
 * ({@link #supportsFailingBackend()}, {@link #supportsSilentBackend()}).
 */
public abstract class FactSourceCompatibilityKit {
  private static final int THREADS = 16;
  /** FS-4 asks for {@code maxBatchSize()} users, at most this many. */
  private static final int LARGEST_BATCH = 500;

  private final String idPrefix = "testkit-" + UUID.randomUUID() + "-";

  /**
   * A fact the host's data holds when the kit creates the source.
   *
   * @param creatorId the creator the fact is relative to
   * @param userId the user it is about
   * @param fact the fact name
   * @param value a {@link Boolean}, {@link Number}, {@link String}, {@link Instant} or {@code Set<String>}
   */
  public record KnownFact(String creatorId, String userId, String fact, Object value) {
    /** Checks that no part is null. */
    public KnownFact {
      Objects.requireNonNull(creatorId, "creatorId");
      Objects.requireNonNull(userId, "userId");
      Objects.requireNonNull(fact, "fact");
      Objects.requireNonNull(value, "value");
    }
  }

  /** Creates the kit. */
  protected FactSourceCompatibilityKit() {}

  /**
   * The implementation under test, answering from host data that holds exactly {@code known} for
   * the kit's creators and users (their other facts unknown). Called once or more per test.
   */
  protected abstract FactSource newFactSource(List<KnownFact> known);

  /**
   * The facts the kit seeds and asks for, one sample value each, of the value types the contract
   * allows (FS-6). The default covers every value type with the SDK's standard fact names;
   * override it to name only facts the host knows, keeping at least one value.
   */
  protected Map<String, Object> sampleFacts() {
    Map<String, Object> samples = new LinkedHashMap<>();
    samples.put("days_following", 12);
    samples.put("fan_club_member", true);
    samples.put("region", "CN-31");
    samples.put("followed_since", Instant.parse("2026-02-17T08:00:00Z"));
    samples.put("member_of_groups", Set.of("g_alpha", "g_beta"));
    return samples;
  }

  /**
   * Whether {@link #newFactSource} really serves the facts it is given; false only for a source
   * that knows nothing by design, such as {@link FactSource#none()}: FS-4, FS-6 and FS-7 are skipped.
   */
  protected boolean supportsKnownFacts() {
    return true;
  }

  /** Whether the adapter can make a source whose backend fails every request (FS-2). */
  protected boolean supportsFailingBackend() {
    return false;
  }

  /** A source whose backend fails every request (refuses connections, answers errors). */
  protected FactSource newFactSourceWithFailingBackend() {
    throw new UnsupportedOperationException("override with supportsFailingBackend()");
  }

  /** Whether the adapter can make a source whose backend takes requests and never answers (FS-3). */
  protected boolean supportsSilentBackend() {
    return false;
  }

  /** A source whose backend accepts requests and never answers them. */
  protected FactSource newFactSourceWithSilentBackend() {
    throw new UnsupportedOperationException("override with supportsSilentBackend()");
  }

  /** How long the kit waits for a stage before calling it hung; a guard, never a performance check. */
  protected Duration hangGuard() {
    return Duration.ofSeconds(30);
  }

  /** FS-1: {@code fetch} returns a stage, whatever the query, and never throws. */
  @Test
  @DisplayName("FS-1 fetch never throws and never returns null")
  void fs1_fetchNeverThrows() {
    FactSource source = newFactSource(seedAllFacts(creator("a"), List.of(user("known"))));
    List<FactQuery> oddQueries = List.of(
        new FactQuery(creator("a"), group(), List.of(), sampleFacts().keySet()),
        new FactQuery(creator("a"), group(), List.of(user("known")), Set.of("testkit_no_such_fact")),
        new FactQuery(creator("never-seen"), group(), List.of(user("known")), sampleFacts().keySet()),
        new FactQuery(creator("a"), group(), List.of(user("用户/1 ?&"), user("")), sampleFacts().keySet()),
        new FactQuery(creator("a"), group(), List.of(user("known")), Set.of()));
    for (FactQuery query : oddQueries) {
      assertThat(Stages.stageOf("fetch of " + query, () -> source.fetch(query))).as("stage for %s", query).isNotNull();
    }
  }

  /** FS-2: a failing backend fails the stage or reports facts failed; it neither throws nor invents values. */
  @Test
  @DisplayName("FS-2 a backend failure goes through the stage, never as a throw or as values")
  void fs2_backendFailureGoesThroughTheStage() {
    assumeTrue(supportsFailingBackend(), "the adapter cannot make a failing backend");
    FactQuery query = new FactQuery(creator("a"), group(), List.of(user("u1"), user("u2")), sampleFacts().keySet());
    FactSource failing = newFactSourceWithFailingBackend();
    CompletionStage<Map<String, UserFacts>> stage = Stages.stageOf("fetch with a failing backend",
        () -> failing.fetch(query));
    try {
      Map<String, UserFacts> answer = stage.toCompletableFuture().get(hangGuard().toMillis(), TimeUnit.MILLISECONDS);
      assertThat(answer != null && hasAnyValue(answer)).as("values in %s although the backend failed", answer)
          .isFalse();
    } catch (ExecutionException failedStage) {
      assertThat(failedStage.getCause()).as("the stage's failure").isNotNull();
    } catch (TimeoutException | InterruptedException e) {
      throw new AssertionError("the stage did not complete within the hang guard of " + hangGuard(), e);
    }
  }

  /** FS-3: {@code fetch} returns before the backend has answered. */
  @Test
  @DisplayName("FS-3 fetch returns before the backend answers")
  void fs3_fetchReturnsBeforeTheBackendAnswers() {
    assumeTrue(supportsSilentBackend(), "the adapter cannot make a silent backend");
    FactSource source = newFactSourceWithSilentBackend();
    FactQuery query = new FactQuery(creator("a"), group(), List.of(user("u1")), sampleFacts().keySet());

    CompletionStage<Map<String, UserFacts>> stage =
        Stages.returnsWithin("fetch with a silent backend", () -> source.fetch(query), hangGuard());
    assertThat(stage).as("stage").isNotNull();
    CompletableFuture<Map<String, UserFacts>> answer = stage.toCompletableFuture();
    assertThat(answer.isDone() && !answer.isCompletedExceptionally() && hasAnyValue(answer.join()))
        .as("the stage answered values the silent backend never gave").isFalse();
  }

  /** FS-4: one call answers for every user of the query, up to the declared batch size, each with their own facts. */
  @Test
  @DisplayName("FS-4 one fetch answers for every user of the query, up to maxBatchSize")
  void fs4_oneFetchAnswersEveryUser() {
    assumeTrue(supportsKnownFacts(), "the source knows no facts by design");
    int batch = Math.min(newFactSource(List.of()).maxBatchSize(), LARGEST_BATCH);
    assertThat(batch).as("maxBatchSize()").isPositive();
    List<String> users = IntStream.range(0, batch).mapToObj(i -> user("batch-" + i)).toList();
    List<String> seeded = IntStream.range(0, batch).filter(i -> i % 2 == 0).mapToObj(users::get).toList();
    FactSource source = newFactSource(seedAllFacts(creator("a"), seeded));

    Map<String, UserFacts> answer = fetch(source, new FactQuery(creator("a"), group(), users, sampleFacts().keySet()));
    for (String userId : users) {
      Map<String, Object> values = valuesOf(answer, userId);
      if (seeded.contains(userId)) {
        assertThat(values.keySet()).as("facts answered for %s, one of %d users in one query", userId, users.size())
            .containsExactlyInAnyOrderElementsOf(sampleFacts().keySet());
      } else {
        assertThat(values).as("facts answered for %s, who has none", userId).isEmpty();
      }
    }
  }

  /** FS-5: a fact the host does not have is absent: never a default, never a guess. */
  @Test
  @DisplayName("FS-5 a missing user or fact is unknown, never a made-up value")
  void fs5_missingIsUnknown() {
    Map.Entry<String, Object> only = sampleFacts().entrySet().iterator().next();
    String partial = user("partial");
    FactSource source = newFactSource(List.of(new KnownFact(creator("a"), partial, only.getKey(), only.getValue())));

    Map<String, UserFacts> answer = fetch(source,
        new FactQuery(creator("a"), group(), List.of(partial, user("stranger")), sampleFacts().keySet()));
    assertThat(valuesOf(answer, user("stranger"))).as("facts of a user the host knows nothing about").isEmpty();
    assertThat(valuesOf(answer, partial).keySet()).as("facts of a user the host knows only %s of", only.getKey())
        .isSubsetOf(only.getKey());
  }

  /** FS-6: values are of the fact's type: Boolean, Number, String, Instant or a set of strings. */
  @Test
  @DisplayName("FS-6 values have the declared types and arrive unchanged")
  void fs6_valuesHaveTheDeclaredTypes() {
    assumeTrue(supportsKnownFacts(), "the source knows no facts by design");
    String userId = user("typed");
    FactSource source = newFactSource(seedAllFacts(creator("a"), List.of(userId)));

    Map<String, Object> values = valuesOf(
        fetch(source, new FactQuery(creator("a"), group(), List.of(userId), sampleFacts().keySet())), userId);
    sampleFacts().forEach((fact, expected) ->
        assertThat(FactValues.same(expected, values.get(fact)))
            .as("%s: expected %s (%s), got %s (%s)", fact, expected, FactValues.typeName(expected),
                values.get(fact), FactValues.typeName(values.get(fact)))
            .isTrue());
  }

  /** FS-7: the same user has different facts relative to different creators. */
  @Test
  @DisplayName("FS-7 facts are relative to the query's creator")
  void fs7_factsAreRelativeToTheCreator() {
    assumeTrue(supportsKnownFacts(), "the source knows no facts by design");
    Map.Entry<String, Object> fact = sampleFacts().entrySet().iterator().next();
    Object other = FactValues.otherLike(fact.getValue());
    String userId = user("fan-of-two");
    FactSource source = newFactSource(List.of(
        new KnownFact(creator("a"), userId, fact.getKey(), fact.getValue()),
        new KnownFact(creator("b"), userId, fact.getKey(), other)));

    for (Map.Entry<String, Object> expected : Map.of(creator("a"), fact.getValue(), creator("b"), other).entrySet()) {
      FactQuery query = new FactQuery(expected.getKey(), group(), List.of(userId), Set.of(fact.getKey()));
      Object actual = valuesOf(fetch(source, query), userId).get(fact.getKey());
      assertThat(FactValues.same(expected.getValue(), actual))
          .as("%s relative to %s: expected %s, got %s", fact.getKey(), expected.getKey(), expected.getValue(), actual)
          .isTrue();
    }
  }

  /** FS-8: concurrent fetches each get the answer to their own query. */
  @Test
  @DisplayName("FS-8 thread-safe: concurrent fetches get their own answers")
  void fs8_threadSafe() {
    List<String> known = IntStream.range(0, THREADS).mapToObj(i -> user("known-" + i)).toList();
    FactSource source = newFactSource(seedAllFacts(creator("a"), known));
    Set<String> expectedFacts = supportsKnownFacts() ? sampleFacts().keySet() : Set.of();

    List<List<String>> problems = Concurrently.run(THREADS, thread -> {
      List<String> wrong = new ArrayList<>();
      String knownUser = known.get(thread);
      String stranger = user("stranger-" + thread);
      for (int call = 0; call < 50; call++) {
        Map<String, UserFacts> answer =
            fetch(source, new FactQuery(creator("a"), group(), List.of(stranger, knownUser), sampleFacts().keySet()));
        if (!valuesOf(answer, knownUser).keySet().equals(expectedFacts) || !valuesOf(answer, stranger).isEmpty()) {
          wrong.add("thread " + thread + " call " + call + ": " + answer);
        }
      }
      return wrong;
    });
    assertThat(problems.stream().flatMap(List::stream).toList()).as("wrong answers under concurrency").isEmpty();
  }

  private List<KnownFact> seedAllFacts(String creatorId, List<String> users) {
    List<KnownFact> known = new ArrayList<>();
    for (String userId : users) {
      sampleFacts().forEach((fact, value) -> known.add(new KnownFact(creatorId, userId, fact, value)));
    }
    return known;
  }

  private Map<String, UserFacts> fetch(FactSource source, FactQuery query) {
    Map<String, UserFacts> answer = Stages.await("fetch of " + query, () -> source.fetch(query), hangGuard());
    assertThat(answer).as("answer to %s", query).isNotNull();
    return answer;
  }

  private static boolean hasAnyValue(Map<String, UserFacts> answer) {
    return answer.values().stream().anyMatch(facts -> facts != null && !facts.values().isEmpty());
  }

  /** A user's values; a user missing from the answer has none. */
  private static Map<String, Object> valuesOf(Map<String, UserFacts> answer, String userId) {
    UserFacts facts = answer.get(userId);
    return facts == null ? Map.of() : facts.values();
  }

  private String creator(String name) {
    return idPrefix + "creator-" + name;
  }

  private String user(String name) {
    return idPrefix + "user-" + name;
  }

  private String group() {
    return idPrefix + "group";
  }

  /** Comparing fact values across the representations the contract allows. */
  static final class FactValues {
    private FactValues() {}

    /** Whether {@code actual} is {@code expected}: numbers by value, sets by elements, the rest by equals. */
    static boolean same(Object expected, Object actual) {
      if (expected instanceof Number n) {
        return actual instanceof Number m && new BigDecimal(n.toString()).compareTo(new BigDecimal(m.toString())) == 0;
      }
      if (expected instanceof Set<?> s) {
        return actual instanceof Set<?> t && s.equals(t);
      }
      return Objects.equals(expected, actual);
    }

    /** A value of the same type that is not {@code same} as {@code value}. */
    static Object otherLike(Object value) {
      if (value instanceof Number n) {
        return n.longValue() + 7;
      }
      if (value instanceof Boolean b) {
        return !b;
      }
      if (value instanceof Instant t) {
        return t.plus(Duration.ofDays(3));
      }
      if (value instanceof Set<?> s) {
        Set<Object> more = new HashSet<>(s);
        more.add("testkit-other");
        return Set.copyOf(more);
      }
      return value + "-other";
    }

    static String typeName(Object value) {
      return value == null ? "absent" : value.getClass().getName();
    }
  }
}
