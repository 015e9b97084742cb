package io.fangroups.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void starts() throws Exception {
    long t0 = System.nanoTime();
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      System.out.println("START_MS " + (System.nanoTime() - t0) / 1_000_000);
      try (Connection c = pg.getPostgresDatabase().getConnection();
          ResultSet rs = c.createStatement().executeQuery("select version(), current_setting('server_encoding'), current_setting('lc_collate'), current_user")) {
        rs.next();
        System.out.println("PG " + rs.getString(1) + " | " + rs.getString(2) + " | " + rs.getString(3) + " | " + rs.getString(4));
        assertThat(rs.getString(2)).isNotNull();
      }
    }
  }
}
