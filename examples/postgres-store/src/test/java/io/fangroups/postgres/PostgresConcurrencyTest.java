package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.UniqueKey;
import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.Concurrently;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two stores over two separate HikariCP pools on one database: two processes as far as PostgreSQL
 * can tell. Nothing in the JVM is shared between them but the database.
 */
class PostgresConcurrencyTest {
  private static final int THREADS = 16;

  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private GroupStore first;
  private GroupStore second;

  @BeforeEach
  void twoProcesses() {
    String database = postgres.createDatabase();
    PostgresMigrations.migrate(postgres.pool(database, 1));
    first = new PostgresGroupStore(postgres.pool(database, THREADS / 2));
    second = new PostgresGroupStore(postgres.pool(database, THREADS / 2));
  }

  private GroupStore store(int thread) {
    return thread % 2 == 0 ? first : second;
  }

  @Test
  void append_sixteenThreadsExpectingOneSequence_exactlyOneWinsEachRound() throws Exception {
    int rounds = 20;
    for (int round = 0; round < rounds; round++) {
      long expected = round;
      List<Boolean> won = Concurrently.run(THREADS, t -> store(t).append(
          List.of(new StreamAppend("group/1", expected, List.of(new NewEvent("t", "{\"thread\":" + t + "}")))),
          List.of()).isAppended());

      assertThat(won).as("winners of round %d", round).containsOnlyOnce(true);
    }
    assertThat(first.read("group/1", 0, 100)).extracting(StoredEvent::sequence)
        .containsExactlyElementsOf(sequences(rounds));
  }

  @Test
  void append_sixteenThreadsRacingFreely_gaplessWithOneWinnerPerSequence() throws Exception {
    int appendsPerThread = 8;
    Map<Long, String> winners = new ConcurrentHashMap<>();
    Concurrently.run(THREADS, t -> {
      GroupStore store = store(t);
      for (int done = 0; done < appendsPerThread; ) {
        long last = store.lastSequence("group/1");
        String payload = "{\"thread\":" + t + ",\"n\":" + done + "}";
        AppendResult result = store.append(
            List.of(new StreamAppend("group/1", last, List.of(new NewEvent("t", payload)))), List.of());
        if (result.isAppended()) {
          assertThat(winners.putIfAbsent(last + 1, payload)).as("second winner of %d", last + 1).isNull();
          done++;
        }
      }
      return null;
    });

    List<StoredEvent> events = second.read("group/1", 0, 1000);
    assertThat(events).extracting(StoredEvent::sequence)
        .containsExactlyElementsOf(sequences(THREADS * appendsPerThread));
    assertThat(events).allSatisfy(e -> assertThat(e.payload()).isEqualTo(winners.get(e.sequence())));
  }

  @Test
  void append_multiStreamRacingInBothOrders_movesBothStreamsTogether() throws Exception {
    int appendsPerThread = 5;
    Concurrently.run(THREADS, t -> {
      GroupStore store = store(t);
      for (int done = 0; done < appendsPerThread; ) {
        String payload = "{\"thread\":" + t + ",\"n\":" + done + "}";
        List<NewEvent> event = List.of(new NewEvent("t", payload));
        StreamAppend a = new StreamAppend("group/a", store.lastSequence("group/a"), event);
        StreamAppend b = new StreamAppend("group/b", store.lastSequence("group/b"), event);
        if (store.append(t % 4 < 2 ? List.of(a, b) : List.of(b, a), List.of()).isAppended()) {
          done++;
        }
      }
      return null;
    });

    List<StoredEvent> a = first.read("group/a", 0, 1000);
    assertThat(a).hasSize(THREADS * appendsPerThread);
    assertThat(second.read("group/b", 0, 1000)).isEqualTo(a);
  }

  @Test
  void append_checkOneWriteOther_neverBothSucceed() throws Exception {
    for (int round = 0; round < 20; round++) {
      String x = "creator/x" + round;
      String y = "creator/y" + round;
      List<NewEvent> event = List.of(new NewEvent("granted", "{}"));
      List<Boolean> won = Concurrently.run(2, t -> store(t).append(t == 0
          ? List.of(new StreamAppend(x, 0, List.of()), new StreamAppend(y, 0, event))
          : List.of(new StreamAppend(y, 0, List.of()), new StreamAppend(x, 0, event)), List.of()).isAppended());

      assertThat(won).as("round %d: each append checks the stream the other writes", round).containsOnlyOnce(true);
    }
  }

  @Test
  void append_sixteenThreadsClaimingOneKey_oneWinsAndTheOthersWriteNothing() throws Exception {
    List<Boolean> won = Concurrently.run(THREADS, t -> store(t).append(
        List.of(new StreamAppend("group/" + t, 0, List.of(new NewEvent("requested", "{}")))),
        List.of(new UniqueKey("request/1", "from-" + t))).isAppended());

    assertThat(won).containsOnlyOnce(true);
    int winner = won.indexOf(true);
    assertThat(first.find("request/1")).contains("from-" + winner);
    assertThat(second.streams("group/", null, 100)).containsExactly("group/" + winner);
  }

  private static List<Long> sequences(int count) {
    return java.util.stream.LongStream.rangeClosed(1, count).boxed().toList();
  }
}
