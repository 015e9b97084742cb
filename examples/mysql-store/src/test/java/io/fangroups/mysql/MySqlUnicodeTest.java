package io.fangroups.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.content.GroupMessage;
import io.fangroups.core.content.MessageContent;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.spi.EventPublisher.PublishedEvent;
import io.fangroups.spi.GroupStore;
import io.fangroups.spi.GroupStore.NewEvent;
import io.fangroups.spi.GroupStore.StoredEvent;
import io.fangroups.spi.GroupStore.StreamAppend;
import io.fangroups.spi.GroupStore.UniqueKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, must-show 3: an emoji and a CJK extension B character (both 4 bytes in UTF-8, outside what
 * MySQL's old 3-byte "utf8" holds) in a group name and a message round-trip unchanged, on a database
 * whose default character set is the server's latin1, through MariaDB's driver and MySQL's.
 */
class MySqlUnicodeTest {
  @RegisterExtension
  static final MySqlTestDatabase mysql = new MySqlTestDatabase();

  /** 🎸 U+1F3B8 and 𠀀 U+20000 (CJK Unified Ideographs Extension B), each a surrogate pair in Java. */
  private static final String NAME = "吉他粉丝群🎸𠀀";
  private static final String BODY = "今晚八点直播🎉 见𪚥 (U+2A6A5) — \"quoted\" \\ back\nslash";
  private static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");

  @ParameterizedTest(name = "through the {0} driver")
  @ValueSource(strings = {"mariadb", "mysql"})
  void fourByteCharacters_inAGroupNameAndAMessage_roundTripThroughTheStore(String driver) {
    String database = mysql.createDatabase();
    HikariDataSource writerPool = mysql.pool(MariaDbServer.get().jdbcUrl(driver, database), 2);
    MySqlMigrations.migrate(writerPool);
    FanGroups writer = sdk(writerPool);
    GroupId group = writer.createGroup(CommandContext.of("creator"), GroupSettings.of(NAME, GroupSettings.CAP_500)).id();
    GroupMessage posted = writer.post(CommandContext.of("creator"), group, new MessageContent.Text(BODY));

    // Another server, its own pool, nothing cached: everything it knows comes from the tables.
    FanGroups reader = sdk(mysql.pool(MariaDbServer.get().jdbcUrl(driver, database), 2));
    assertThat(reader.group(group).settings().name()).isEqualTo(NAME);
    List<PublishedEvent> events = reader.publishedEvents(group, 0, 100);
    assertThat(events).extracting(PublishedEvent::json).anySatisfy(json -> assertThat(json).contains(NAME));
    assertThat(events).filteredOn(e -> e.type().equals("MessagePosted")).singleElement()
        .satisfies(e -> assertThat(e.json()).contains(posted.id().value()).contains(jsonString(BODY)));
  }

  @ParameterizedTest(name = "through the {0} driver")
  @ValueSource(strings = {"mariadb", "mysql"})
  void storePayloadsAndKeyValues_keepEveryCodePoint(String driver) {
    String database = mysql.createDatabase();
    HikariDataSource pool = mysql.pool(MariaDbServer.get().jdbcUrl(driver, database), 2);
    MySqlMigrations.migrate(pool);
    GroupStore store = new MySqlGroupStore(pool);
    String payload = "{\"name\":\"" + NAME + "\",\"nul\":\"\u0000\",\"supplementary\":\"\uD83D\uDE00\uD840\uDC00\"}";

    store.append(List.of(new StreamAppend("group/unicode", 0, List.of(new NewEvent("named", payload)))),
        List.of(new UniqueKey("request/unicode", BODY)));

    assertThat(new MySqlGroupStore(mysql.pool(MariaDbServer.get().jdbcUrl(driver, database), 1))
        .read("group/unicode", 0, 10)).containsExactly(new StoredEvent(1, "named", payload));
    assertThat(store.find("request/unicode")).contains(BODY);
  }

  /** {@code text} as Jackson writes it inside a JSON string: quotes, backslashes and the newline escaped. */
  private static String jsonString(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static FanGroups sdk(HikariDataSource pool) {
    return FanGroups.builder().store(new MySqlGroupStore(pool)).passcodeKeys(KEYS)
        .attemptLimiter(new MySqlAttemptLimiter(pool)).startRelay(false).startPruning(false).startRedPacketSweep(false)
        .build();
  }
}
