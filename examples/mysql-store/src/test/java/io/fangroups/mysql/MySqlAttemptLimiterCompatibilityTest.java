package io.fangroups.mysql;

import io.fangroups.spi.AttemptLimiter;
import io.fangroups.testkit.AttemptLimiterCompatibilityKit;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 15, must-show 1: the MySQL attempt limiter passes the AttemptLimiter kit on MariaDB; every
 * further client (AL-10's second instance) has its own pool on the same database.
 */
class MySqlAttemptLimiterCompatibilityTest extends AttemptLimiterCompatibilityKit {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  private static String database;

  @Override
  protected AttemptLimiter newLimiter() {
    synchronized (MySqlAttemptLimiterCompatibilityTest.class) {
      if (database == null) {
        database = mysql.createDatabase();
        MySqlMigrations.migrate(mysql.poolOn(database, 2));
      }
    }
    return new MySqlAttemptLimiter(mysql.poolOn(database, 8));
  }
}
