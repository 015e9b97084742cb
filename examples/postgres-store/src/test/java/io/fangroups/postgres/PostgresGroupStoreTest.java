package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.spi.GroupStore;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.AppendResult.Conflict;
import io.fangroups.spi.GroupStore.AppendResult.Kind;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.UniqueKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresGroupStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private GroupStore store;

  @BeforeEach
  void freshDatabase() {
    store = new PostgresGroupStore(postgres.migratedPool(4));
  }

  @Test
  void append_newStream_readsBackExactlyAndInOrder() {
    List<NewEvent> events = List.of(
        event("created", "{\"name\": \"Fans of ünïcödé 🎸\", \"n\":  1.50}"),
        event("joined", "{\"quote\":\"\\\"\",\"back\":\"\\\\\",\"tab\":\"\t\",\"cjk\":\"日本語\"}"),
        event("left", "  not even json  \n"));

    assertThat(store.append(List.of(new StreamAppend("group/1", 0, events)), List.of()).isAppended()).isTrue();

    assertThat(store.read("group/1", 0, 10)).containsExactly(
        new StoredEvent(1, "created", events.get(0).payload()),
        new StoredEvent(2, "joined", events.get(1).payload()),
        new StoredEvent(3, "left", events.get(2).payload()));
    assertThat(store.lastSequence("group/1")).isEqualTo(3);
  }

  @Test
  void append_afterExpectedSequence_continuesNumbering() {
    append("group/1", 0, "a", "b");

    assertThat(store.append(List.of(new StreamAppend("group/1", 2, List.of(event("c", "3")))), List.of()))
        .isEqualTo(AppendResult.appended());

    assertThat(store.read("group/1", 0, 10)).extracting(StoredEvent::sequence, StoredEvent::type)
        .containsExactly(tuple(1L, "a"), tuple(2L, "b"), tuple(3L, "c"));
  }

  @Test
  void append_staleExpectation_conflictsAndWritesNothing() {
    append("group/1", 0, "a", "b");

    assertThat(store.append(List.of(new StreamAppend("group/1", 1, List.of(event("x", "{}")))), List.of()))
        .isEqualTo(new Conflict(Kind.STREAM_MOVED, "group/1"));
    assertThat(store.append(List.of(new StreamAppend("group/1", 0, List.of(event("x", "{}")))), List.of()))
        .isEqualTo(new Conflict(Kind.STREAM_MOVED, "group/1"));
    assertThat(store.append(List.of(new StreamAppend("group/2", 5, List.of(event("x", "{}")))), List.of()))
        .isEqualTo(new Conflict(Kind.STREAM_MOVED, "group/2"));

    assertThat(store.read("group/1", 0, 10)).extracting(StoredEvent::type).containsExactly("a", "b");
    assertThat(store.lastSequence("group/2")).isZero();
  }

  @Test
  void append_noEvents_isAPureCheck() {
    append("group/1", 0, "a");

    assertThat(store.append(List.of(new StreamAppend("group/1", 1, List.of())), List.of()).isAppended()).isTrue();
    assertThat(store.append(List.of(new StreamAppend("group/1", 0, List.of())), List.of()))
        .isEqualTo(new Conflict(Kind.STREAM_MOVED, "group/1"));
    assertThat(store.append(List.of(new StreamAppend("group/new", 0, List.of())), List.of()).isAppended()).isTrue();
    assertThat(store.lastSequence("group/1")).isEqualTo(1);
  }

  @Test
  void append_checkOfAbsentStreamBesideAWrite_leavesNoVisibleStream() {
    assertThat(store.append(List.of(
        new StreamAppend("creator/7", 0, List.of()),
        new StreamAppend("group/1", 0, List.of(event("created", "{}")))), List.of()).isAppended()).isTrue();

    assertThat(store.streams("", null, 10)).containsExactly("group/1");
    assertThat(store.lastSequence("creator/7")).isZero();
    assertThat(store.read("creator/7", 0, 10)).isEmpty();
    append("creator/7", 0, "granted");
    assertThat(store.read("creator/7", 0, 10)).extracting(StoredEvent::sequence).containsExactly(1L);
  }

  @Test
  void append_secondStreamMoved_firstStreamUnchanged() {
    append("group/b", 0, "a");

    AppendResult result = store.append(List.of(
        new StreamAppend("group/a", 0, List.of(event("x", "{}"))),
        new StreamAppend("group/b", 0, List.of(event("x", "{}")))), List.of(new UniqueKey("request/1", "r")));

    assertThat(result).isEqualTo(new Conflict(Kind.STREAM_MOVED, "group/b"));
    assertThat(store.lastSequence("group/a")).isZero();
    assertThat(store.read("group/a", 0, 10)).isEmpty();
    assertThat(store.streams("group/", null, 10)).containsExactly("group/b");
    assertThat(store.find("request/1")).isEmpty();
  }

  @Test
  void append_keyExists_writesNothingAndKeepsTheFirstValue() {
    assertThat(store.append(List.of(), List.of(new UniqueKey("request/1", "first"))).isAppended()).isTrue();

    AppendResult result = store.append(
        List.of(new StreamAppend("group/1", 0, List.of(event("x", "{}")))),
        List.of(new UniqueKey("passcode-digest/0", "other"), new UniqueKey("request/1", "second")));

    assertThat(result).isEqualTo(new Conflict(Kind.KEY_EXISTS, "request/1"));
    assertThat(store.find("request/1")).contains("first");
    assertThat(store.find("passcode-digest/0")).isEmpty();
    assertThat(store.lastSequence("group/1")).isZero();
  }

  @Test
  void append_streamOrKeyTwice_isRefused() {
    StreamAppend a = new StreamAppend("group/1", 0, List.of(event("x", "{}")));

    assertThatThrownBy(() -> store.append(List.of(a, a), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group/1");
    assertThatThrownBy(() -> store.append(List.of(), List.of(new UniqueKey("k", "1"), new UniqueKey("k", "2"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k");
    assertThat(store.lastSequence("group/1")).isZero();
  }

  @Test
  void append_payloadWithNul_isRefusedBeforeTheDatabase() {
    assertThatThrownBy(() -> append("group/1", 0, "a\0b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+0000");
  }

  @Test
  void read_afterAndLimit_returnTheWindow() {
    append("group/1", 0, "1", "2", "3", "4", "5");

    assertThat(store.read("group/1", 2, 2)).extracting(StoredEvent::sequence).containsExactly(3L, 4L);
    assertThat(store.read("group/1", 4, 10)).extracting(StoredEvent::sequence).containsExactly(5L);
    assertThat(store.read("group/1", 5, 10)).isEmpty();
    assertThat(store.read("group/1", 0, 0)).isEmpty();
    assertThat(store.read("group/none", 0, 10)).isEmpty();
  }

  @Test
  void streams_prefixAfterLimit_sortedLikeStringCompareTo() {
    for (String name : List.of("group/b", "group/a", "group/aa", "group0", "groupX", "creator/1", "group/B")) {
      append(name, 0, "x");
    }

    assertThat(store.streams("group/", null, 10)).containsExactly("group/B", "group/a", "group/aa", "group/b");
    assertThat(store.streams("group/", "", 10)).containsExactly("group/B", "group/a", "group/aa", "group/b");
    assertThat(store.streams("group/", "group/a", 10)).containsExactly("group/aa", "group/b");
    assertThat(store.streams("group/", "group/a", 1)).containsExactly("group/aa");
    assertThat(store.streams("group/", "zzz", 10)).isEmpty();
    assertThat(store.streams("group/", "a", 2)).containsExactly("group/B", "group/a");
    assertThat(store.streams("", null, 100)).isSorted().hasSize(7);
    assertThat(store.streams("group/", null, 0)).isEmpty();
  }

  @Test
  void streams_underscoreAndPercentInPrefix_areLiteral() {
    for (String name : List.of("a_b/1", "axb/1", "a%b/1", "ayyb/1", "a\\b/1")) {
      append(name, 0, "x");
    }

    assertThat(store.streams("a_b", null, 10)).containsExactly("a_b/1");
    assertThat(store.streams("a%b", null, 10)).containsExactly("a%b/1");
    assertThat(store.streams("a\\", null, 10)).containsExactly("a\\b/1");
  }

  @Test
  void prefixUpperBound_isTheLeastStringAboveThePrefix() {
    assertThat(PostgresGroupStore.prefixUpperBound("group/")).isEqualTo("group0");
    assertThat(PostgresGroupStore.prefixUpperBound("")).isNull();
    assertThat(PostgresGroupStore.prefixUpperBound("a\uD7FF")).isEqualTo("a\uE000");
    assertThat(PostgresGroupStore.prefixUpperBound("a" + new String(Character.toChars(Character.MAX_CODE_POINT))))
        .isEqualTo("b");
  }

  @Test
  void find_unclaimedKey_isEmpty() {
    assertThat(store.find("request/none")).isEmpty();
  }

  @Test
  void advanceCursor_onlyMovesForward() {
    assertThat(store.cursor("relay/group/1")).isZero();

    store.advanceCursor("relay/group/1", 5);
    store.advanceCursor("relay/group/1", 3);
    store.advanceCursor("relay/group/1", -1);
    assertThat(store.cursor("relay/group/1")).isEqualTo(5);

    store.advanceCursor("relay/group/1", 9);
    assertThat(store.cursor("relay/group/1")).isEqualTo(9);
    store.advanceCursor("other", -4);
    assertThat(store.cursor("other")).isZero();
  }

  @Test
  void tryLease_exclusiveUntilExpiry_renewableByItsHolder() {
    Duration ttl = Duration.ofSeconds(30);

    assertThat(store.tryLease("relay", "a", T0, ttl)).isTrue();
    assertThat(store.tryLease("relay", "b", T0.plusSeconds(29), ttl)).isFalse();
    assertThat(store.tryLease("relay", "a", T0.plusSeconds(20), ttl)).isTrue();
    assertThat(store.tryLease("relay", "b", T0.plusSeconds(49), ttl)).isFalse();
    assertThat(store.tryLease("relay", "b", T0.plusSeconds(50), ttl)).isTrue();
    assertThat(store.tryLease("relay", "a", T0.plusSeconds(51), ttl)).isFalse();
  }

  @Test
  void tryLease_subMicrosecondExpiry_neverGrantedEarly() {
    Instant granted = T0.plusNanos(1_500);

    assertThat(store.tryLease("relay", "a", granted, Duration.ofNanos(1_000))).isTrue();
    assertThat(store.tryLease("relay", "b", granted.plusNanos(999), Duration.ofSeconds(1))).isFalse();
  }

  @Test
  void releaseLease_onlyByItsHolder() {
    store.tryLease("relay", "a", T0, Duration.ofMinutes(1));

    store.releaseLease("relay", "b");
    assertThat(store.tryLease("relay", "b", T0, Duration.ofMinutes(1))).isFalse();
    store.releaseLease("relay", "a");
    assertThat(store.tryLease("relay", "b", T0, Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void sharedAcrossProcesses_isTrue() {
    assertThat(store.sharedAcrossProcesses()).isTrue();
  }

  @Test
  void databaseFailure_isWrappedWithItsSqlState() {
    GroupStore unmigrated = new PostgresGroupStore(postgres.pool(postgres.createDatabase(), 1));

    assertThatThrownBy(() -> unmigrated.lastSequence("group/1"))
        .isInstanceOf(PostgresStoreException.class)
        .hasMessageContaining("lastSequence failed (SQL state 42P01)")
        .extracting(e -> ((PostgresStoreException) e).sqlState()).isEqualTo("42P01");
  }

  private void append(String stream, long expected, String... types) {
    List<NewEvent> events = java.util.Arrays.stream(types).map(t -> event(t, "{\"t\":\"" + t + "\"}")).toList();
    assertThat(store.append(List.of(new StreamAppend(stream, expected, events)), List.of()).isAppended()).isTrue();
  }

  private static NewEvent event(String type, String payload) {
    return new NewEvent(type, payload);
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
