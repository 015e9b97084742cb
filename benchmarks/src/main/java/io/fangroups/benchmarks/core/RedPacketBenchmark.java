package io.fangroups.benchmarks.core;

import io.fangroups.core.CommandContext;
import io.fangroups.core.FanGroups;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.InMemoryWallet;
import io.fangroups.core.JoinMode;
import io.fangroups.core.redpacket.RedPacketClaim;
import io.fangroups.core.redpacket.RedPacketId;
import io.fangroups.core.redpacket.RedPacketInfo;
import io.fangroups.core.redpacket.RedPacketSpec;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Red packets through the in-memory service. Each thread has its own group of {@value #MEMBERS}
 * members (the owner and 499 fans). A claim benchmark's invocation is one claim by the group's next
 * member, round-robin; when the packet is empty the invocation first sends a fresh lucky packet of
 * {@value #SHARES} shares, so one claim in {@value #SHARES} also pays for a send ({@code send_1thread}
 * measures sends alone). With two threads each claims in its own group: no lock is shared.
 *
 * <p>Commands only: the relay and the red-packet sweep are not started, so claims are recorded and
 * not paid (payment is the relay's wallet call, after the command). The wallet is an
 * {@link InMemoryWallet} with the owner funded for every send of an iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class RedPacketBenchmark {
  static final int MEMBERS = 500;
  static final int SHARES = 100;
  static final long AMOUNT = 20_000;
  private static final CommandContext OWNER = CommandContext.of("creator");

  private FanGroups fanGroups;
  private final AtomicLong groups = new AtomicLong();

  @Setup(Level.Iteration)
  public void freshService() {
    // A new service per iteration keeps the event log, the group's packets and the ledger from
    // growing across iterations.
    InMemoryWallet wallet = InMemoryWallet.create();
    wallet.deposit("creator", "CNY", Long.MAX_VALUE / 4);
    fanGroups = FanGroups.builder().wallet(wallet).startRelay(false).startRedPacketSweep(false)
        .groupsPerCreator(1000).build();
  }

  /** A thread's group of {@value #MEMBERS}, its current packet and the next claimer. */
  @State(Scope.Thread)
  public static class Room {
    GroupId group;
    CommandContext[] members;
    RedPacketId packet;
    int sharesLeft;
    int next;

    @Setup(Level.Iteration)
    public void open(RedPacketBenchmark service) {
      FanGroups fg = service.fanGroups;
      long n = service.groups.incrementAndGet();
      group = fg.createGroup(OWNER, GroupSettings.builder().name("bench-" + n).cap(GroupSettings.CAP_500)
          .joinMode(JoinMode.OPEN).build()).id();
      members = new CommandContext[MEMBERS];
      members[0] = OWNER;
      for (int i = 1; i < MEMBERS; i++) {
        members[i] = CommandContext.of("fan-" + n + "-" + i);
        fg.addMember(OWNER, group, members[i].actor());
      }
      packet = null;
      sharesLeft = 0;
      next = 0;
    }
  }

  /** One claim by the next member, in one group; one invocation in {@value #SHARES} also sends the next packet. */
  @Benchmark
  public RedPacketClaim claim_1thread(Room room) {
    return claim(room);
  }

  /** Two threads, each claiming in its own group. */
  @Benchmark
  @Threads(2)
  public RedPacketClaim claim_2threads_2groups(Room room) {
    return claim(room);
  }

  /** The owner sends a lucky packet of {@value #SHARES} shares: the wallet's hold, the split, the record. */
  @Benchmark
  public RedPacketInfo send_1thread(Room room) {
    return send(room);
  }

  private RedPacketClaim claim(Room room) {
    if (room.sharesLeft == 0) {
      room.packet = send(room).id();
      room.sharesLeft = SHARES;
    }
    room.sharesLeft--;
    // 500 members round-robin and 100 shares a packet: nobody claims the same packet twice.
    CommandContext claimer = room.members[room.next];
    room.next = (room.next + 1) % MEMBERS;
    return fanGroups.claimRedPacket(claimer, room.packet);
  }

  private RedPacketInfo send(Room room) {
    return fanGroups.sendRedPacket(OWNER, room.group, RedPacketSpec.lucky(AMOUNT, "CNY", SHARES));
  }
}
