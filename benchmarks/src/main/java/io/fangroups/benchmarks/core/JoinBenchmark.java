package io.fangroups.benchmarks.core;

import io.fangroups.core.CommandContext;
import io.fangroups.core.ErrorCode;
import io.fangroups.core.FanGroups;
import io.fangroups.core.FanGroupsException;
import io.fangroups.core.GroupId;
import io.fangroups.core.GroupSettings;
import io.fangroups.core.JoinMode;
import io.fangroups.core.JoinResult;
import io.fangroups.core.JoinSource;
import io.fangroups.core.Member;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * Joins through the in-memory service, all threads on one hot group (the contended case). A group
 * holds {@value GroupSettings#MAX_CAP} members; when it is full the thread that notices opens the
 * next one, so about one operation in 2,000 also pays for a group creation. {@code
 * openJoin_2threads_2groups} gives each thread its own group instead (the uncontended case).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class JoinBenchmark {
  private static final CommandContext CREATOR = CommandContext.of("creator");

  private FanGroups fanGroups;
  private final AtomicReference<GroupId> openGroup = new AtomicReference<>();
  private final AtomicReference<GroupId> approvalGroup = new AtomicReference<>();
  private final AtomicLong users = new AtomicLong();
  private final AtomicLong creators = new AtomicLong();

  @Setup(Level.Iteration)
  public void freshService() {
    // A new service per iteration keeps the in-memory event log from growing across iterations.
    fanGroups = FanGroups.builder().groupsPerCreator(1000).build();
    openGroup.set(newGroup(JoinMode.OPEN));
    approvalGroup.set(newGroup(JoinMode.APPROVAL));
  }

  private GroupId newGroup(JoinMode mode) {
    // Open groups fill fast (at 800k joins/s, 800 groups of 2,000 per iteration): each gets its own
    // creator, so no creator reaches the quota of 1,000 groups. The owner approves requests, so
    // approval groups keep one creator.
    CommandContext owner = mode == JoinMode.OPEN ? CommandContext.of("creator-" + creators.incrementAndGet()) : CREATOR;
    return fanGroups.createGroup(owner, GroupSettings.builder().name("bench").cap(GroupSettings.MAX_CAP)
        .joinMode(mode).build()).id();
  }

  /** A fan taps "apply" on an OPEN group with the allow-all policy and joins at once. */
  @Benchmark
  public JoinResult openJoin_1thread() {
    return openJoin();
  }

  /** The same with two threads on the same group. */
  @Benchmark
  @Threads(2)
  public JoinResult openJoin_2threads() {
    return openJoin();
  }

  /** A fan applies to an APPROVAL group and the owner approves: two commands, policy checked twice. */
  @Benchmark
  public Member applyAndApprove_1thread() {
    return applyAndApprove();
  }

  /** The same with two threads on the same group. */
  @Benchmark
  @Threads(2)
  public Member applyAndApprove_2threads() {
    return applyAndApprove();
  }

  /** Each thread's own OPEN group, so two threads join two groups without sharing a lock. */
  @State(Scope.Thread)
  public static class OwnGroup {
    final AtomicReference<GroupId> group = new AtomicReference<>();

    @Setup(Level.Iteration)
    public void newGroup(JoinBenchmark service) {
      group.set(service.newGroup(JoinMode.OPEN));
    }
  }

  /** Two threads, each on its own group: joins of different groups scale with threads. */
  @Benchmark
  @Threads(2)
  public JoinResult openJoin_2threads_2groups(OwnGroup own) {
    return openJoin(own.group);
  }

  private JoinResult openJoin() {
    return openJoin(openGroup);
  }

  private JoinResult openJoin(AtomicReference<GroupId> current) {
    CommandContext fan = CommandContext.of("fan-" + users.incrementAndGet());
    while (true) {
      GroupId group = current.get();
      try {
        return fanGroups.apply(fan, group, JoinSource.BUTTON);
      } catch (FanGroupsException e) {
        rotateIfFull(e, current, group, JoinMode.OPEN);
      }
    }
  }

  private Member applyAndApprove() {
    CommandContext fan = CommandContext.of("fan-" + users.incrementAndGet());
    while (true) {
      GroupId group = approvalGroup.get();
      try {
        JoinResult applied = fanGroups.apply(fan, group, JoinSource.BUTTON);
        return fanGroups.approve(CREATOR, applied.request().orElseThrow().id());
      } catch (FanGroupsException e) {
        rotateIfFull(e, approvalGroup, group, JoinMode.APPROVAL);
        // A request left pending in the full group is harmless: the fan applies to the next group.
      }
    }
  }

  private void rotateIfFull(FanGroupsException e, AtomicReference<GroupId> current, GroupId full, JoinMode mode) {
    if (e.code() != ErrorCode.GROUP_FULL) {
      throw e;
    }
    synchronized (current) {
      if (current.get().equals(full)) {
        current.set(newGroup(mode));
      }
    }
  }
}
