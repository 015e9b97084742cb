package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.spi.IdGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link IdGenerator}, rules {@code IG-1} to {@code IG-4} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test and return the implementation under test:
 *
 * <pre>{@code
 * class SnowflakeIdGeneratorCompatibilityTest extends IdGeneratorCompatibilityKit {
 *   @Override
 *   protected IdGenerator newIdGenerator() {
 *     return new SnowflakeIdGenerator(workerIds.lease());
 *   }
 * }
 * }</pre>
 */
public abstract class IdGeneratorCompatibilityKit {
  /** The kinds the SDK asks for: group, request, family, passcode, message. */
  private static final List<String> KINDS = List.of("g", "r", "f", "p", "m");
  /** IG-3: 1 to 128 ASCII letters, digits and {@code - _ . : @}. */
  private static final Pattern ID_FORMAT = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");
  private static final int THREADS = 16;

  /** Creates the kit. */
  protected IdGeneratorCompatibilityKit() {}

  /**
   * The implementation under test. Within one test, every call must return a generator as a further
   * SDK instance on the same store would get one (or this instance after a restart): IG-4 checks
   * that such generators never repeat each other's ids.
   */
  protected abstract IdGenerator newIdGenerator();

  /** IG-1: one generator never repeats an id of a kind, whatever other kinds it is asked for between. */
  @Test
  @DisplayName("IG-1 ids are unique per kind")
  void ig1_idsAreUniquePerKind() {
    IdGenerator ids = generator();
    Map<String, Set<String>> seen = new HashMap<>();
    int perKind = 20_000;
    for (int i = 0; i < perKind * KINDS.size(); i++) {
      String kind = KINDS.get(i % KINDS.size());
      seen.computeIfAbsent(kind, k -> new HashSet<>()).add(ids.newId(kind));
    }
    seen.forEach((kind, distinct) ->
        assertThat(distinct).as("distinct ids of kind %s out of %d", kind, perKind).hasSize(perKind));
  }

  /** IG-2: concurrent calls on one generator never return the same id. */
  @Test
  @DisplayName("IG-2 thread-safe: concurrent calls never repeat an id")
  void ig2_threadSafe() {
    IdGenerator ids = generator();
    int perThread = 2_000;
    List<List<String>> made = Concurrently.run(THREADS, thread -> newIds(ids, "r", perThread));

    Set<String> distinct = new HashSet<>();
    made.forEach(distinct::addAll);
    assertThat(distinct).as("distinct ids from %d threads x %d calls", THREADS, perThread)
        .hasSize(THREADS * perThread);
  }

  /** IG-3: every id is 1 to 128 characters of ASCII letters, digits and {@code - _ . : @}. */
  @Test
  @DisplayName("IG-3 ids are 1-128 ASCII letters, digits and - _ . : @")
  void ig3_idFormat() {
    IdGenerator ids = generator();
    for (String kind : KINDS) {
      assertThat(newIds(ids, kind, 1_000)).as("ids of kind %s", kind).allMatch(
          id -> id != null && ID_FORMAT.matcher(id).matches(), "match " + ID_FORMAT.pattern());
    }
  }

  /** IG-4: generators of several SDK instances on one store (or across a restart) never repeat an id. */
  @Test
  @DisplayName("IG-4 ids are unique across instances sharing a store")
  void ig4_uniqueAcrossInstancesSharingAStore() {
    IdGenerator first = generator();
    IdGenerator second = generator();
    int perInstance = 10_000;
    Set<String> distinct = new HashSet<>();
    for (int i = 0; i < perInstance; i++) {
      distinct.add(first.newId("g"));
      distinct.add(second.newId("g"));
    }
    assertThat(distinct).as("distinct ids of kind g from two instances, %d each", perInstance)
        .hasSize(2 * perInstance);
  }

  private IdGenerator generator() {
    return Objects.requireNonNull(newIdGenerator(), "newIdGenerator() returned null");
  }

  private static List<String> newIds(IdGenerator ids, String kind, int count) {
    List<String> made = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      made.add(ids.newId(kind));
    }
    return made;
  }
}
