package io.fangroups.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinSource;
import io.fangroups.core.RetentionPolicy;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.MutableClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The documented measurements of issue 11 on the PostgreSQL store (an embedded PostgreSQL 14 on the
 * same machine): cold loads of groups with long histories, storage with retention, relay throughput.
 * Not a test: it takes minutes.
 *
 * <pre>mvn -B -q -pl examples/postgres-store -am -DskipTests package exec:java@load -Dload.main=io.fangroups.postgres.StateAtScale [-Dscale.parts=cold,storage,relay]</pre>
 */
public final class StateAtScale {
  static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
  private static final int CHUNK = 5_000;

  private StateAtScale() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], GroupId.of(args[2]), GroupId.of(args[3]));
      return;
    }
    List<String> parts = Arrays.asList(System.getProperty("scale.parts", "cold,storage,relay").split(","));
    try (EmbeddedPostgres server = EmbeddedPostgres.builder().start()) {
      if (parts.contains("cold")) {
        coldLoad(server);
      }
      if (parts.contains("storage")) {
        keyedRecords(server);
        messageYear(server, null);
        messageYear(server, Duration.ofDays(30));
      }
      if (parts.contains("relay")) {
        RelayThroughput.run(server);
      }
    }
  }

  // ---------------------------------------------------------------- plumbing

  static HikariDataSource database(EmbeddedPostgres server, String name) throws Exception {
    try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    HikariDataSource pool = pool(server.getJdbcUrl("postgres", name));
    PostgresMigrations.migrate(pool);
    return pool;
  }

  static HikariDataSource pool(String jdbcUrl) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    return new HikariDataSource(config);
  }

  static long count(DataSource db, String sql) throws Exception {
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  static String sizes(DataSource db) throws Exception {
    List<String> out = new ArrayList<>();
    for (String table : List.of("fg_events", "fg_streams", "fg_snapshots", "fg_changes", "fg_keys", "fg_cursors")) {
      out.add(table + " " + count(db, "SELECT count(*) FROM " + table) + " rows / "
          + count(db, "SELECT pg_total_relation_size('" + table + "')") / 1024 + " kB");
    }
    return String.join(", ", out);
  }

  /**
   * Appends {@code count} posts to the group straight through the store, in chunks: copies of one
   * post the SDK wrote, each with its own message id and, when {@code at} is given, that time.
   */
  static void bulkPosts(FanGroups sdk, GroupStore store, GroupId group, String poster, int count, Instant at) {
    sdk.post(CommandContext.of(poster), group, new MessageContent.Text("template"));
    String stream = "group/" + group.value();
    long last = store.lastSequence(stream);
    GroupStore.StoredEvent template = store.read(stream, last - 1, 1).get(0);
    String messageId = between(template.payload(), "\"message\":{\"id\":\"", "\"");
    String time = between(template.payload(), "\"occurredAt\":\"", "\"");
    String atText = at != null ? at.toString() : time;
    for (int done = 0; done < count; ) {
      int n = Math.min(CHUNK, count - done);
      List<GroupStore.NewEvent> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        String payload = template.payload().replace(messageId, messageId + "-" + (done + i)).replace(time, atText);
        events.add(new GroupStore.NewEvent(template.type(), payload));
      }
      GroupStore.AppendResult result = store.append(List.of(new GroupStore.StreamAppend(stream, last, events, null, true)),
          List.of());
      if (!result.isAppended()) {
        throw new IllegalStateException("bulk append conflicted: " + result);
      }
      last += n;
      done += n;
    }
  }

  private static String between(String text, String from, String to) {
    int start = text.indexOf(from) + from.length();
    return text.substring(start, text.indexOf(to, start));
  }

  static GroupId groupWithMembers(FanGroups sdk, String name, int members) {
    GroupId group = sdk.createGroup(CommandContext.of("owner-" + name), GroupSettings.of(name, 500)).id();
    for (int i = 0; i < members; i++) {
      sdk.apply(CommandContext.of(name + "-fan-" + i), group, JoinSource.BUTTON);
    }
    return group;
  }

  // ---------------------------------------------------------------- 1. cold loads

  private static void coldLoad(EmbeddedPostgres server) throws Exception {
    System.out.println("== cold load: first command on a group in a fresh instance (fresh JVM, and fresh SDK in a warm JVM)");
    try (HikariDataSource db = database(server, "cold")) {
      GroupStore store = new PostgresGroupStore(db);
      FanGroups sdk = FanGroups.builder().store(store).passcodeKeys(KEYS)
          .attemptLimiter(new PostgresAttemptLimiter(db)).startPruning(false).build();
      GroupId warm = groupWithMembers(sdk, "warm", 3);
      for (int i = 0; i < 30; i++) { // so that loading it warms up reading posts too
        sdk.post(CommandContext.of("owner-warm"), warm, new MessageContent.Text("warm " + i));
      }
      List<GroupId> groups = new ArrayList<>();
      for (int history : new int[] {10, 100_000, 1_000_000}) {
        GroupId g = groupWithMembers(sdk, "h" + history, 5);
        if (history > 10) {
          bulkPosts(sdk, store, g, "owner-h" + history, history - 250, null);
          long start = System.nanoTime();
          new FanGroupsLoader(db).snapshot(g); // a year of SDK use would have left one; this replays the whole history once
          System.out.printf("  %,9d events: rebuilding from the whole history (what every cold load cost before) %,d ms%n",
              store.lastSequence("group/" + g.value()), (System.nanoTime() - start) / 1_000_000);
          for (int i = 0; i < 240; i++) { // the tail since the last snapshot, posted through the SDK
            sdk.post(CommandContext.of("owner-h" + history), g, new MessageContent.Text("tail " + i));
          }
        } else {
          for (int i = 0; i < 4; i++) {
            sdk.post(CommandContext.of("owner-h" + history), g, new MessageContent.Text("m " + i));
          }
        }
        groups.add(g);
      }
      String jdbcUrl = server.getJdbcUrl("postgres", "cold");
      for (GroupId g : groups) {
        long events = store.lastSequence("group/" + g.value());
        List<String> coldJvm = new ArrayList<>();
        List<String> warmJvm = new ArrayList<>();
        List<String> again = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
          String[] ms = spawnChild(jdbcUrl, g, warm);
          coldJvm.add(ms[0]);
          warmJvm.add(ms[1]);
          again.add(ms[2]);
        }
        System.out.printf("  %,9d events: first command in a fresh JVM %s ms; in a fresh SDK instance after the JVM served"
            + " another group %s ms; median of rounds 11-20 of fresh SDK instances in that JVM %s ms%n", events, coldJvm,
            warmJvm, again);
      }
    }
  }

  /** Loads a group through a fresh SDK and snapshots it. */
  private record FanGroupsLoader(DataSource db) {
    long snapshot(GroupId group) {
      FanGroups fresh = FanGroups.builder().store(new PostgresGroupStore(db)).passcodeKeys(KEYS)
          .attemptLimiter(new PostgresAttemptLimiter(db)).startPruning(false).build();
      return fresh.retention().snapshot(group);
    }
  }

  private static String[] spawnChild(String jdbcUrl, GroupId group, GroupId warm) throws Exception {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    String classpath = loader instanceof URLClassLoader urls
        ? Arrays.stream(urls.getURLs()).map(u -> new java.io.File(java.net.URI.create(u.toString())).getPath())
            .collect(Collectors.joining(java.io.File.pathSeparator))
        : System.getProperty("java.class.path");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", StateAtScale.class.getName(), "child", jdbcUrl, group.value(),
        warm.value()).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        last = line;
      }
    }
    if (child.waitFor() != 0 || last == null || !last.startsWith("ms ")) {
      throw new IllegalStateException("child failed: " + last);
    }
    return last.substring(3).split(" ");
  }

  /**
   * In a fresh JVM: the first command on {@code group}; then 20 times, in a fresh SDK instance (its own
   * pool, empty caches), one command on {@code warm} (a load of another group) and the timed one on {@code group}.
   */
  private static void child(String jdbcUrl, GroupId group, GroupId warm) {
    long cold;
    try (HikariDataSource db = pool(jdbcUrl)) {
      FanGroups sdk = FanGroups.builder().store(new PostgresGroupStore(db)).passcodeKeys(KEYS)
          .attemptLimiter(new PostgresAttemptLimiter(db)).startPruning(false).build();
      long start = System.nanoTime();
      sdk.apply(CommandContext.of("cold-" + System.nanoTime()), group, JoinSource.BUTTON);
      cold = System.nanoTime() - start;
    }
    // Then as a running server sees it after a cache eviction: a fresh SDK instance (own pool, empty
    // caches) loads the group, 20 times over; the JVM is warm from the earlier rounds.
    double[] warmed = new double[20];
    for (int i = 0; i < warmed.length; i++) {
      try (HikariDataSource db = pool(jdbcUrl)) {
        FanGroups sdk = FanGroups.builder().store(new PostgresGroupStore(db)).passcodeKeys(KEYS)
            .attemptLimiter(new PostgresAttemptLimiter(db)).startPruning(false).build();
        sdk.apply(CommandContext.of("warm-" + System.nanoTime()), warm, JoinSource.BUTTON);
        long start = System.nanoTime();
        sdk.apply(CommandContext.of("cold-" + System.nanoTime()), group, JoinSource.BUTTON);
        warmed[i] = (System.nanoTime() - start) / 1e6;
      }
    }
    double[] last = Arrays.copyOfRange(warmed, 10, 20);
    Arrays.sort(last);
    System.out.printf("ms %.1f %.1f %.1f%n", cold / 1e6, warmed[0], (last[4] + last[5]) / 2);
  }

  // ---------------------------------------------------------------- 2. storage

  private static void keyedRecords(EmbeddedPostgres server) throws Exception {
    System.out.println("== keyed commands' records: 10,000 keyed posts, then the retention (24 h) passes");
    try (HikariDataSource db = database(server, "keyed")) {
      MutableClock clock = MutableClock.of(Instant.parse("2026-03-01T08:00:00Z"));
      FanGroups sdk = FanGroups.builder().store(new PostgresGroupStore(db)).passcodeKeys(KEYS)
          .attemptLimiter(new PostgresAttemptLimiter(db)).clock(clock)
          .startPruning(false).build();
      GroupId group = groupWithMembers(sdk, "keyed", 1);
      for (int i = 0; i < 10_000; i++) {
        sdk.post(CommandContext.of("owner-keyed").withIdempotencyKey("post-" + i), group, new MessageContent.Text("m" + i));
      }
      String idemRows = "SELECT count(*) FROM fg_events WHERE stream LIKE 'idem/%'";
      System.out.printf("  after the commands: %,d idem/ streams, %,d idem/ events; %s%n",
          count(db, "SELECT count(*) FROM fg_streams WHERE stream LIKE 'idem/%'"), count(db, idemRows), sizes(db));
      clock.advance(Duration.ofHours(24).plusSeconds(1));
      long start = System.nanoTime();
      var report = sdk.retention().pruneOnce();
      System.out.printf("  pruneOnce: %,d records deleted in %,d ms; %,d idem/ streams, %,d idem/ events left; %s%n",
          report.keyedRecordsDeleted(), (System.nanoTime() - start) / 1_000_000,
          count(db, "SELECT count(*) FROM fg_streams WHERE stream LIKE 'idem/%'"), count(db, idemRows), sizes(db));
      try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
        s.execute("VACUUM FULL");
      }
      System.out.printf("  after VACUUM FULL: %s%n", sizes(db));
    }
  }

  private static void messageYear(EmbeddedPostgres server, Duration retention) throws Exception {
    String name = retention == null ? "year_keep" : "year_" + retention.toDays() + "d";
    System.out.printf("== a year of 1,000 messages a day in one group of 50, message retention %s, pruned daily%n",
        retention == null ? "none (kept)" : retention.toDays() + " days");
    try (HikariDataSource db = database(server, name)) {
      Instant day0 = Instant.parse("2026-01-01T00:00:00Z");
      MutableClock clock = MutableClock.of(day0);
      RetentionPolicy policy = retention == null ? RetentionPolicy.DEFAULT : RetentionPolicy.DEFAULT.withMessages(retention);
      GroupStore store = new PostgresGroupStore(db);
      FanGroups sdk = FanGroups.builder().store(store).passcodeKeys(KEYS).attemptLimiter(new PostgresAttemptLimiter(db))
          .clock(clock).retention(policy)
          .startPruning(false).build();
      GroupId group = groupWithMembers(sdk, "year", 50);
      long start = System.nanoTime();
      for (int day = 0; day < 365; day++) {
        clock.set(day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(12)));
        bulkPosts(sdk, store, group, "owner-year", 999, clock.instant());
        clock.set(day0.plus(Duration.ofDays(day + 1)));
        sdk.retention().pruneOnce();
      }
      String messages = "SELECT count(*) FROM fg_events WHERE type = 'MessagePosted'";
      String days = "SELECT count(DISTINCT substring(payload from 22 for 10)) FROM fg_events WHERE type = 'MessagePosted'";
      System.out.printf("  after 365 days (%,d s): %,d message rows over %d distinct days; pruned in total %s; %s%n",
          (System.nanoTime() - start) / 1_000_000_000, count(db, messages), count(db, days),
          sdk.retention().status().total(), sizes(db));
      try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
        s.execute("VACUUM FULL");
      }
      System.out.printf("  after VACUUM FULL: %s%n", sizes(db));
    }
  }
}
