package io.fangroups.postgres;

import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.AttemptLimiterCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PostgreSQL attempt limiter passes the AttemptLimiter kit; every further client (AL-10's second
 * instance) has its own pool on the same database, as another application server would.
 */
class PostgresAttemptLimiterCompatibilityTest extends AttemptLimiterCompatibilityKit {
  @RegisterExtension
  static final PostgresTestDatabase postgres = new PostgresTestDatabase();

  private static String database;

  @Override
  protected AttemptLimiter newLimiter() {
    synchronized (PostgresAttemptLimiterCompatibilityTest.class) {
      if (database == null) {
        database = postgres.createDatabase();
        PostgresMigrations.migrate(postgres.pool(database, 2));
      }
    }
    return new PostgresAttemptLimiter(postgres.pool(database, 8));
  }
}
