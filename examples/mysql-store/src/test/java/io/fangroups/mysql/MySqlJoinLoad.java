package io.fangroups.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.FanGroups;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.postgres.JoinLoad;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documented load command for issue 15's "joins per second on the MySQL store, beside PostgreSQL":
 * PostgreSQL's {@link JoinLoad} first (the in-memory store, then 1 and 4 instances on an embedded
 * PostgreSQL), then the same loop with 1 and 4 instances, a pool each, on the MariaDB server the tests
 * start. Same machine, same settings; one line per configuration.
 *
 * <pre>mvn -B -q -pl examples/mysql-store -am -DskipTests package exec:java@mysql-load [-Dload.seconds=20 -Dload.threads=8 -Dload.groups=2 -Dload.spread=false -Dload.driver=mariadb]</pre>
 *
 * {@code -Dload.driver=mysql} runs the MySQL half through Connector/J instead of MariaDB's driver.
 */
public final class MySqlJoinLoad {
  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");

  private MySqlJoinLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = Integer.getInteger("load.seconds", 20);
    int threads = Integer.getInteger("load.threads", 8);
    int groups = Integer.getInteger("load.groups", 2);
    String driver = System.getProperty("load.driver", "mariadb");
    JoinLoad.main(args);
    MySqlTestDatabase databases = new MySqlTestDatabase();
    for (int instances : new int[] {1, 4}) {
      String database = databases.createDatabase();
      List<HikariDataSource> pools = new ArrayList<>();
      List<FanGroups> sdks = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(MariaDbServer.get().jdbcUrl(driver, database));
        config.setUsername("root");
        config.setMaximumPoolSize(Math.max(2, threads / instances + 1));
        HikariDataSource pool = new HikariDataSource(config);
        MySqlMigrations.migrate(pool);
        pools.add(pool);
        sdks.add(FanGroups.builder().store(new MySqlGroupStore(pool)).passcodeKeys(KEYS)
            .attemptLimiter(new MySqlAttemptLimiter(pool)).build());
      }
      try {
        JoinLoad.report("MariaDB " + MariaDbServer.VERSION + " (" + driver + "), " + instances + " instance"
            + (instances > 1 ? "s" : ""), JoinLoad.run(sdks, threads, groups, seconds));
      } finally {
        sdks.forEach(s -> s.relay().close());
        pools.forEach(HikariDataSource::close);
      }
    }
    System.exit(0); // the servers' shutdown hooks stop them
  }
}
