package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store's snapshots, deletions, retention and change feed on PostgreSQL, including their races
 * with appends from a second pool (another process).
 */
class PostgresSnapshotsDeletionChangeFeedTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private HikariDataSource pool;
  private GroupStore store;
  private GroupStore other;

  @BeforeEach
  void freshDatabase() {
    String database = postgres.createDatabase();
    pool = postgres.pool(database, 8);
    PostgresMigrations.migrate(pool);
    store = new PostgresGroupStore(pool);
    other = new PostgresGroupStore(postgres.pool(database, 8));
  }

  // ------------------------------------------------------------------ snapshots

  @Test
  void saveSnapshot_keepsTheHighestSequence_aTieKeepsTheFirst() {
    append("group/1", 0, 5);

    store.saveSnapshot("group/1", 3, "{\"at\":3}");
    other.saveSnapshot("group/1", 2, "{\"at\":2}");
    assertThat(store.snapshot("group/1")).contains(new Snapshot(3, "{\"at\":3}"));

    other.saveSnapshot("group/1", 3, "{\"at\":3,\"again\":true}");
    assertThat(other.snapshot("group/1")).contains(new Snapshot(3, "{\"at\":3}"));

    store.saveSnapshot("group/1", 5, " {\"at\": 5, \"ü\": \"🎸\"} ");
    assertThat(other.snapshot("group/1")).contains(new Snapshot(5, " {\"at\": 5, \"ü\": \"🎸\"} "));
  }

  @Test
  void saveSnapshot_streamNeverWritten_savesNothing() {
    store.append(List.of(new StreamAppend("group/checked", 0, List.of())), List.of()); // a pure check's placeholder row

    store.saveSnapshot("group/none", 1, "{}");
    store.saveSnapshot("group/checked", 1, "{}");

    assertThat(store.snapshot("group/none")).isEmpty();
    assertThat(store.snapshot("group/checked")).isEmpty();
  }

  @Test
  void saveSnapshot_badArguments_areRefusedBeforeTheDatabase() {
    append("group/1", 0, 1);

    assertThatThrownBy(() -> store.saveSnapshot("group/1", 0, "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.saveSnapshot("group/1", 1, "a\0b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
    assertThat(store.snapshot("group/1")).isEmpty();
  }

  // ------------------------------------------------------------------ deleteEvents

  @Test
  void deleteEvents_ofTypesThroughASequence_readSkipsThemAndNumberingGoesOn() {
    store.append(List.of(new StreamAppend("group/1", 0, List.of(
        event("message", 1), event("joined", 2), event("message", 3), event("message", 4)))), List.of());

    assertThat(other.deleteEvents("group/1", 3, Set.of("message", "unknown"))).isEqualTo(2);

    assertThat(store.read("group/1", 0, 10)).extracting(StoredEvent::sequence).containsExactly(2L, 4L);
    assertThat(store.lastSequence("group/1")).isEqualTo(4);
    assertThat(store.read("group/1", 2, 1)).extracting(StoredEvent::sequence).containsExactly(4L);
    assertThat(store.append(List.of(new StreamAppend("group/1", 4, List.of(event("message", 5)))), List.of()))
        .isEqualTo(AppendResult.appended());
    assertThat(store.read("group/1", 0, 10)).extracting(StoredEvent::sequence).containsExactly(2L, 4L, 5L);
  }

  @Test
  void deleteEvents_noTypes_deletesEveryTypeButKeepsSnapshotMarkAndRetention() {
    store.append(List.of(new StreamAppend("group/1", 0, List.of(event("a", 1), event("b", 2), event("c", 3)),
        T0.plusSeconds(60), true)), List.of());
    store.saveSnapshot("group/1", 2, "{}");

    assertThat(store.deleteEvents("group/1", 2, Set.of())).isEqualTo(2);
    assertThat(store.deleteEvents("group/1", 2, Set.of())).isZero();
    assertThat(store.deleteEvents("group/none", 2, Set.of())).isZero();
    assertThat(store.deleteEvents("group/1", 0, Set.of())).isZero();

    assertThat(store.read("group/1", 0, 10)).extracting(StoredEvent::sequence).containsExactly(3L);
    assertThat(store.snapshot("group/1")).contains(new Snapshot(2, "{}"));
    assertThat(store.changed(null, 10)).containsExactly(new StreamHead("group/1", 3));
    assertThat(store.deleteExpired(T0.plusSeconds(60), 10)).isEqualTo(1);
  }

  // ------------------------------------------------------------------ deleteStream

  @Test
  void deleteStream_atItsLastSequence_removesItWhole_andItStartsAgainAt1() {
    store.append(List.of(new StreamAppend("group/1", 0, List.of(event("a", 1), event("b", 2)), T0, true)),
        List.of(new UniqueKey("request/1", "group/1")));
    store.saveSnapshot("group/1", 2, "{}");

    assertThat(other.deleteStream("group/1", 2)).isTrue();

    assertThat(store.lastSequence("group/1")).isZero();
    assertThat(store.read("group/1", 0, 10)).isEmpty();
    assertThat(store.snapshot("group/1")).isEmpty();
    assertThat(store.changed(null, 10)).isEmpty();
    assertThat(store.streams("group/", null, 10)).isEmpty();
    assertThat(store.deleteExpired(T0.plusSeconds(1), 10)).as("its retention went with it").isZero();
    assertThat(store.find("request/1")).as("keys are permanent").contains("group/1");
    assertThat(store.append(List.of(new StreamAppend("group/1", 2, List.of(event("c", 3)))), List.of()))
        .isEqualTo(new Conflict(Kind.STREAM_MOVED, "group/1"));
    append("group/1", 0, 1);
    assertThat(store.read("group/1", 0, 10)).extracting(StoredEvent::sequence).containsExactly(1L);
    assertThat(store.snapshot("group/1")).as("the old snapshot does not come back").isEmpty();
  }

  @Test
  void deleteStream_movedMissingOrOnlyChecked_returnsFalseAndKeepsEverything() {
    append("group/1", 0, 3);
    store.saveSnapshot("group/1", 3, "{}");
    store.append(List.of(new StreamAppend("group/checked", 0, List.of())), List.of());

    assertThat(store.deleteStream("group/1", 2)).isFalse();
    assertThat(store.deleteStream("group/1", 4)).isFalse();
    assertThat(store.deleteStream("group/1", 0)).isFalse();
    assertThat(store.deleteStream("group/none", 0)).isFalse();
    assertThat(store.deleteStream("group/none", 1)).isFalse();
    assertThat(store.deleteStream("group/checked", 0)).isFalse();

    assertThat(store.lastSequence("group/1")).isEqualTo(3);
    assertThat(store.read("group/1", 0, 10)).hasSize(3);
    assertThat(store.snapshot("group/1")).contains(new Snapshot(3, "{}"));
  }

  @Test
  void deleteStream_racingAnAppendFromAnotherProcess_oneOfThemWinsWhole() throws Exception {
    int rounds = 40;
    int appendsWon = 0;
    int deletesWon = 0;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        String stream = "group/race-" + round;
        append(stream, 0, 2);
        store.saveSnapshot(stream, 2, "{}");
        CountDownLatch go = new CountDownLatch(1);
        Future<AppendResult> appended = threads.submit(() -> {
          go.await();
          return other.append(List.of(new StreamAppend(stream, 2, List.of(event("late", 3)), null, true)), List.of());
        });
        Future<Boolean> deleted = threads.submit(() -> {
          go.await();
          return store.deleteStream(stream, 2);
        });
        go.countDown();
        boolean appendWon = appended.get(30, TimeUnit.SECONDS).isAppended();
        boolean deleteWon = deleted.get(30, TimeUnit.SECONDS);

        assertThat(appendWon ^ deleteWon).as("exactly one of the append and the delete in round %d", round).isTrue();
        if (appendWon) {
          appendsWon++;
          assertThat(store.read(stream, 0, 10)).extracting(StoredEvent::sequence).containsExactly(1L, 2L, 3L);
          assertThat(store.snapshot(stream)).isPresent();
          assertThat(store.changed(null, 1000)).contains(new StreamHead(stream, 3));
        } else {
          deletesWon++;
          assertThat(store.lastSequence(stream)).isZero();
          assertThat(store.read(stream, 0, 10)).as("no event of the losing append").isEmpty();
          assertThat(store.snapshot(stream)).isEmpty();
          assertThat(store.changed(null, 1000)).extracting(StreamHead::stream).doesNotContain(stream);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(appendsWon + deletesWon).isEqualTo(rounds);
  }

  @Test
  void saveSnapshot_racingDeleteStream_neverLeavesASnapshotOnADeletedStream() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 40; round++) {
        String stream = "group/snap-" + round;
        append(stream, 0, 2);
        CountDownLatch go = new CountDownLatch(1);
        Future<?> saved = threads.submit(() -> {
          go.await();
          other.saveSnapshot(stream, 2, "{\"round\":true}");
          return null;
        });
        Future<Boolean> deleted = threads.submit(() -> {
          go.await();
          return store.deleteStream(stream, 2);
        });
        go.countDown();
        saved.get(30, TimeUnit.SECONDS);
        assertThat(deleted.get(30, TimeUnit.SECONDS)).isTrue();

        assertThat(store.snapshot(stream)).as("round %d", round).isEmpty();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ retention

  @Test
  void deleteExpired_deletesStreamsDueAtOrBeforeNow_upToTheLimit() {
    store.append(List.of(
        new StreamAppend("idem/a", 0, List.of(event("started", 1)), T0.minusSeconds(10), false),
        new StreamAppend("idem/b", 0, List.of(event("started", 1)), T0, false),
        new StreamAppend("idem/c", 0, List.of(event("started", 1)), T0.plusNanos(1), false),
        new StreamAppend("idem/d", 0, List.of(event("started", 1)), null, false)), List.of());
    store.saveSnapshot("idem/a", 1, "{}");

    assertThat(other.deleteExpired(T0, 1)).isEqualTo(1);
    assertThat(other.deleteExpired(T0, 10)).isEqualTo(1);
    assertThat(other.deleteExpired(T0, 10)).isZero();

    assertThat(store.streams("idem/", null, 10)).containsExactly("idem/c", "idem/d");
    assertThat(store.read("idem/a", 0, 10)).isEmpty();
    assertThat(store.snapshot("idem/a")).isEmpty();
    assertThat(store.deleteExpired(T0.plusNanos(999), 10)).as("a retention is never rounded earlier").isZero();
    assertThat(store.deleteExpired(T0.plusSeconds(1), 0)).isZero();
    assertThat(store.deleteExpired(T0.plusSeconds(1), 10)).isEqualTo(1);
    assertThat(store.streams("idem/", null, 10)).containsExactly("idem/d");
  }

  @Test
  void append_retention_aLaterValueReplacesIt_nullLeavesIt() {
    store.append(List.of(new StreamAppend("idem/a", 0, List.of(event("started", 1)), T0, false)), List.of());
    store.append(List.of(new StreamAppend("idem/a", 1, List.of(event("finished", 2)))), List.of());
    assertThat(store.deleteExpired(T0.minusSeconds(1), 10)).isZero();

    store.append(List.of(new StreamAppend("idem/a", 2, List.of(event("again", 3)), T0.plusSeconds(60), false)),
        List.of());
    assertThat(store.deleteExpired(T0, 10)).as("moved later by the last append that set one").isZero();

    assertThat(store.append(List.of(new StreamAppend("idem/a", 3, List.of(), T0.plusSeconds(30), false)), List.of()))
        .as("an append without events may set it too").isEqualTo(AppendResult.appended());
    assertThat(store.append(List.of(new StreamAppend("idem/a", 2, List.of(), T0, false)), List.of()))
        .isEqualTo(new Conflict(Kind.STREAM_MOVED, "idem/a"));
    assertThat(store.deleteExpired(T0.plusSeconds(30), 10)).isEqualTo(1);
  }

  @Test
  void deleteExpired_findsDueStreamsThroughThePartialIndex() throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET enable_seqscan = off");
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = s.executeQuery("EXPLAIN SELECT stream FROM fg_streams"
          + " WHERE retain_until <= now() ORDER BY retain_until LIMIT 100")) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString()).contains("fg_streams_retain_until");
    }
  }

  // ------------------------------------------------------------------ change feed

  @Test
  void changed_listsStreamsAppendedOnTheFeed_inNameOrder_paged() {
    assertThat(store.changed(null, 10)).isEmpty();
    store.append(List.of(
        new StreamAppend("group/b", 0, List.of(event("a", 1), event("b", 2)), null, true),
        new StreamAppend("group/a", 0, List.of(event("a", 1)), null, true),
        new StreamAppend("creator/u", 0, List.of(event("a", 1)), null, false)), List.of());
    store.append(List.of(new StreamAppend("group/B", 0, List.of(event("a", 1)), null, true)), List.of());
    store.append(List.of(new StreamAppend("group/c", 0, List.of(), null, true)), List.of());
    store.append(List.of(new StreamAppend("group/a", 1, List.of(event("b", 2), event("c", 3)), null, true)), List.of());

    assertThat(other.changed(null, 10)).containsExactly(
        new StreamHead("group/B", 1), new StreamHead("group/a", 3), new StreamHead("group/b", 2));
    assertThat(other.changed("", 2)).containsExactly(new StreamHead("group/B", 1), new StreamHead("group/a", 3));
    assertThat(other.changed("group/a", 2)).containsExactly(new StreamHead("group/b", 2));
    assertThat(other.changed("group/b", 2)).isEmpty();
    assertThat(other.changed(null, 0)).isEmpty();
  }

  @Test
  void append_onTheFeedThatConflicts_marksNothing() {
    append("group/b", 0, 1);

    AppendResult result = store.append(List.of(
        new StreamAppend("group/a", 0, List.of(event("a", 1)), null, true),
        new StreamAppend("group/b", 0, List.of(event("a", 1)), null, true)), List.of());

    assertThat(result).isEqualTo(new Conflict(Kind.STREAM_MOVED, "group/b"));
    assertThat(store.changed(null, 10)).isEmpty();
  }

  @Test
  void clearChanged_removesTheMarkOnlyThroughItsSequence() {
    store.append(List.of(new StreamAppend("group/a", 0, List.of(event("a", 1), event("b", 2)), null, true)),
        List.of());

    other.clearChanged("group/a", 1);
    assertThat(store.changed(null, 10)).containsExactly(new StreamHead("group/a", 2));
    other.clearChanged("group/a", 2);
    assertThat(store.changed(null, 10)).isEmpty();
    other.clearChanged("group/a", 2);
    other.clearChanged("group/never", 5);

    store.append(List.of(new StreamAppend("group/a", 2, List.of(event("c", 3)), null, true)), List.of());
    assertThat(store.changed(null, 10)).containsExactly(new StreamHead("group/a", 3));
  }

  /**
   * A relay on one pool lists marks and clears each through the head it saw, while appenders on the
   * other pool keep marking the same streams: when they stop, every stream is either still marked or
   * was cleared through its final sequence, so no stream with new events is lost.
   */
  @Test
  void clearChanged_racingAppends_neverLosesAStreamWithNewEvents() throws Exception {
    List<String> streams = IntStream.range(0, 6).mapToObj(i -> "group/feed-" + i).toList();
    Map<String, Long> clearedThrough = new ConcurrentHashMap<>();
    AtomicBoolean appending = new AtomicBoolean(true);
    ExecutorService threads = Executors.newFixedThreadPool(5);
    try {
      Future<?> relay = threads.submit(() -> {
        while (appending.get()) {
          for (StreamHead head : store.changed(null, 100)) {
            store.clearChanged(head.stream(), head.lastSequence());
            clearedThrough.merge(head.stream(), head.lastSequence(), Math::max);
          }
        }
        return null;
      });
      List<Future<?>> appenders = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        appenders.add(threads.submit(() -> {
          for (int i = 0; i < 150; i++) {
            String stream = streams.get((first + i) % streams.size());
            long last = other.lastSequence(stream);
            other.append(List.of(new StreamAppend(stream, last, List.of(event("m", i)), null, true)), List.of());
          }
          return null;
        }));
      }
      for (Future<?> appender : appenders) {
        appender.get(120, TimeUnit.SECONDS);
      }
      appending.set(false);
      relay.get(60, TimeUnit.SECONDS);
    } finally {
      threads.shutdownNow();
    }

    Map<String, Long> marked = new HashMap<>();
    store.changed(null, 100).forEach(h -> marked.put(h.stream(), h.lastSequence()));
    for (String stream : streams) {
      long last = store.lastSequence(stream);
      assertThat(last).isPositive();
      boolean seen = marked.getOrDefault(stream, 0L) == last || clearedThrough.getOrDefault(stream, 0L) >= last;
      assertThat(seen).as("%s at %d: marked %s, cleared through %s", stream, last, marked.get(stream),
          clearedThrough.get(stream)).isTrue();
    }
  }

  // ------------------------------------------------------------------ helpers

  private void append(String stream, long expected, int count) {
    List<NewEvent> events = new ArrayList<>();
    for (long i = expected + 1; i <= expected + count; i++) {
      events.add(event("e", i));
    }
    assertThat(store.append(List.of(new StreamAppend(stream, expected, events)), List.of()).isAppended()).isTrue();
  }

  private static NewEvent event(String type, long n) {
    return new NewEvent(type, "{\"n\":" + n + "}");
  }
}
