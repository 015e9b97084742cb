package io.fangroups.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.AppendResult.Conflict;
import io.fangroups.spi.GroupStore.AppendResult.Kind;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.UniqueKey;
import io.fangroups.spi.Wallet;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the kits do not check: MySQL's own pitfalls, and the bounds the store sets. */
class MySqlGroupStoreTest {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  @Test
  void namesDifferingOnlyInTrailingSpaces_areDifferentKeysAndStreams() {
    MySqlGroupStore store = new MySqlGroupStore(mysql.migratedPool(2));

    // Under a PAD SPACE collation ('k' = 'k '), the second claim would be refused as a duplicate.
    assertThat(store.append(List.of(), List.of(new UniqueKey("request/k", "first"))).isAppended()).isTrue();
    assertThat(store.append(List.of(), List.of(new UniqueKey("request/k ", "second"))).isAppended()).isTrue();
    assertThat(store.append(List.of(), List.of(new UniqueKey("request/K", "third"))).isAppended()).isTrue();
    assertThat(store.find("request/k")).contains("first");
    assertThat(store.find("request/k ")).contains("second");
    assertThat(store.append(List.of(), List.of(new UniqueKey("request/k", "again"))))
        .isEqualTo(new Conflict(Kind.KEY_EXISTS, "request/k"));

    append(store, "group/a", 0);
    append(store, "group/a ", 0);
    assertThat(store.streams("group/a", null, 10)).containsExactly("group/a", "group/a ");
  }

  @Test
  void anAppendWaitingForALockedRow_failsAfterTheLockTimeout_andWritesNothing() throws Exception {
    HikariDataSource pool = mysql.migratedPool(4);
    MySqlGroupStore store = new MySqlGroupStore(pool, Duration.ofSeconds(1));
    append(store, "group/1", 0);
    try (Connection stalled = pool.getConnection()) {
      stalled.setAutoCommit(false); // an instance stalled inside an append, holding the group's row
      try (Statement s = stalled.createStatement()) {
        s.executeQuery("SELECT last_sequence FROM fg_streams WHERE stream = 'group/1' FOR UPDATE").close();
      }

      assertThatThrownBy(() -> append(store, "group/1", 1)).isInstanceOfSatisfying(MySqlStoreException.class,
          e -> assertThat(e.errorCode()).as("ER_LOCK_WAIT_TIMEOUT").isEqualTo(1205));
      assertThatThrownBy(() -> store.append(List.of(new StreamAppend("group/1", 1, List.of(event()))),
          List.of(new UniqueKey("request/during-the-stall", "x")))).isInstanceOf(MySqlStoreException.class);
      stalled.rollback();
    }
    assertThat(store.find("request/during-the-stall")).as("the timed-out append was rolled back whole").isEmpty();
    assertThat(store.lastSequence("group/1")).isEqualTo(1);
    assertThat(store.append(List.of(new StreamAppend("group/1", 1, List.of(event()))), List.of()).isAppended())
        .as("the row is free again").isTrue();
  }

  @Test
  void aPoolWithoutAutoCommit_getsEveryWriteCommitted() {
    String database = mysql.createDatabase();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(mysql.jdbcUrl(database));
    config.setUsername("root");
    config.setMaximumPoolSize(2);
    config.setAutoCommit(false);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      MySqlMigrations.migrate(pool);
      MySqlGroupStore store = new MySqlGroupStore(pool);
      append(store, "group/1", 0);
      store.advanceCursor("relay/x", 5);
      assertThat(store.tryLease("lease/x", "me", Instant.parse("2026-12-03T00:00:00Z"), Duration.ofSeconds(10)))
          .isTrue();
    }

    MySqlGroupStore other = new MySqlGroupStore(mysql.poolOn(database, 1));
    assertThat(other.lastSequence("group/1")).isEqualTo(1);
    assertThat(other.cursor("relay/x")).isEqualTo(5);
    assertThat(other.tryLease("lease/x", "you", Instant.parse("2026-12-03T00:00:01Z"), Duration.ofSeconds(10)))
        .isFalse();
  }

  @Test
  void idsTooLongForTheirColumns_areRefusedBeforeTheDatabaseCouldCutThem() {
    HikariDataSource pool = mysql.migratedPool(2);
    String tooLong = "user:" + "界".repeat(300); // 905 bytes in UTF-8

    assertThatThrownBy(() -> new MySqlAttemptLimiter(pool).begin(tooLong, Duration.ofHours(1), Instant.now()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("768");
    assertThatThrownBy(() -> new MySqlWallet(pool).hold(new Wallet.Hold("hold-1", tooLong, 100, "CNY", "memo"))
        .toCompletableFuture().join())
        .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
  }

  private static void append(MySqlGroupStore store, String stream, long expected) {
    AppendResult result = store.append(List.of(new StreamAppend(stream, expected, List.of(event()))), List.of());
    assertThat(result.isAppended()).as("append to %s at %d", stream, expected).isTrue();
  }

  private static NewEvent event() {
    return new NewEvent("e", "{}");
  }
}
