package io.fangroups.examples.http;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.FanGroups;
import io.fangroups.core.InMemoryWallet;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.postgres.PostgresAttemptLimiter;
import io.fangroups.postgres.PostgresGroupStore;
import io.fangroups.postgres.PostgresMigrations;
import io.fangroups.postgres.PostgresWallet;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the host keeps its state, chosen by configuration: in memory by default; PostgreSQL when a
 * JDBC URL is given ({@code -Dfangroups.jdbc.url=} or {@code FANGROUPS_JDBC_URL}, with
 * {@code .user}/{@code .password}), with the shared attempt limiter, the ledger and passcode keys
 * from {@code -Dfangroups.passcode.secret=} or {@code FANGROUPS_PASSCODE_SECRET}; or an embedded
 * PostgreSQL started for a one-command demo ({@code --embedded-postgres}).
 */
final class HostStorage implements AutoCloseable {
  /**
   * The storage settings.
   *
   * @param jdbcUrl the database, absent for in memory
   * @param user the database user
   * @param password the database password
   * @param passcodeSecret the passcode key every server shares; required with a JDBC URL
   * @param embedded whether to start an embedded PostgreSQL instead
   */
  record Settings(Optional<String> jdbcUrl, String user, String password, Optional<String> passcodeSecret,
      boolean embedded) {
    static final Settings IN_MEMORY = new Settings(Optional.empty(), "", "", Optional.empty(), false);

    /** From the command line, system properties and the environment, in that order. */
    static Settings from(String[] args, Function<String, @Nullable String> properties,
        Function<String, @Nullable String> environment) {
      Function<String, Optional<String>> setting = name -> Optional.ofNullable(properties.apply("fangroups." + name))
          .or(() -> Optional.ofNullable(environment.apply("FANGROUPS_" + name.replace('.', '_').toUpperCase(java.util.Locale.ROOT))))
          .filter(v -> !v.isBlank());
      return new Settings(setting.apply("jdbc.url"), setting.apply("jdbc.user").orElse(""),
          setting.apply("jdbc.password").orElse(""), setting.apply("passcode.secret"),
          Arrays.asList(args).contains("--embedded-postgres"));
    }
  }

  private final String description;
  private final @Nullable EmbeddedPostgres embedded;
  private final @Nullable HikariDataSource pool;
  private final InMemoryWallet memoryWallet;
  private final @Nullable PostgresWallet postgresWallet;
  private final @Nullable PasscodeKeys keys;

  private HostStorage(String description, @Nullable EmbeddedPostgres embedded, @Nullable HikariDataSource pool,
      @Nullable PasscodeKeys keys) {
    this.description = description;
    this.embedded = embedded;
    this.pool = pool;
    this.keys = keys;
    this.memoryWallet = HttpHost.demoWallet();
    this.postgresWallet = pool == null ? null : new PostgresWallet(pool);
    if (postgresWallet != null && postgresWallet.balance(HttpHost.DEMO_CREATOR, "CNY") == 0) {
      postgresWallet.deposit(HttpHost.DEMO_CREATOR, "CNY", HttpHost.DEMO_CREATOR_FEN); // the demo's money, once
    }
  }

  /**
   * Opens the storage {@code settings} name.
   *
   * @throws IllegalStateException a JDBC URL without a passcode secret: every server must share the
   *     passcode keys, or codes issued on one fail on another
   */
  static HostStorage open(Settings settings) {
    if (settings.embedded()) {
      EmbeddedPostgres server;
      try {
        server = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
      }
      // One process: a random secret of its own is enough unless one was given.
      String secret = settings.passcodeSecret().orElse(java.util.UUID.randomUUID() + "-" + java.util.UUID.randomUUID());
      return new HostStorage("embedded PostgreSQL at " + server.getJdbcUrl("postgres", "postgres"), server,
          pool(server.getJdbcUrl("postgres", "postgres"), "postgres", ""), keys(secret));
    }
    if (settings.jdbcUrl().isPresent()) {
      String secret = settings.passcodeSecret().orElseThrow(() -> new IllegalStateException(
          "fangroups.jdbc.url is set but fangroups.passcode.secret (or FANGROUPS_PASSCODE_SECRET) is not: every server"
              + " on the database must share the passcode key"));
      String url = settings.jdbcUrl().get();
      return new HostStorage("PostgreSQL at " + url, null, pool(url, settings.user(), settings.password()), keys(secret));
    }
    return new HostStorage("in memory", null, null, null);
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(16);
    HikariDataSource pool = new HikariDataSource(config);
    PostgresMigrations.migrate(pool);
    return pool;
  }

  /** The passcode key from the shared secret; {@link PasscodeKeys} refuses one under 32 bytes. */
  private static PasscodeKeys keys(String secret) {
    return PasscodeKeys.of(Map.of("k1", secret.getBytes(StandardCharsets.UTF_8)), "k1");
  }

  /** Sets the store, the shared attempt limiter, the passcode keys and the wallet on {@code builder}. */
  FanGroups.Builder wire(FanGroups.Builder builder) {
    if (pool == null) {
      return builder.wallet(memoryWallet);
    }
    return builder.store(new PostgresGroupStore(pool)).attemptLimiter(new PostgresAttemptLimiter(pool))
        .passcodeKeys(keys).wallet(postgresWallet);
  }

  /** What {@link #open} opened, for the start-up line. */
  String description() {
    return description;
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
    if (embedded != null) {
      try {
        embedded.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
      }
    }
  }
}
