package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.spi.GroupStore.AppendResult;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance stalled inside an append transaction (GC pause, SIGSTOP, partition) holds up the
 * others' appends only for a bounded time, and one whose pool closes mid-append writes nothing.
 */
class PostgresStallTest {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  @Test
  void appendBehindAStalledTransaction_failsWithinBoundedTime() throws Exception {
    HikariDataSource pool = postgres.migratedPool(4);
    appendBehindAStalledTransaction(pool, new PostgresGroupStore(pool, java.time.Duration.ofMillis(300)), "55P03");
  }

  /** The bound for databases that ignore lock_timeout on row locks bounds the same wait on PostgreSQL. */
  @Test
  void appendBehindAStalledTransaction_boundedByStatementTimeout_failsWithinBoundedTime() throws Exception {
    HikariDataSource pool = postgres.migratedPool(4);
    appendBehindAStalledTransaction(pool, new PostgresGroupStore(pool, java.time.Duration.ofMillis(300),
        PostgresGroupStore.WaitBound.STATEMENT_TIMEOUT), "57014");
  }

  private static void appendBehindAStalledTransaction(HikariDataSource pool, PostgresGroupStore store, String sqlState)
      throws Exception {
    assertThat(store.append(List.of(new StreamAppend("group/g1", 0, List.of(new NewEvent("T", "{}")))), List.of())
        .isAppended()).isTrue();
    // Another instance stalls between its conditional UPDATE and its COMMIT (what appendOnce does).
    try (Connection stalled = pool.getConnection()) {
      stalled.setAutoCommit(false);
      try (Statement s = stalled.createStatement()) {
        s.executeUpdate("UPDATE fg_streams SET last_sequence = 2 WHERE stream = 'group/g1' AND last_sequence = 1");
      }
      CompletableFuture<Object> append = CompletableFuture.supplyAsync(() -> {
        try {
          return store.append(List.of(new StreamAppend("group/g1", 1, List.of(new NewEvent("T", "{}")))), List.of());
        } catch (RuntimeException e) {
          return e;
        }
      });
      Object outcome;
      try {
        outcome = append.get(10, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        outcome = "still blocked after 10 s";
      }
      stalled.rollback();
      assertThat(outcome).as("an append behind a stalled instance's row lock").isNotEqualTo("still blocked after 10 s")
          .isInstanceOfSatisfying(PostgresStoreException.class, e -> assertThat(e.sqlState()).isEqualTo(sqlState));
    }
  }

  @Test
  void poolClosedWhileAnAppendWaits_throwsUncheckedAndWritesNothing() throws Exception {
    String db = postgres.createDatabase();
    HikariDataSource other = postgres.pool(db, 2);
    PostgresMigrations.migrate(other);
    HikariDataSource dying = postgres.pool(db, 2);
    PostgresGroupStore store = new PostgresGroupStore(dying);
    PostgresGroupStore survivor = new PostgresGroupStore(other);
    survivor.append(List.of(new StreamAppend("group/g1", 0, List.of(new NewEvent("T", "{}")))), List.of());
    try (Connection stalled = other.getConnection()) {
      stalled.setAutoCommit(false);
      try (Statement s = stalled.createStatement()) {
        s.execute("SELECT 1 FROM fg_streams WHERE stream = 'group/g1' FOR UPDATE");
      }
      CompletableFuture<Object> append = CompletableFuture.supplyAsync(() -> {
        try {
          return store.append(List.of(new StreamAppend("group/g1", 1, List.of(new NewEvent("T", "{}"))),
              new StreamAppend("group/g2", 0, List.of(new NewEvent("T", "{}")))), List.of());
        } catch (RuntimeException e) {
          return e;
        }
      });
      Thread.sleep(500);
      dying.close();
      Object outcome = append.get(30, TimeUnit.SECONDS);
      stalled.rollback();
      assertThat(outcome).isInstanceOf(RuntimeException.class);
    }
    assertThat(survivor.lastSequence("group/g1")).isEqualTo(1);
    assertThat(survivor.lastSequence("group/g2")).isEqualTo(0);
    assertThat(survivor.read("group/g2", 0, 10)).isEmpty();
  }
}
