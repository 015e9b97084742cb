package io.fangroups.postgres;

import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.UserId;
import io.fangroups.core.passcode.PasscodeKeys;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.spi.Wallet;
import io.fangroups.testkit.Concurrently;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * Application servers that pay red packets: each an SDK over its own pool, with a
 * {@link PostgresGroupStore} and a wallet over the same pool, all on one database.
 */
final class RedPacketServers {
  /** Shared by every server, as the passcode keys must be. */
  static final PasscodeKeys KEYS = PasscodeKeys.of(
      Map.of("k1", "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)), "k1");
  static final String CNY = "CNY";

  private RedPacketServers() {}

  /**
   * One server's SDK over {@code pool}, migrated first as every server does at start-up, paying
   * through {@code wallet} (a {@link PostgresWallet} over the same pool, or a wrapper of one), with
   * {@code configure}'s further settings.
   */
  static FanGroups sdk(DataSource pool, Wallet wallet, UnaryOperator<FanGroups.Builder> configure) {
    PostgresMigrations.migrate(pool);
    return configure.apply(FanGroups.builder().store(new PostgresGroupStore(pool)).passcodeKeys(KEYS)
        .attemptLimiter(new PostgresAttemptLimiter(pool)).wallet(wallet))
        .build();
  }

  /**
   * A group of {@code members.size() + 1} seats (cap 500 at most) created by {@code owner} on the
   * first server and filled with {@code members}, added by the owner through every server in turn.
   */
  static GroupId filledGroup(List<FanGroups> servers, String owner, List<UserId> members) {
    CommandContext by = CommandContext.of(owner);
    GroupId group = servers.get(0).createGroup(by, GroupSettings.of("红包群 " + owner, GroupSettings.CAP_500)).id();
    Concurrently.run(8, thread -> {
      for (int m = thread; m < members.size(); m += 8) {
        servers.get(m % servers.size()).addMember(by, group, members.get(m));
      }
      return null;
    });
    return group;
  }

  /** Users {@code prefix-0} to {@code prefix-(count-1)}. */
  static List<UserId> users(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> UserId.of(prefix + "-" + i)).toList();
  }

  /** The wallet's hold of a packet, as the SDK names it ({@code Wallet}'s Javadoc). */
  static String holdOf(RedPacketId packet) {
    return "rp/" + packet.value() + "/hold";
  }
}
