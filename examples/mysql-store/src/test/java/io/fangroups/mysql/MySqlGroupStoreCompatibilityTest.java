package io.fangroups.mysql;

import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.GroupStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 15, must-show 1: the MySQL store passes the GroupStore kit on MariaDB; the second client has its own pool. */
class MySqlGroupStoreCompatibilityTest extends GroupStoreCompatibilityKit {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  private String database;

  @Override
  protected GroupStore newStore() {
    database = mysql.createDatabase();
    var pool = mysql.poolOn(database, 4);
    MySqlMigrations.migrate(pool);
    return new MySqlGroupStore(pool);
  }

  @Override
  protected GroupStore secondClient(GroupStore first) {
    return new MySqlGroupStore(mysql.poolOn(database, 4));
  }
}
