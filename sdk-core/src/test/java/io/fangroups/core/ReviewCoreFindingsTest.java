package io.fangroups.core;

import static io.fangroups.core.Fixture.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.core.event.OutboxRelay;
import io.fangroups.spi.EventPublisher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Findings of the review of the store SPI change, each a defect it proved; kept as regression tests. */
class ReviewCoreFindingsTest {
  private static final UserId OWNER = UserId.of("owner");
  private static final CommandContext AS_OWNER = CommandContext.of(OWNER);

  private final InMemoryGroupStore shared = InMemoryGroupStore.create();

  private FanGroups process(ProcessClient client) {
    return FanGroups.builder().store(client).passcodeKeys(ProcessClient.KEYS).groupsPerCreator(5).build();
  }

  /**
   * F1. Transfer to a user who owns no group yet expects their creator stream at 0; if another
   * process creates that user's first group meanwhile, the conflict is on a "new" companion stream
   * and commit() reports it as an id-generator bug (IllegalStateException) instead of deciding again.
   */
  @Test
  void transfer_racingTheNewOwnersFirstGroup_isDecidedAgain_notAnIdGeneratorBug() {
    ProcessClient c0 = new ProcessClient(shared);
    ProcessClient c1 = new ProcessClient(shared);
    FanGroups p0 = process(c0);
    FanGroups p1 = process(c1);
    UserId bob = UserId.of("bob");
    GroupId group = p0.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
    p0.apply(CommandContext.of(bob), group, JoinSource.BUTTON);

    // Bob's first group is created by another process just before the transfer's append lands.
    c0.before = () -> p1.createGroup(CommandContext.of(bob), GroupSettings.of("bob's own", 200));
    c0.beforeWhen.set(ProcessClient.touches("creator/bob"));

    p0.transferOwnership(AS_OWNER, group, bob); 

    assertThat(p1.groupsOf(bob)).hasSize(2);
    assertThat(p1.group(group).owner()).isEqualTo(bob);
  }

  /**
   * F2. "STORE_UNAVAILABLE ... the outcome is unknown, retry with the same idempotency key": when the
   * command's append landed but the call failed, StoreIdempotency records CommandFailed and the
   * keyed retry runs the command a second time (a second group, a second quota slot).
   */
  @Test
  void keyedRetry_afterAnAppendThatLandedButFailed_doesNotRunTheCommandTwice() {
    ProcessClient c0 = new ProcessClient(shared);
    FanGroups p0 = process(c0);
    FanGroups p1 = process(new ProcessClient(shared));
    CommandContext keyed = AS_OWNER.withIdempotencyKey("create-1");

    c0.landThenFailWhen.set(ProcessClient.touches("group/"));
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> p0.createGroup(keyed, GroupSettings.of("g", 200)));
    assertThat(p1.groupsOf(OWNER)).as("the first attempt landed").hasSize(1);

    // The change landed but its result was lost: the retry must not run it again; it says to read the state.
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> p1.createGroup(keyed, GroupSettings.of("g", 200)));
    assertThat(p1.groupsOf(OWNER)).as("the keyed retry must not create a second group").hasSize(1);
  }

  /**
   * F3. The relay's completion handler advances the cursor before releasing the group; when the
   * cursor update throws, release() is skipped, the key stays in the in-flight set, and this relay
   * never delivers that group again (nothing else in the process can: the in-flight mark is local).
   */
  @Test
  void relay_whoseCursorUpdateFailsOnce_keepsDeliveringTheGroup() throws Exception {
    ProcessClient c0 = new ProcessClient(shared);
    List<Long> published = new CopyOnWriteArrayList<>();
    EventPublisher publisher = e -> {
      published.add(e.sequence());
      return CompletableFuture.completedFuture(null);
    };
    c0.failAdvanceCursor.set(1);
    FanGroups p0 = FanGroups.builder().store(c0).passcodeKeys(ProcessClient.KEYS).eventPublisher(publisher)
        .relayOptions(new OutboxRelay.Options(1, Duration.ofMillis(200), Duration.ofMillis(1), Duration.ofMillis(20),
            Duration.ofMillis(5)))
        .build();
    try {
      GroupId group = p0.createGroup(AS_OWNER, GroupSettings.of("g", 200)).id();
      p0.apply(CommandContext.of("fan-1"), group, JoinSource.BUTTON);
      p0.apply(CommandContext.of("fan-2"), group, JoinSource.BUTTON);

      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!published.contains(3L) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(published).as("events published after one failed cursor update").contains(1L, 2L, 3L);
      assertThat(p0.relay().status().caughtUp()).isTrue();
    } finally {
      p0.relay().close();
    }
  }

  /**
   * F4. A keyed command whose CommandStarted append landed but reported a failure never ran; a
   * retry (even on the same process, after the store recovered) waits 10 s and is refused with
   * STORE_UNAVAILABLE "still running in another process", and keeps being refused for 60 s.
   */
  @Test
  void keyedRetry_afterTheStartedRecordLandedButFailed_runsTheCommand() {
    ProcessClient c0 = new ProcessClient(shared);
    FanGroups p0 = process(c0);
    CommandContext keyed = AS_OWNER.withIdempotencyKey("create-2");

    c0.landThenFailWhen.set(ProcessClient.touches("idem/"));
    assertCode(ErrorCode.STORE_UNAVAILABLE, () -> p0.createGroup(keyed, GroupSettings.of("g", 200)));
    assertThat(p0.groupsOf(OWNER)).as("nothing ran").isEmpty();

    GroupInfo created = p0.createGroup(keyed, GroupSettings.of("g", 200)); 
    assertThat(created.owner()).isEqualTo(OWNER);
  }

  /**
   * F5. The idempotency fingerprint of settings whose policy is a lambda uses the lambda's class name
   * with only "/0x..." stripped; on JDK 17 that name keeps the JVM-wide spin counter
   * ("Host$$Lambda$57"), which depends on what the process ran before. Two processes running the same
   * code compute different fingerprints, so a keyed retry on another instance fails with
   * IDEMPOTENCY_KEY_REUSED.
   */
  @Test
  void fingerprint_ofALambdaPolicy_isTheSameInEveryProcess() throws Exception {
    assertThat(probe("cold")).isEqualTo(probe("warm"));
  }

  private static String probe(String mode) throws Exception {
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
        FingerprintProbe.class.getName(), mode).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    String[] lines = out.split("\\R");
    return lines[lines.length - 1];
  }

  /**
   * F6 (consistency). On the in-memory store a failed keyed attempt is forgotten, so the key can be
   * used again; on a shared store the CommandFailed record keeps the first fingerprint and the key is
   * refused for ever with IDEMPOTENCY_KEY_REUSED.
   */
  @Test
  void keyAfterAFailedAttempt_behavesTheSameOnASharedStore() {
    FanGroups inMemory = FanGroups.builder().build();
    FanGroups onShared = process(new ProcessClient(shared));
    for (FanGroups fg : List.of(inMemory, onShared)) {
      CommandContext keyed = CommandContext.of("fan").withIdempotencyKey("k");
      assertCode(ErrorCode.GROUP_NOT_FOUND, () -> fg.apply(keyed, GroupId.of("nope"), JoinSource.BUTTON));
      GroupId real = fg.createGroup(AS_OWNER, GroupSettings.of("g", 10)).id();
      assertThat(fg.apply(keyed, real, JoinSource.BUTTON).joined()).as(fg.toString()).isTrue();
    }
  }
}
