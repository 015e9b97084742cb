package io.fangroups.mysql;

import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.GroupStoreCompatibilityKit;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The GroupStore kit again, through MySQL's own driver (Connector/J, {@code jdbc:mysql:}) instead of
 * MariaDB's: the store's SQL and its reading of update counts do not depend on the driver. Opt-in, to
 * keep the default build short: {@code -Dmysql.connectorj.kit=true}. Every build runs Connector/J
 * through {@link MySqlUnicodeTest} and {@link MySqlWiringTest} (appends, keys, reads, red packets and
 * the wallet).
 */
@EnabledIfSystemProperty(named = "mysql.connectorj.kit", matches = "true")
class MySqlConnectorJCompatibilityTest extends GroupStoreCompatibilityKit {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  private String database;

  @Override
  protected GroupStore newStore() {
    database = mysql.createDatabase();
    var pool = mysql.pool(MariaDbServer.get().jdbcUrl("mysql", database), 4);
    MySqlMigrations.migrate(pool);
    return new MySqlGroupStore(pool);
  }

  @Override
  protected GroupStore secondClient(GroupStore first) {
    return new MySqlGroupStore(mysql.pool(MariaDbServer.get().jdbcUrl("mysql", database), 4));
  }
}
