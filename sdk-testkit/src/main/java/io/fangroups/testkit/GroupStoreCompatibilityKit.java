package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.fail;

import io.fangroups.spi.GroupStore;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.AppendResult.Conflict;
import io.fangroups.spi.GroupStore.AppendResult.Kind;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.Snapshot;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.StreamHead;
import io.fangroups.spi.GroupStore.UniqueKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link GroupStore}, rules {@code GS-1} to {@code GS-27} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test and return the implementation under test; a store over a
 * database also returns a second client of the same database, so the kit checks that appends stay
 * linearizable and visible across processes:
 *
 * <pre>{@code
 * class PostgresGroupStoreCompatibilityTest extends GroupStoreCompatibilityKit {
 *   @Override
 *   protected GroupStore newStore() {
 *     return new PostgresGroupStore(poolA);
 *   }
 *
 *   @Override
 *   protected GroupStore secondClient(GroupStore first) {
 *     return new PostgresGroupStore(poolB); // its own connection pool, the same database
 *   }
 * }
 * }</pre>
 *
 * <p>Every test uses stream, key, cursor and lease names under a random prefix no other test uses,
 * and never assumes the store is empty, so one database can serve every test without cleaning.
 * Time is only what the kit passes as {@code now}: nothing sleeps. {@code deleteExpired} is the one
 * call that reaches beyond the prefix: the rules that call it (GS-23, GS-25) retain streams until
 * instants in 1970 and delete every stream due by 1971, whoever wrote it, so a database the kit
 * shares must hold no other stream retained until before 1971.
 *
 * <p>One class for the whole contract, as an implementer extends exactly one kit per SPI; its length
 * is its twenty-seven rules, each a short test named after its number.
 */
public abstract class GroupStoreCompatibilityKit {
  private static final Instant TEN_O_CLOCK = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final Duration ONE_MILLI = Duration.ofMillis(1);
  private static final String TYPE = "test.event";
  private static final int THREADS = 16;
  /** Rounds of the races that release every thread against one sequence, key, cursor or lease. */
  private static final int ROUNDS = 20;
  /** More events than any read of the kit expects, so a read with this limit returns a whole stream. */
  private static final int ALL = 10_000;
  /** The most events the change-feed consumer of GS-27 reads at once, so a stream often has more than it read. */
  private static final int CONSUMER_READ = 2;
  /** The most marked streams the change-feed consumer of GS-27 asks for at once, so it pages. */
  private static final int CONSUMER_PAGE = 4;
  /** Appends each appender makes per round of GS-27. */
  private static final int FEED_APPENDS = 5;
  /** After every retention the kit sets (GS-23, GS-25); GS-25 first deletes every stream due by then. */
  private static final Instant END_OF_1970 = Instant.parse("1971-01-01T00:00:00Z");

  private final String prefix = "gs-" + UUID.randomUUID() + "/";
  private GroupStore store;
  private GroupStore second;

  /** Creates the kit. */
  protected GroupStoreCompatibilityKit() {}

  /** The implementation under test; called once before each test. */
  protected abstract GroupStore newStore();

  /**
   * Another client of the store {@link #newStore()} returned, as another process would hold: over a
   * database, a client with its own connection pool on the same database. Appends through either
   * must stay linearizable per stream and be visible to the other once returned (GS-5, GS-6, GS-7,
   * GS-10, GS-19, GS-21 to GS-27). By default the same object, which suits a store that lives in one JVM.
   */
  protected GroupStore secondClient(GroupStore first) {
    return first;
  }

  @BeforeEach
  final void createStore() {
    store = Objects.requireNonNull(newStore(), "newStore() returned null");
    second = Objects.requireNonNull(secondClient(store), "secondClient() returned null");
  }

  /** GS-1: a new stream's events are numbered from 1, and later appends go on from its last sequence. */
  @Test
  @DisplayName("GS-1 streams are numbered from 1 and go on gapless")
  void gs1_streamsAreNumberedFromOne() {
    String stream = name("numbered");
    assertNothingWritten(stream, "a stream never written");

    assertAppended(store, append(stream, 0, "a", "b", "c"), "three events to a new stream, expecting 0");
    assertThat(store.lastSequence(stream)).as("lastSequence after three events").isEqualTo(3);
    assertAppended(store, append(stream, 3, "d", "e"), "two more events, expecting 3");
    assertEvents(store, stream, "a", "b", "c", "d", "e");

    String other = name("numbered-too");
    assertAppended(store, append(other, 0, "x"), "a first event to another new stream");
    assertEvents(store, other, "x");
  }

  /**
   * GS-2: an append whose expected sequence is not the stream's last is a conflict naming that
   * stream, and writes nothing: no event to any stream of the call, no key.
   */
  @Test
  @DisplayName("GS-2 a stream that moved is a conflict and nothing is written")
  void gs2_streamMovedWritesNothing() {
    String moved = name("moved");
    String bystander = name("bystander");
    String key = name("key-of-the-failed-call");
    assertAppended(store, append(moved, 0, "m1", "m2"), "two events");

    AppendResult stale = second.append(List.of(append(bystander, 0, "b1"), append(moved, 1, "m3")),
        List.of(new UniqueKey(key, "v")));
    assertConflict(stale, Kind.STREAM_MOVED, moved, "a call expecting 1 of a stream at 2 (through the second client)");
    assertConflict(store.append(List.of(append(moved, 5, "m3")), List.of()), Kind.STREAM_MOVED, moved,
        "expecting 5 of a stream at 2");
    assertConflict(store.append(List.of(append(moved, 0, "m3")), List.of()), Kind.STREAM_MOVED, moved,
        "expecting 0 (a new stream) of a stream at 2");

    assertEvents(store, moved, "m1", "m2");
    assertNothingWritten(bystander, "the other stream of the failed call");
    assertThat(store.find(key)).as("the key of the failed call").isEmpty();
  }

  /** GS-3: an append claiming a key that exists is a conflict naming the key, and writes nothing. */
  @Test
  @DisplayName("GS-3 an existing key is a conflict and nothing is written")
  void gs3_existingKeyWritesNothing() {
    String taken = name("taken");
    String fresh = name("fresh");
    String stream = name("stream-of-the-failed-call");
    assertAppended(store, store.append(List.of(), List.of(new UniqueKey(taken, "first"))), "claiming a key");

    AppendResult result = second.append(List.of(append(stream, 0, "s1")),
        List.of(new UniqueKey(fresh, "v"), new UniqueKey(taken, "second")));
    assertConflict(result, Kind.KEY_EXISTS, taken, "a call claiming a fresh key and a taken one (through the second client)");

    assertNothingWritten(stream, "the stream of the failed call");
    assertThat(store.find(fresh)).as("the fresh key of the failed call").isEmpty();
    assertThat(store.find(taken)).as("the taken key").contains("first");
  }

  /** GS-4: a {@link StreamAppend} without events checks the stream has not moved, and writes nothing. */
  @Test
  @DisplayName("GS-4 an append without events is a pure check")
  void gs4_appendWithoutEventsIsAPureCheck() {
    String checked = name("checked");
    String written = name("written");
    String never = name("never-written");
    String key = name("key-of-the-failed-check");
    assertAppended(store, append(checked, 0, "c1", "c2"), "two events");

    assertAppended(store, store.append(List.of(append(checked, 2), append(written, 0, "w1")), List.of()),
        "a check that the stream is still at 2, with an event to another stream");
    assertEvents(store, checked, "c1", "c2");
    assertEvents(store, written, "w1");

    AppendResult failed = store.append(List.of(append(checked, 1), append(written, 1, "w2")),
        List.of(new UniqueKey(key, "v")));
    assertConflict(failed, Kind.STREAM_MOVED, checked, "a check expecting 1 of a stream at 2");
    assertEvents(store, written, "w1");
    assertThat(store.find(key)).as("the key of the failed check").isEmpty();

    assertAppended(store, append(never, 0), "a check that a stream never written is at 0");
    assertConflict(store.append(List.of(append(never, 1)), List.of()), Kind.STREAM_MOVED, never,
        "a check expecting 1 of a stream never written");
    assertNothingWritten(never, "a stream only checked");
    assertThat(store.streams(never, null, 10)).as("streams named like a stream only checked").doesNotContain(never);
  }

  /**
   * GS-5: of concurrent appends expecting the same sequence of one stream, through either client,
   * exactly one succeeds.
   */
  @Test
  @DisplayName("GS-5 of concurrent appends at one sequence exactly one succeeds")
  void gs5_concurrentAppendsAtOneSequence() {
    String stream = name("contended");
    List<String> winners = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      long expected = round - 1L;
      int r = round;
      List<AppendResult> results = Concurrently.run(THREADS,
          thread -> client(thread).append(List.of(append(stream, expected, label(thread, r))), List.of()));
      winners.add(label(assertOneWinner(results, new Conflict(Kind.STREAM_MOVED, stream),
          "appends of " + THREADS + " threads (alternating clients) expecting " + expected), round));
    }
    assertEvents(store, stream, winners.toArray(String[]::new));
  }

  /**
   * GS-6: threads racing to grow one stream, each appending at the last sequence it read, end with
   * a gapless stream holding every successful append's event exactly once, and no other.
   */
  @Test
  @DisplayName("GS-6 a race to grow one stream ends gapless with every winner's event once")
  void gs6_raceToGrowOneStream() {
    String stream = name("race");
    int target = 200;
    int attemptsPerThread = 50 * target;
    List<List<String>> won = Concurrently.run(THREADS, thread -> {
      GroupStore client = client(thread);
      List<String> mine = new ArrayList<>();
      for (int attempt = 0; attempt < attemptsPerThread; attempt++) {
        long last = client.lastSequence(stream);
        if (last >= target) {
          break;
        }
        String label = label(thread, attempt);
        if (client.append(List.of(append(stream, last, label)), List.of()).isAppended()) {
          mine.add(label);
        }
      }
      return mine;
    });

    List<String> winners = won.stream().flatMap(List::stream).toList();
    List<StoredEvent> events = store.read(stream, 0, ALL);
    assertThat(events).extracting(StoredEvent::sequence).as("sequences after %d threads raced to %d events", THREADS,
        target).containsExactlyElementsOf(IntStream.rangeClosed(1, target).asLongStream().boxed().toList());
    assertThat(events).extracting(StoredEvent::payload).as("payloads of the stream, against those of the appends"
        + " that returned appended").containsExactlyInAnyOrderElementsOf(winners.stream().map(
            GroupStoreCompatibilityKit::payload).toList());
  }

  /** GS-7: of concurrent appends claiming one key, exactly one succeeds; the others write nothing. */
  @Test
  @DisplayName("GS-7 of concurrent claims of one key exactly one succeeds")
  void gs7_concurrentClaimsOfOneKey() {
    for (int round = 1; round <= ROUNDS; round++) {
      String key = name("claimed-" + round);
      String prefixOfRound = name("claim-" + round + "-");
      List<AppendResult> results = Concurrently.run(THREADS, thread -> client(thread).append(
          List.of(append(prefixOfRound + thread, 0, "claim")), List.of(new UniqueKey(key, "thread-" + thread))));
      int winner = assertOneWinner(results, new Conflict(Kind.KEY_EXISTS, key),
          "claims of one key by " + THREADS + " threads (alternating clients)");
      assertThat(store.find(key)).as("the key's value").contains("thread-" + winner);
      for (int thread = 0; thread < THREADS; thread++) {
        assertThat(store.lastSequence(prefixOfRound + thread)).as("lastSequence of the stream of thread %d, %s",
            thread, thread == winner ? "the winner" : "a loser").isEqualTo(thread == winner ? 1 : 0);
      }
    }
  }

  /** GS-8: {@code read} returns events in sequence order, above {@code afterSequence}, at most {@code limit}. */
  @Test
  @DisplayName("GS-8 read is ordered and honours afterSequence and limit")
  void gs8_readIsOrderedAndPaged() {
    String stream = name("paged");
    assertAppended(store, append(stream, 0, "e1", "e2", "e3", "e4"), "four events");
    assertAppended(store, append(stream, 4, "e5", "e6", "e7"), "three more");
    assertAppended(store, append(stream, 7, "e8", "e9", "e10"), "three more");

    assertRead(stream, 0, ALL, 1, 10);
    assertRead(stream, 3, 4, 4, 7);
    assertRead(stream, 8, 10, 9, 10);
    assertRead(stream, 0, 1, 1, 1);
    assertRead(stream, 10, 10, 11, 10);
    assertRead(stream, 12, 10, 13, 12);
  }

  /** GS-9: events come back exactly as appended: type and payload, any Unicode, any size. */
  @Test
  @DisplayName("GS-9 type and payload round-trip exactly")
  void gs9_eventsRoundTripExactly() {
    List<NewEvent> written = List.of(
        new NewEvent("member.joined", "{}"),
        new NewEvent("a", "{\"name\":\"Zoë Ñandú\",\"emoji\":\"🎉👍🏽👨‍👩‍👧\",\"cjk\":\"中文グループ한국어\"}"),
        new NewEvent("x".repeat(64), "{\"quote\":\"she said \\\"hi\\\"\",\"path\":\"C:\\\\groups\\\\\",\"escaped\":\"\\u00e9\\n\"}"),
        new NewEvent("settings_changed-v2", "{\n  \"b\" : 1,\r\n\t\"a\" : [ 2,  1 ],\n  \"b\" : 3\n}\n"),
        new NewEvent("message.posted", "{\"text\":\"" + "Fans 🎸 日本語 \\\"quoted\\\" \\\\ ".repeat(4_000) + "\"}"),
        new NewEvent("Ünïcödé.type", "  {\"padded\":true}  "));
    assertThat(written.get(4).payload().length()).as("length of the large payload").isGreaterThan(100_000);
    String stream = name("exact");
    assertAppended(store, store.append(List.of(new StreamAppend(stream, 0, written)), List.of()), "six events");

    List<StoredEvent> expected = IntStream.range(0, written.size())
        .mapToObj(i -> new StoredEvent(i + 1L, written.get(i).type(), written.get(i).payload())).toList();
    assertThat(store.read(stream, 0, ALL)).as("events read back").containsExactlyElementsOf(expected);
  }

  /**
   * GS-10: once an append returned, every client sees it: events, last sequence, keys, stream
   * names; an append through one client goes on from one through the other; cursors and leases are
   * shared too.
   */
  @Test
  @DisplayName("GS-10 every client sees an append once it returned")
  void gs10_appendsAreVisibleToEveryClient() {
    String stream = name("visible");
    String key = name("visible-key");
    assertThat(second.read(stream, 0, ALL)).as("events through the second client before any append").isEmpty();
    assertThat(second.lastSequence(stream)).as("lastSequence through the second client before any append").isZero();

    assertAppended(store, store.append(List.of(append(stream, 0, "v1", "v2")), List.of(new UniqueKey(key, "k"))),
        "two events and a key through the first client");
    assertEvents(second, stream, "v1", "v2");
    assertThat(second.lastSequence(stream)).as("lastSequence through the second client").isEqualTo(2);
    assertThat(second.find(key)).as("the key through the second client").contains("k");
    assertThat(second.streams(stream, null, 10)).as("streams through the second client").contains(stream);

    assertAppended(second, append(stream, 2, "v3"), "a third event through the second client, expecting 2");
    assertEvents(store, stream, "v1", "v2", "v3");

    String cursor = name("visible-cursor");
    store.advanceCursor(cursor, 7);
    assertThat(second.cursor(cursor)).as("a cursor advanced through the first client, through the second").isEqualTo(7);
    String lease = name("visible-lease");
    assertThat(store.tryLease(lease, "first", TEN_O_CLOCK, TTL)).as("a lease through the first client").isTrue();
    assertThat(second.tryLease(lease, "second", TEN_O_CLOCK, TTL)).as("the same lease through the second client")
        .isFalse();
  }

  /** GS-11: a key unclaimed is not found; a claimed key keeps its first value for good. */
  @Test
  @DisplayName("GS-11 keys are permanent and keep their first value")
  void gs11_keysArePermanent() {
    String key = name("permanent");
    assertThat(store.find(key)).as("a key never claimed").isEmpty();
    assertAppended(store, store.append(List.of(), List.of(new UniqueKey(key, "first"))), "claiming the key");
    assertThat(store.find(key)).as("the key after its claim").contains("first");

    assertConflict(store.append(List.of(), List.of(new UniqueKey(key, "second"))), Kind.KEY_EXISTS, key,
        "claiming the key again with another value");
    assertConflict(second.append(List.of(), List.of(new UniqueKey(key, "first"))), Kind.KEY_EXISTS, key,
        "claiming the key again with the same value, through the second client");
    assertThat(store.find(key)).as("the key after two more claims").contains("first");
    assertThat(second.find(key)).as("the key through the second client").contains("first");
    assertThat(store.find(name("permanent-other"))).as("another key never claimed").isEmpty();
  }

  /**
   * GS-12: {@code streams(prefix, after, limit)} lists the names starting with {@code prefix}
   * literally, in ASCII order, each greater than {@code after} (empty or null: from the first), at
   * most {@code limit}.
   */
  @Test
  @DisplayName("GS-12 streams lists one prefix, sorted and paged")
  void gs12_streamsListsOnePrefixSortedAndPaged() {
    String p = name("p/");
    List<String> listed = List.of(p + "B", p + "a", p + "a_b", p + "ab", p + "b");
    List<String> all = new ArrayList<>(listed);
    all.addAll(List.of(name("p"), name("p0"), name("q/a"), name("p_x/a")));
    assertAppended(store, store.append(all.stream().map(s -> append(s, 0, "one")).toList(), List.of()),
        "one event to each of " + all.size() + " streams");

    assertThat(store.streams(p, null, 100)).as("streams(%s, null, 100)", p).containsExactlyElementsOf(listed);
    assertThat(store.streams(p, "", 100)).as("streams with an empty after").containsExactlyElementsOf(listed);
    assertThat(store.streams(p, name("a"), 100)).as("streams after a name before the prefix")
        .containsExactlyElementsOf(listed);
    assertThat(store.streams(p, null, 2)).as("first page of 2").containsExactly(p + "B", p + "a");
    assertThat(store.streams(p, p + "a", 2)).as("page of 2 after %s", p + "a").containsExactly(p + "a_b", p + "ab");
    assertThat(store.streams(p, p + "ab", 2)).as("page of 2 after %s", p + "ab").containsExactly(p + "b");
    assertThat(store.streams(p, p + "b", 2)).as("page after the last").isEmpty();
    assertThat(store.streams(p, p + "aa", 100)).as("streams after a name not listed").containsExactly(p + "ab", p + "b");
    assertThat(store.streams(name("q/"), null, 100)).as("streams of another prefix").containsExactly(name("q/a"));
    assertThat(store.streams(name("p_"), null, 100)).as("streams of a prefix with _ (no wildcard)")
        .containsExactly(name("p_x/a"));
    assertThat(store.streams(name("r/"), null, 100)).as("streams of a prefix nothing has").isEmpty();
  }

  /**
   * GS-20: {@code heads(prefix, after, limit)} lists what {@code streams} lists, each with its last
   * sequence.
   */
  @Test
  @DisplayName("GS-20 heads are the streams with their last sequences")
  void gs20_headsAreTheStreamsWithTheirLastSequences() {
    String p = name("h/");
    assertAppended(store, store.append(List.of(append(p + "a", 0, "one", "two"), append(p + "b", 0, "one"),
        append(p + "c", 0, "one", "two", "three"), append(name("i/a"), 0, "one")), List.of()), "four streams");
    assertAppended(store, store.append(List.of(append(p + "b", 1, "two", "three", "four")), List.of()), "b grows to 4");

    assertThat(store.heads(p, null, 100)).as("heads(%s, null, 100)", p).containsExactly(
        new StreamHead(p + "a", 2), new StreamHead(p + "b", 4), new StreamHead(p + "c", 3));
    assertThat(store.heads(p, p + "a", 1)).as("a page of 1 after a").containsExactly(new StreamHead(p + "b", 4));
    assertThat(second.heads(p, "", 100)).as("heads through the second client")
        .extracting(StreamHead::stream).containsExactlyElementsOf(store.streams(p, null, 100));
  }

  /** GS-13: names of up to {@link GroupStore#MAX_NAME_LENGTH} characters are kept whole. */
  @Test
  @DisplayName("GS-13 names up to MAX_NAME_LENGTH characters are kept whole")
  void gs13_longNamesAreKeptWhole() {
    String stem = name("long-");
    String a = longName(stem, 'a');
    String b = longName(stem, 'b');

    assertAppended(store, append(a, 0, "a"), "an event to a stream named with " + a.length() + " characters");
    assertAppended(store, append(b, 0, "b"), "an event to another differing only in the last character");
    assertEvents(store, a, "a");
    assertEvents(store, b, "b");
    assertThat(store.streams(stem, null, 10)).as("streams of the long names").containsExactly(a, b);

    assertAppended(store, store.append(List.of(), List.of(new UniqueKey(a, "a"))), "claiming a long key");
    assertAppended(store, store.append(List.of(), List.of(new UniqueKey(b, "b"))), "claiming another");
    assertThat(store.find(a)).as("one long key").contains("a");
    assertThat(store.find(b)).as("the other long key").contains("b");

    store.advanceCursor(a, 1);
    store.advanceCursor(b, 2);
    assertThat(store.cursor(a)).as("one long cursor").isEqualTo(1);
    assertThat(store.cursor(b)).as("the other long cursor").isEqualTo(2);

    assertThat(store.tryLease(a, "one", TEN_O_CLOCK, TTL)).as("one long lease").isTrue();
    assertThat(store.tryLease(b, "other", TEN_O_CLOCK, TTL)).as("the other long lease, another holder").isTrue();
  }

  /** GS-14: a cursor is 0 until advanced, moves forward only, and is per name. */
  @Test
  @DisplayName("GS-14 cursors start at 0 and only move forward")
  void gs14_cursorsOnlyMoveForward() {
    String cursor = name("cursor");
    assertThat(store.cursor(cursor)).as("a cursor never advanced").isZero();
    store.advanceCursor(cursor, 5);
    assertThat(store.cursor(cursor)).as("after advancing to 5").isEqualTo(5);
    store.advanceCursor(cursor, 3);
    assertThat(store.cursor(cursor)).as("after advancing to 3, lower").isEqualTo(5);
    store.advanceCursor(cursor, 5);
    assertThat(store.cursor(cursor)).as("after advancing to 5 again").isEqualTo(5);
    store.advanceCursor(cursor, 9);
    assertThat(store.cursor(cursor)).as("after advancing to 9").isEqualTo(9);
    assertThat(store.cursor(name("cursor-other"))).as("another cursor").isZero();
  }

  /** GS-15: concurrent advances of one cursor, some to lower positions, leave it at the highest. */
  @Test
  @DisplayName("GS-15 concurrent advances leave a cursor at the highest")
  void gs15_concurrentAdvancesEndAtTheHighest() {
    for (int round = 1; round <= ROUNDS; round++) {
      String cursor = name("cursor-" + round);
      Concurrently.run(THREADS, thread -> {
        GroupStore client = client(thread);
        client.advanceCursor(cursor, thread + 1L);
        client.advanceCursor(cursor, 1);
        return null;
      });
      assertThat(store.cursor(cursor)).as("a cursor %d threads (alternating clients) advanced to 1..%d, then each"
          + " to 1", THREADS, THREADS).isEqualTo(THREADS);
    }
  }

  /** GS-16: a lease is one holder's from {@code now} until {@code now + ttl}; at that instant anyone may take it. */
  @Test
  @DisplayName("GS-16 a lease is exclusive until it expires")
  void gs16_leaseIsExclusiveUntilItExpires() {
    String lease = name("lease");
    Instant expiry = TEN_O_CLOCK.plus(TTL);
    assertThat(store.tryLease(lease, "a", TEN_O_CLOCK, TTL)).as("a takes a free lease").isTrue();
    assertThat(store.tryLease(lease, "b", TEN_O_CLOCK, TTL)).as("b, at the same instant").isFalse();
    assertThat(store.tryLease(lease, "b", expiry.minus(ONE_MILLI), TTL)).as("b, 1 ms before it expires").isFalse();
    assertThat(store.tryLease(name("lease-other"), "b", TEN_O_CLOCK, TTL)).as("b takes another lease").isTrue();
    assertThat(store.tryLease(lease, "b", expiry, TTL)).as("b, when a's lease expires").isTrue();
    assertThat(store.tryLease(lease, "a", expiry.plus(ONE_MILLI), TTL)).as("a, while b holds it").isFalse();
  }

  /** GS-17: the holder renews its lease, to {@code now + ttl} of the renewal. */
  @Test
  @DisplayName("GS-17 the holder renews its lease")
  void gs17_holderRenewsItsLease() {
    String lease = name("renewed");
    assertThat(store.tryLease(lease, "a", TEN_O_CLOCK, TTL)).as("a takes a free lease").isTrue();
    assertThat(store.tryLease(lease, "a", TEN_O_CLOCK.plusSeconds(20), TTL)).as("a renews it 20 s later").isTrue();
    assertThat(store.tryLease(lease, "b", TEN_O_CLOCK.plusSeconds(40), TTL))
        .as("b, after the first grant expired but before the renewal did").isFalse();
    assertThat(store.tryLease(lease, "b", TEN_O_CLOCK.plusSeconds(50), TTL)).as("b, when the renewal expires")
        .isTrue();

    String lapsed = name("lapsed");
    assertThat(store.tryLease(lapsed, "a", TEN_O_CLOCK, TTL)).as("a takes another lease").isTrue();
    assertThat(store.tryLease(lapsed, "a", TEN_O_CLOCK.plusSeconds(60), TTL)).as("a again, after it expired")
        .isTrue();
  }

  /** GS-18: only the holder releases a lease; once released, another holder gets it. */
  @Test
  @DisplayName("GS-18 only the holder releases a lease")
  void gs18_onlyTheHolderReleases() {
    String lease = name("released");
    assertThat(store.tryLease(lease, "a", TEN_O_CLOCK, TTL)).as("a takes a free lease").isTrue();
    store.releaseLease(lease, "b");
    assertThat(store.tryLease(lease, "b", TEN_O_CLOCK.plusSeconds(1), TTL)).as("b, after b released a's lease")
        .isFalse();
    store.releaseLease(lease, "a");
    assertThat(store.tryLease(lease, "b", TEN_O_CLOCK.plusSeconds(2), TTL)).as("b, after a released it").isTrue();
    assertThatCode(() -> store.releaseLease(name("never-leased"), "a")).as("releasing a lease nobody took")
        .doesNotThrowAnyException();
  }

  /** GS-19: of concurrent {@code tryLease} calls by different holders at one instant, exactly one succeeds. */
  @Test
  @DisplayName("GS-19 of concurrent tryLease calls exactly one succeeds")
  void gs19_concurrentTryLeaseGrantsOne() {
    for (int round = 1; round <= ROUNDS; round++) {
      String lease = name("contended-lease-" + round);
      List<Boolean> granted = Concurrently.run(THREADS,
          thread -> client(thread).tryLease(lease, "holder-" + thread, TEN_O_CLOCK, TTL));
      assertThat(granted).as("tryLease by %d holders (alternating clients) at one instant", THREADS)
          .containsOnlyOnce(true);
    }
  }

  /**
   * GS-21: a stream has no snapshot until one is saved; {@code snapshot} returns the saved payload
   * exactly; a save at a lower or equal sequence leaves a higher (or the first equal) one, a higher
   * one replaces it; snapshots are per stream and seen by every client.
   */
  @Test
  @DisplayName("GS-21 a snapshot is kept exactly and only moves forward")
  void gs21_snapshotsOnlyMoveForward() {
    String stream = name("snapshotted");
    String other = name("snapshotted-too");
    assertAppended(store, store.append(List.of(append(stream, 0, "e1", "e2", "e3", "e4", "e5", "e6"),
        append(other, 0, "o1", "o2")), List.of()), "six events to a stream, two to another");
    assertThat(store.snapshot(stream)).as("the snapshot of a stream never snapshotted").isEmpty();
    assertThat(store.snapshot(name("never-written"))).as("the snapshot of a stream never written").isEmpty();

    String at4 = " {\"state\": \"é 😀👩‍👩‍👧 中文 한국어\",\r\n\t\"n\" : 4, \"n\": \"\\u00e9\"} ";
    store.saveSnapshot(stream, 4, at4);
    assertThat(second.snapshot(stream)).as("the snapshot saved at 4, through the second client")
        .contains(new Snapshot(4, at4));
    second.saveSnapshot(stream, 3, "{\"n\":3}");
    store.saveSnapshot(stream, 4, "{\"n\":\"4 again\"}");
    assertThat(store.snapshot(stream)).as("after saves at 3 (second client) and at 4 again")
        .contains(new Snapshot(4, at4));
    second.saveSnapshot(stream, 6, "{\"n\":6}");
    assertThat(store.snapshot(stream)).as("after a save at 6 through the second client")
        .contains(new Snapshot(6, "{\"n\":6}"));

    assertThat(store.snapshot(other)).as("the other stream's snapshot").isEmpty();
    store.saveSnapshot(other, 1, "{\"o\":1}");
    assertThat(second.snapshot(other)).as("the other stream's snapshot, saved at 1")
        .contains(new Snapshot(1, "{\"o\":1}"));
    assertThat(second.snapshot(stream)).as("the first stream's snapshot after the other's").contains(
        new Snapshot(6, "{\"n\":6}"));
    assertEvents(store, stream, "e1", "e2", "e3", "e4", "e5", "e6");
  }

  /**
   * GS-22: {@code deleteEvents} removes the events up to a sequence of the given types (every type
   * for an empty set) and returns how many; the stream keeps its numbering, its last sequence, its
   * listing and its snapshot, and reads skip the deleted events.
   */
  @Test
  @DisplayName("GS-22 deleteEvents removes events by type and keeps the numbering")
  void gs22_deleteEventsKeepsTheNumbering() {
    String stream = name("pruned");
    assertAppended(store, new StreamAppend(stream, 0, IntStream.rangeClosed(1, 6)
        .mapToObj(GroupStoreCompatibilityKit::alternating).toList()), "six events typed a, b, a, b, a, b");
    store.saveSnapshot(stream, 4, "{\"at\":4}");

    assertThat(store.deleteEvents(stream, 4, Set.of("b"))).as("deleteEvents through 4 of type b").isEqualTo(2);
    assertThat(second.read(stream, 0, ALL)).as("events after deleting 2 and 4, through the second client")
        .containsExactly(alternated(1), alternated(3), alternated(5), alternated(6));
    assertThat(second.lastSequence(stream)).as("lastSequence after the deletion").isEqualTo(6);
    assertThat(store.read(stream, 1, 2)).as("read(after 1, limit 2), which counts the events it returns")
        .containsExactly(alternated(3), alternated(5));
    assertConflict(store.append(List.of(append(stream, 4, "x")), List.of()), Kind.STREAM_MOVED, stream,
        "an append expecting 4, the number of events left");
    assertAppended(second, new StreamAppend(stream, 6, List.of(alternating(7))),
        "an event expecting 6 (second client)");
    assertThat(store.read(stream, 5, ALL)).as("events after 5").containsExactly(alternated(6), alternated(7));

    assertThat(second.deleteEvents(stream, 100, Set.of())).as("deleteEvents through 100 of every type (second client)")
        .isEqualTo(5);
    assertThat(store.read(stream, 0, ALL)).as("events after deleting them all").isEmpty();
    assertThat(store.lastSequence(stream)).as("lastSequence after deleting every event").isEqualTo(7);
    assertThat(store.deleteEvents(stream, 100, Set.of())).as("deleting them again").isZero();
    assertThat(store.heads(stream, null, 10)).as("heads of a stream whose events are all deleted")
        .containsExactly(new StreamHead(stream, 7));
    assertAppended(store, new StreamAppend(stream, 7, List.of(alternating(8))), "an event expecting 7");
    assertThat(store.read(stream, 0, ALL)).as("events after one more append").containsExactly(alternated(8));
    assertThat(store.snapshot(stream)).as("the snapshot, after the deletions").contains(new Snapshot(4, "{\"at\":4}"));
    assertThat(store.deleteEvents(name("never-written"), 10, Set.of())).as("deleteEvents of a stream never written")
        .isZero();
  }

  /**
   * GS-23: {@code deleteStream} deletes a stream whole (events, snapshot, change mark, retention) only
   * when it is at the expected sequence; afterwards it is a stream never written, for every client.
   */
  @Test
  @DisplayName("GS-23 deleteStream deletes a stream whole, only at its expected sequence")
  void gs23_deleteStreamIsConditional() {
    String p = name("deleted/");
    String stream = p + "s";
    String kept = p + "t";
    Instant retention = Instant.parse("1970-01-01T01:00:00Z");
    assertAppended(store, store.append(List.of(new StreamAppend(stream, 0, events("s1", "s2", "s3"), retention, true),
        fed(kept, 0, "t1")), List.of()), "three events, retained and on the change feed, and one to another stream");
    store.saveSnapshot(stream, 2, "{\"s\":2}");
    store.saveSnapshot(kept, 1, "{\"t\":1}");

    assertThat(second.deleteStream(stream, 2)).as("deleteStream expecting 2 of a stream at 3 (second client)")
        .isFalse();
    assertThat(store.deleteStream(stream, 4)).as("deleteStream expecting 4 of a stream at 3").isFalse();
    assertThat(store.deleteStream(stream, 0)).as("deleteStream expecting 0 of a stream at 3").isFalse();
    assertEvents(store, stream, "s1", "s2", "s3");
    assertThat(store.snapshot(stream)).as("the snapshot after failed deletions").contains(new Snapshot(2, "{\"s\":2}"));
    assertThat(marked(store, p, 100)).as("marked streams after failed deletions")
        .containsExactly(new StreamHead(stream, 3), new StreamHead(kept, 1));

    assertThat(second.deleteStream(stream, 3)).as("deleteStream expecting 3 (second client)").isTrue();
    assertGone(store, stream, "the deleted stream");
    assertGone(second, stream, "the deleted stream, through the second client");
    assertThat(marked(second, p, 100)).as("marked streams after the deletion").containsExactly(new StreamHead(kept, 1));
    assertThat(store.deleteStream(stream, 3)).as("deleteStream of the deleted stream").isFalse();
    assertThat(store.deleteStream(name("never-written"), 0)).as("deleteStream of a stream never written").isFalse();
    assertEvents(store, kept, "t1");
    assertThat(store.snapshot(kept)).as("the other stream's snapshot").contains(new Snapshot(1, "{\"t\":1}"));

    assertAppended(second, append(stream, 0, "n1"), "a first event again, expecting 0 (second client)");
    store.deleteExpired(retention, ALL);
    assertEvents(store, stream, "n1");
    assertThat(store.snapshot(stream)).as("the snapshot of the stream written again").isEmpty();
    assertThat(marked(store, p, 100)).as("marked streams after the stream was written again without the feed")
        .containsExactly(new StreamHead(kept, 1));
  }

  /**
   * GS-24: of {@code deleteStream(s, n)} calls and appends expecting {@code n} racing on a stream at
   * {@code n}, through either client, exactly one succeeds: the stream is deleted and no append
   * lands in it, or one append lands and the stream stays.
   */
  @Test
  @DisplayName("GS-24 of deleteStream and appends racing at one sequence exactly one succeeds")
  void gs24_deleteStreamRacesAppends() {
    for (int round = 1; round <= ROUNDS; round++) {
      String stream = name("deleted-or-grown-" + round);
      int r = round;
      assertAppended(store, append(stream, 0, "e1", "e2", "e3"), "three events");
      List<Boolean> succeeded = Concurrently.run(THREADS, thread -> deletes(thread)
          ? client(thread).deleteStream(stream, 3)
          : client(thread).append(List.of(append(stream, 3, label(thread, r))), List.of()).isAppended());
      assertThat(succeeded).as("whether each of %d threads (alternating clients, deleteStream on threads 0, 1, 4, 5"
          + " …, appends on the others) succeeded at 3, round %d", THREADS, round).containsOnlyOnce(true);
      int winner = succeeded.indexOf(true);
      if (deletes(winner)) {
        assertGone(store, stream, "a stream deleted while appends raced");
      } else {
        assertEvents(store, stream, "e1", "e2", "e3", label(winner, r));
      }
    }
  }

  /**
   * GS-25: {@code deleteExpired(now, limit)} deletes whole up to {@code limit} streams whose retention
   * is at or before {@code now}: the retention of the latest append that set one; an append without
   * one keeps it, a conflicting append sets none, a stream never retained is never deleted.
   */
  @Test
  @DisplayName("GS-25 deleteExpired deletes the streams due, up to its limit")
  void gs25_deleteExpiredDeletesTheStreamsDue() {
    Instant due = Instant.parse("1970-01-02T00:00:00Z");
    Instant later = due.plus(Duration.ofDays(1));
    String p = name("retained/");
    String expiring = p + "expiring";
    String unchanged = p + "unchanged";
    String postponed = p + "postponed";
    String plain = p + "plain";
    drainExpired(END_OF_1970);
    assertAppended(store, store.append(List.of(new StreamAppend(expiring, 0, events("x1"), due, true),
        retained(unchanged, 0, due, "u1"), retained(postponed, 0, due, "p1"), append(plain, 0, "n1")), List.of()),
        "three streams retained until 1970-01-02, one on the change feed, and one never retained");
    store.saveSnapshot(expiring, 1, "{\"x\":1}");
    assertAppended(second, retained(postponed, 1, later, "p2"), "an append retaining until 1970-01-03 (second client)");
    assertAppended(second, append(unchanged, 1, "u2"), "an append without retention (second client)");
    assertConflict(store.append(List.of(retained(postponed, 1, due, "p3")), List.of()), Kind.STREAM_MOVED, postponed,
        "an append expecting 1 of a stream at 2, retaining until 1970-01-02");
    assertConflict(store.append(List.of(retained(plain, 0, due, "n2")), List.of()), Kind.STREAM_MOVED, plain,
        "an append expecting 0 of a stream at 1, retaining until 1970-01-02");

    assertThat(store.deleteExpired(due.minus(ONE_MILLI), 100)).as("deleteExpired 1 ms before 1970-01-02").isZero();
    assertThat(second.deleteExpired(due, 100)).as("deleteExpired at 1970-01-02 (second client)").isEqualTo(2);
    assertGone(store, expiring, "a stream deleted when due");
    assertGone(store, unchanged, "a stream deleted when due, last appended without retention");
    assertThat(marked(store, p, 100)).as("marked streams after the marked one was deleted").isEmpty();
    assertEvents(store, postponed, "p1", "p2");
    assertThat(store.deleteExpired(later.minus(ONE_MILLI), 100)).as("deleteExpired 1 ms before 1970-01-03").isZero();
    assertThat(store.deleteExpired(later, 100)).as("deleteExpired at 1970-01-03").isEqualTo(1);
    assertGone(second, postponed, "a stream deleted when due, through the second client");
    assertAppended(store, append(expiring, 0, "x2"), "an event to the deleted stream, expecting 0");
    assertEvents(store, expiring, "x2");

    Instant batch = Instant.parse("1970-01-05T00:00:00Z");
    List<String> five = IntStream.rangeClosed(1, 5).mapToObj(i -> p + "batch-" + i).toList();
    assertAppended(store, store.append(five.stream().map(s -> retained(s, 0, batch, "b1")).toList(), List.of()),
        "five streams retained until 1970-01-05");
    assertThat(List.of(store.deleteExpired(batch, 2), second.deleteExpired(batch, 2), store.deleteExpired(batch, 2),
        second.deleteExpired(batch, 2))).as("four calls of deleteExpired(1970-01-05, limit 2)")
        .containsExactly(2, 2, 1, 0);
    five.forEach(s -> assertGone(store, s, "a stream of the batch"));
    assertThat(store.deleteExpired(END_OF_1970, 100)).as("deleteExpired at 1971-01-01, with the test's streams left"
        + " not retained").isZero();
    assertEvents(store, plain, "n1");
    assertEvents(store, expiring, "x2");
  }

  /**
   * GS-26: an append with events and {@code changeFeed} marks its stream; {@code changed(after, limit)}
   * lists marked streams with their last sequences, sorted and paged; {@code clearChanged(s, n)}
   * removes a mark only when {@code s} is at {@code n} or below; deleting the stream removes it.
   */
  @Test
  @DisplayName("GS-26 the change feed marks appended streams until cleared through their last event")
  void gs26_changeFeedMarksUntilCleared() {
    String p = name("feed/");
    String a = p + "a";
    String b = p + "b";
    String c = p + "c";
    String d = p + "d";
    String e = p + "e";
    assertAppended(store, store.append(List.of(fed(a, 0, "a1", "a2"), append(b, 0, "b1"), append(c, 0, "c1"),
        append(d, 0, "d1"), fed(e, 0, "e1")), List.of()), "five streams, two on the change feed");
    assertAppended(store, fed(c, 1), "a check of a stream at 1 on the change feed, without events");
    assertConflict(store.append(List.of(fed(d, 0, "d2")), List.of()), Kind.STREAM_MOVED, d,
        "an append on the change feed expecting 0 of a stream at 1");
    assertThat(marked(store, p, 100)).as("marked streams").containsExactly(new StreamHead(a, 2), new StreamHead(e, 1));
    assertThat(marked(second, p, 1)).as("marked streams in pages of 1, through the second client")
        .containsExactly(new StreamHead(a, 2), new StreamHead(e, 1));
    assertThat(store.changed(a, 1)).as("changed(a, 1)").containsExactly(new StreamHead(e, 1));

    assertAppended(second, fed(a, 2, "a3"), "a third event on the change feed (second client)");
    second.clearChanged(a, 2);
    assertThat(marked(store, p, 100)).as("marked streams after clearChanged(a, 2) of a at 3")
        .containsExactly(new StreamHead(a, 3), new StreamHead(e, 1));
    store.clearChanged(a, 3);
    assertThat(marked(store, p, 100)).as("after clearChanged(a, 3)").containsExactly(new StreamHead(e, 1));
    assertAppended(store, append(a, 3, "a4"), "an append without the change feed");
    assertThat(marked(store, p, 100)).as("after an append without the change feed")
        .containsExactly(new StreamHead(e, 1));
    assertAppended(store, fed(a, 4, "a5"), "an append on the change feed");
    assertAppended(second, append(a, 5, "a6"),
        "an append without the change feed to the marked stream (second client)");
    assertThat(marked(second, p, 100)).as("after appends with and without the change feed")
        .containsExactly(new StreamHead(a, 6), new StreamHead(e, 1));
    store.clearChanged(a, 5);
    assertThat(marked(store, p, 100)).as("after clearChanged(a, 5) of a at 6")
        .containsExactly(new StreamHead(a, 6), new StreamHead(e, 1));
    second.clearChanged(a, 10);
    assertThat(marked(store, p, 100)).as("after clearChanged(a, 10) (second client)")
        .containsExactly(new StreamHead(e, 1));
    assertThatCode(() -> store.clearChanged(name("never-marked"), 1)).as("clearChanged of a stream never marked")
        .doesNotThrowAnyException();
    assertThat(store.deleteStream(e, 1)).as("deleteStream of the other marked stream").isTrue();
    assertThat(marked(second, p, 100)).as("after the marked stream was deleted").isEmpty();
  }

  /**
   * GS-27: a consumer that pages {@code changed}, reads each marked stream after what it consumed and
   * clears it through what it read, while other threads append on the change feed, reads every event
   * exactly once: no mark is lost to an append racing with {@code clearChanged}.
   */
  @Test
  @DisplayName("GS-27 a change feed consumer racing appenders reads every event once")
  void gs27_changeFeedNeverMissesAChange() {
    String p = name("feed-race/");
    List<String> streams = IntStream.range(1, THREADS).mapToObj(thread -> p + thread).toList();
    Map<String, List<StoredEvent>> consumed = new HashMap<>();
    Map<String, Long> readThrough = new ConcurrentHashMap<>();
    for (int round = 1; round <= ROUNDS; round++) {
      int r = round;
      AtomicInteger appending = new AtomicInteger(THREADS - 1);
      AtomicBoolean consuming = new AtomicBoolean(true);
      AtomicInteger passes = new AtomicInteger();
      Concurrently.run(THREADS, thread -> {
        if (thread == 0) {
          try {
            while (appending.get() > 0) {
              consume(client(passes.get()), p, consumed, readThrough);
              passes.incrementAndGet();
            }
          } finally {
            consuming.set(false);
          }
          return null;
        }
        String stream = p + thread;
        try {
          for (int i = 0; i < FEED_APPENDS; i++) {
            long last = (r - 1L) * FEED_APPENDS + i;
            assertAppended(client(thread), fed(stream, last, label(thread, (int) last + 1)),
                "an event on the change feed expecting " + last);
            // The next append lands as the consumer clears this one: once it was read, or after two
            // more passes (a pass that starts after an append reads it, unless its mark was lost).
            int appendedAt = passes.get();
            while (consuming.get() && readThrough.getOrDefault(stream, 0L) <= last
                && passes.get() < appendedAt + 2) {
              Thread.yield();
            }
          }
          return null;
        } finally {
          appending.decrementAndGet();
        }
      });
      drain(p, consumed, readThrough);
      assertConsumedEverything(streams, consumed, "after round " + round + " of " + (THREADS - 1)
          + " threads (alternating clients) appending on the change feed while a consumer read");
    }

    assertAppended(store, store.append(streams.stream().map(s -> fed(s, store.lastSequence(s), "x1", "x2", "x3",
        "x4", "x5")).toList(), List.of()), "five events on the change feed to each stream, in one append");
    drain(p, consumed, readThrough);
    assertConsumedEverything(streams, consumed, "after five more events each, read " + CONSUMER_READ + " at a time");
  }

  private GroupStore client(int thread) {
    return thread % 2 == 0 ? store : second;
  }

  private String name(String name) {
    return prefix + name;
  }

  /** Whether thread {@code thread} of GS-24 deletes (threads 0, 1, 4, 5, …) rather than appends. */
  private static boolean deletes(int thread) {
    return thread / 2 % 2 == 0;
  }

  /** Event {@code i} of GS-22: typed {@code a} when odd, {@code b} when even. */
  private static NewEvent alternating(int i) {
    return new NewEvent(i % 2 == 1 ? "a" : "b", payload("e" + i));
  }

  /** {@link #alternating} as stored at sequence {@code i}. */
  private static StoredEvent alternated(int i) {
    NewEvent e = alternating(i);
    return new StoredEvent(i, e.type(), e.payload());
  }

  /**
   * Deletes every stream due at {@code now}, whoever retained it, so the counts of {@code deleteExpired}
   * that follow are the test's own.
   */
  private void drainExpired(Instant now) {
    for (int call = 0; call < 1_000; call++) {
      if (store.deleteExpired(now, 1_000) < 1_000) {
        return;
      }
    }
    fail("deleteExpired(%s, 1000) still deleted 1000 streams after 1000 calls", now);
  }

  /**
   * The marked streams under {@code prefix}, paging {@code changed} by {@code page} from {@code prefix}
   * on: each page must hold streams after the one asked for, in order, at most {@code page}.
   */
  private static List<StreamHead> marked(GroupStore client, String prefix, int page) {
    List<StreamHead> marked = new ArrayList<>();
    String after = prefix;
    while (true) {
      List<StreamHead> heads = client.changed(after, page);
      assertThat(heads).as("changed(%s, %d)", after, page).hasSizeLessThanOrEqualTo(page);
      for (StreamHead head : heads) {
        assertThat(head.stream()).as("a stream changed(%s, %d) listed, after the one before it", after, page)
            .isGreaterThan(after);
        if (!head.stream().startsWith(prefix)) {
          return marked;
        }
        marked.add(head);
        after = head.stream();
      }
      if (heads.size() < page) {
        return marked;
      }
    }
  }

  /**
   * One pass of GS-27's consumer: each marked stream under {@code prefix} is read after what it
   * consumed, {@link #CONSUMER_READ} events at most, and cleared through what it read; {@code readThrough}
   * tells the appenders, before the clear, how far it read.
   */
  private static void consume(GroupStore client, String prefix, Map<String, List<StoredEvent>> consumed,
      Map<String, Long> readThrough) {
    for (StreamHead head : marked(client, prefix, CONSUMER_PAGE)) {
      List<StoredEvent> mine = consumed.computeIfAbsent(head.stream(), s -> new ArrayList<>());
      long through = mine.isEmpty() ? 0 : mine.get(mine.size() - 1).sequence();
      List<StoredEvent> read = client.read(head.stream(), through, CONSUMER_READ);
      mine.addAll(read);
      through = read.isEmpty() ? through : read.get(read.size() - 1).sequence();
      readThrough.put(head.stream(), through);
      client.clearChanged(head.stream(), through);
    }
  }

  /** GS-27's consumer, once the appenders stopped: passes until no stream under {@code prefix} is marked. */
  private void drain(String prefix, Map<String, List<StoredEvent>> consumed, Map<String, Long> readThrough) {
    for (int pass = 0; pass < 1_000 && !marked(store, prefix, CONSUMER_PAGE).isEmpty(); pass++) {
      consume(client(pass), prefix, consumed, readThrough);
    }
    assertThat(marked(store, prefix, CONSUMER_PAGE)).as("marked streams after the consumer drained the feed")
        .isEmpty();
  }

  /** GS-27's consumer read each stream whole, each event once, in order. */
  private void assertConsumedEverything(List<String> streams, Map<String, List<StoredEvent>> consumed, String when) {
    for (String stream : streams) {
      assertThat(consumed.getOrDefault(stream, List.of())).as("events of %s the consumer read, %s", stream, when)
          .containsExactlyElementsOf(store.read(stream, 0, ALL));
    }
  }

  /** The stream is gone whole, as one never written: no events, no snapshot, not listed. */
  private static void assertGone(GroupStore client, String stream, String what) {
    assertThat(client.lastSequence(stream)).as("lastSequence of %s", what).isZero();
    assertThat(client.read(stream, 0, ALL)).as("events of %s", what).isEmpty();
    assertThat(client.snapshot(stream)).as("snapshot of %s", what).isEmpty();
    assertThat(client.streams(stream, null, 10)).as("streams named like %s", what).doesNotContain(stream);
    assertThat(client.heads(stream, null, 10)).extracting(StreamHead::stream).as("heads named like %s", what)
        .doesNotContain(stream);
  }

  private static String longName(String stem, char last) {
    String name = stem + "x".repeat(GroupStore.MAX_NAME_LENGTH - stem.length() - 1) + last;
    assertThat(name).as("a name of MAX_NAME_LENGTH characters").hasSize(GroupStore.MAX_NAME_LENGTH);
    return name;
  }

  private static String label(int thread, int attempt) {
    return "t" + thread + "-" + attempt;
  }

  /** The JSON payload the kit writes for an event labelled {@code label}. */
  private static String payload(String label) {
    return "{\"label\":\"" + label + "\"}";
  }

  private static List<NewEvent> events(String... labels) {
    return Arrays.stream(labels).map(label -> new NewEvent(TYPE, payload(label))).toList();
  }

  private static StreamAppend append(String stream, long expected, String... labels) {
    return new StreamAppend(stream, expected, events(labels));
  }

  /** An append on the change feed. */
  private static StreamAppend fed(String stream, long expected, String... labels) {
    return new StreamAppend(stream, expected, events(labels), null, true);
  }

  /** An append that retains the stream until {@code until}. */
  private static StreamAppend retained(String stream, long expected, Instant until, String... labels) {
    return new StreamAppend(stream, expected, events(labels), until, false);
  }

  private static void assertAppended(GroupStore client, StreamAppend append, String what) {
    assertAppended(client, client.append(List.of(append), List.of()), what);
  }

  private static void assertAppended(GroupStore client, AppendResult result, String what) {
    assertThat(result).as("result of %s", what).isEqualTo(AppendResult.appended());
  }

  private static void assertConflict(AppendResult result, Kind kind, String name, String what) {
    assertThat(result).as("result of %s", what).isEqualTo(new Conflict(kind, name));
  }

  /**
   * Exactly one of {@code results} is appended and every other is {@code loss}: losing a race is a
   * conflict, not an exception. Returns the winner's index.
   */
  private static int assertOneWinner(List<AppendResult> results, Conflict loss, String what) {
    assertThat(results).as("results of %s", what).containsOnlyOnce(AppendResult.appended());
    assertThat(results).as("results of %s", what).containsOnly(AppendResult.appended(), loss);
    return results.indexOf(AppendResult.appended());
  }

  /** The whole stream holds exactly the events labelled {@code labels}, numbered from 1. */
  private static void assertEvents(GroupStore client, String stream, String... labels) {
    List<StoredEvent> expected = IntStream.range(0, labels.length)
        .mapToObj(i -> new StoredEvent(i + 1L, TYPE, payload(labels[i]))).toList();
    assertThat(client.read(stream, 0, ALL)).as("events of %s", stream).containsExactlyElementsOf(expected);
  }

  /** The stream has no event: {@code lastSequence} 0, nothing to read. */
  private void assertNothingWritten(String stream, String what) {
    assertThat(store.lastSequence(stream)).as("lastSequence of %s", what).isZero();
    assertThat(store.read(stream, 0, ALL)).as("events of %s", what).isEmpty();
  }

  /** {@code read(stream, after, limit)} returns the events labelled {@code e<first>} to {@code e<last>}. */
  private void assertRead(String stream, long after, int limit, int first, int last) {
    List<StoredEvent> expected = IntStream.rangeClosed(first, last)
        .mapToObj(i -> new StoredEvent(i, TYPE, payload("e" + i))).toList();
    assertThat(store.read(stream, after, limit)).as("read(%s, %d, %d)", stream, after, limit)
        .containsExactlyElementsOf(expected);
  }
}
