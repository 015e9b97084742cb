package io.fangroups.postgres;

import io.fangroups.spi.GroupStore;
import io.fangroups.testkit.GroupStoreCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 6, must-show 2: the PostgreSQL store passes the GroupStore kit; the second client has its own pool. */
class PostgresGroupStoreCompatibilityTest extends GroupStoreCompatibilityKit {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private String database;

  @Override
  protected GroupStore newStore() {
    database = postgres.createDatabase();
    var pool = postgres.pool(database, 4);
    PostgresMigrations.migrate(pool);
    return new PostgresGroupStore(pool);
  }

  @Override
  protected GroupStore secondClient(GroupStore first) {
    return new PostgresGroupStore(postgres.pool(database, 4));
  }
}
