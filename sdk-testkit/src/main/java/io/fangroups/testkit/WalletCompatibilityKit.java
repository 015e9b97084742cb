package io.fangroups.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fangroups.spi.Wallet;
import io.fangroups.spi.Wallet.Hold;
import io.fangroups.spi.Wallet.Payment;
import io.fangroups.spi.Wallet.Release;
import io.fangroups.spi.WalletDeclinedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Wallet}, rules {@code W-1} to {@code W-8} of the testkit's
 * {@code CONTRACT.md}. Extend it in a test, return the wallet under test and give the kit the
 * host's side: funding an account and reading balances and holds. A wallet over a database also
 * returns a second client of the same database, so the kit checks that transfers stay atomic and
 * idempotent across processes:
 *
 * <pre>{@code
 * class PostgresWalletCompatibilityTest extends WalletCompatibilityKit {
 *   protected Wallet newWallet() { return new PostgresWallet(poolA); }
 *   protected Wallet secondClient(Wallet first) { return new PostgresWallet(poolB); }
 *   protected void deposit(Wallet w, String account, String currency, long amount) {
 *     ((PostgresWallet) w).deposit(account, currency, amount);
 *   }
 *   protected long balance(Wallet w, String account, String currency) {
 *     return ((PostgresWallet) w).balance(account, currency);
 *   }
 *   protected long held(Wallet w, String holdId) { return ((PostgresWallet) w).held(holdId); }
 * }
 * }</pre>
 *
 * <p>Every test uses accounts and transfer ids under a random prefix no other test uses and never
 * assumes the wallet is empty, so one database can serve every test without cleaning. Amounts are
 * in {@code CNY} unless a rule needs a second currency ({@code USD}).
 */
public abstract class WalletCompatibilityKit {
  private static final String CNY = "CNY";
  private static final String USD = "USD";
  private static final int THREADS = 16;
  /** Rounds of the races that W-5 and W-7 run on a fresh hold each. */
  private static final int ROUNDS = 5;
  private static final String COMPLETED = "completed";

  private final String prefix = "w-" + UUID.randomUUID() + "/";
  private Wallet wallet;
  private Wallet second;

  /** Creates the kit. */
  protected WalletCompatibilityKit() {}

  /** The implementation under test; called once before each test. */
  protected abstract Wallet newWallet();

  /**
   * Another client of the wallet {@link #newWallet()} returned, as another process would hold: over a
   * database, a client with its own connection pool on the same database. The concurrency rules
   * alternate their calls between the two (W-5, W-6, W-7), and W-8 reads through one what the other
   * completed. By default the same object, which suits a wallet that lives in one JVM.
   */
  protected Wallet secondClient(Wallet first) {
    return first;
  }

  /** Funds {@code account} with {@code amount} minor units of {@code currency}, as the host's top-up. */
  protected abstract void deposit(Wallet wallet, String account, String currency, long amount);

  /** {@code account}'s available balance in {@code currency}: 0 for an account never funded. */
  protected abstract long balance(Wallet wallet, String account, String currency);

  /** What remains in the hold {@code holdId}: 0 for a hold that does not exist. */
  protected abstract long held(Wallet wallet, String holdId);

  /** How long the kit waits for a stage before calling it hung; a guard, never a performance check. */
  protected Duration hangGuard() {
    return Duration.ofSeconds(30);
  }

  @BeforeEach
  final void createWallet() {
    wallet = Objects.requireNonNull(newWallet(), "newWallet() returned null");
    second = Objects.requireNonNull(secondClient(wallet), "secondClient() returned null");
  }

  /** W-1: a hold moves its amount out of the available balance, or is declined and moves nothing. */
  @Test
  @DisplayName("W-1 a hold takes the amount from the available balance or is declined")
  void w1_holdTakesTheAmountOrIsDeclined() {
    String sender = funded("sender", 100);
    succeeds(hold("h1", sender, 60));
    assertBalance(sender, 40, "after holding 60 of 100");
    assertHeld("h1", 60);

    declined(hold("h2", sender, 41), "a hold of 41 from a balance of 40");
    assertBalance(sender, 40, "after a declined hold");
    assertHeld("h2", 0);
    succeeds(hold("h3", sender, 40));
    assertBalance(sender, 0, "after holding all that was left");
    assertHeld("h3", 40);

    declined(hold("h4", sender, 1), "a hold of 1 from a balance of 0");
    declined(hold("h5", account("never-funded"), 1), "a hold from an account never funded");
    declined(() -> wallet.hold(new Hold(id("h6"), sender, 1, USD, "packet")), "a hold in USD from an account funded in CNY only");
    assertBalance(sender, 0, "after three declined holds");
    assertThat(balance(wallet, sender, USD)).as("USD balance of an account funded in CNY only").isZero();
    assertThat(balance(wallet, account("never-funded"), CNY)).as("balance of an account never funded").isZero();
    for (String hold : List.of("h4", "h5", "h6")) {
      assertHeld(hold, 0);
    }
  }

  /**
   * W-2: a repeat of a transfer that took effect completes and moves nothing more, even when the
   * hold no longer has what it moved; an id reused with other fields fails with
   * {@link IllegalArgumentException}; a declined hold records nothing.
   */
  @Test
  @DisplayName("W-2 transfers are idempotent by transfer id")
  void w2_transfersAreIdempotentByTransferId() {
    String sender = funded("sender", 100);
    deposit(wallet, sender, USD, 100);
    String other = funded("other", 100);
    String payee = account("payee");
    succeeds(hold("h", sender, 50));
    succeeds(() -> wallet.hold(new Hold(id("h"), sender, 50, CNY, "another memo")));
    assertBalance(sender, 50, "after a hold of 50 and its repeat");
    assertHeld("h", 50);

    refusedAsReused(hold("h", sender, 51), "the hold's id with another amount");
    refusedAsReused(hold("h", other, 50), "the hold's id with another account");
    refusedAsReused(() -> wallet.hold(new Hold(id("h"), sender, 50, USD, "packet")), "the hold's id in USD");
    assertBalance(sender, 50, "after three reuses of the hold's id");
    assertBalance(other, 100, "the other account, named by a reused id");
    assertThat(balance(wallet, sender, USD)).as("USD balance, named by a reused id").isEqualTo(100);
    assertHeld("h", 50);

    succeeds(pay("p", "h", payee, 20));
    succeeds(pay("p", "h", payee, 20));
    assertBalance(payee, 20, "after a payment of 20 and its repeat");
    assertHeld("h", 30);
    refusedAsReused(pay("p", "h", payee, 21), "the payment's id with another amount");
    refusedAsReused(pay("p", "h", other, 20), "the payment's id with another payee");
    refusedAsReused(pay("p", "elsewhere", payee, 20), "the payment's id naming another hold");
    refusedAsReused(release("p", "h", 20), "the payment's id for a release");
    refusedAsReused(hold("p", sender, 20), "the payment's id for a hold");
    succeeds(pay("p2", "h", payee, 30));
    succeeds(pay("p2", "h", payee, 30));
    succeeds(pay("p", "h", payee, 20));
    assertBalance(payee, 50, "after two payments, each repeated, the first again once the hold was empty");
    assertHeld("h", 0);

    succeeds(hold("g", sender, 10));
    succeeds(release("r", "g", 10));
    succeeds(release("r", "g", 10));
    refusedAsReused(release("r", "g", 9), "the release's id with another amount");
    assertBalance(sender, 50, "after holding 10 and releasing it, twice");

    // Whether a hold the balance does not cover is declined is W-1's; here, that a decline records nothing.
    if (!outcome(hold("d", sender, 1_000)).equals(COMPLETED)) {
      deposit(wallet, sender, CNY, 1_000);
      succeeds(hold("d", sender, 1_000));
      assertBalance(sender, 50, "after a declined hold was made again once funded");
      assertHeld("d", 1_000);
    }
  }

  /**
   * W-3: a payment moves its amount from the hold to the payee; more than remains, or a hold that
   * does not exist, fails with {@link IllegalStateException} and moves nothing, and the payment
   * succeeds when retried once the hold exists; another currency than the hold's fails with
   * {@link IllegalArgumentException}.
   */
  @Test
  @DisplayName("W-3 a payment takes from the hold, never more than remains")
  void w3_paymentTakesFromTheHold() {
    String sender = funded("sender", 100);
    String a = account("a");
    String b = account("b");
    String c = account("c");
    succeeds(hold("h", sender, 50));
    succeeds(pay("p1", "h", a, 20));
    assertBalance(a, 20, "payee of 20");
    assertHeld("h", 30);

    refused(IllegalStateException.class, pay("p2", "h", b, 31), "a payment of 31 from a hold with 30 left");
    assertBalance(b, 0, "payee of a refused payment");
    assertHeld("h", 30);
    succeeds(pay("p3", "h", b, 30));
    assertBalance(b, 30, "payee of all that was left");
    assertHeld("h", 0);
    refused(IllegalStateException.class, pay("p4", "h", c, 1), "a payment from an empty hold");

    refused(IllegalStateException.class, pay("q", "later", c, 5), "a payment from a hold that does not exist");
    assertBalance(c, 0, "payee of payments refused");
    succeeds(hold("later", sender, 5));
    succeeds(pay("q", "later", c, 5));
    assertBalance(c, 5, "payee of the payment retried once its hold existed");
    assertHeld("later", 0);

    succeeds(hold("n", sender, 10));
    refused(IllegalArgumentException.class, () -> wallet.pay(new Payment(id("u"), id("n"), c, 10, USD)),
        "a payment in USD from a hold in CNY");
    assertHeld("n", 10);
    assertBalance(sender, 35, "sender after holding 50, 5 and 10 of 100");
  }

  /**
   * W-4: a release moves its amount from the hold back to the sender and leaves the rest payable,
   * in either order with the payments; more than remains fails with {@link IllegalStateException}.
   */
  @Test
  @DisplayName("W-4 a partial release leaves the rest of the hold payable")
  void w4_partialReleaseLeavesTheRestPayable() {
    String sender = funded("sender", 100);
    String a = account("a");
    String b = account("b");
    succeeds(hold("h", sender, 60));
    succeeds(pay("claim1", "h", a, 10));
    succeeds(release("r1", "h", 30));
    assertBalance(sender, 70, "sender after holding 60 and releasing 30 of it");
    assertHeld("h", 20);
    succeeds(pay("claim2", "h", b, 20));
    assertBalance(b, 20, "payee of a claim paid after the release");
    assertHeld("h", 0);
    refused(IllegalStateException.class, release("r2", "h", 1), "a release from an empty hold");
    assertBalance(sender, 70, "sender after a refused release");

    succeeds(hold("k", sender, 40));
    succeeds(release("rk", "k", 25));
    refused(IllegalStateException.class, release("rk2", "k", 16), "a release of 16 from a hold with 15 left");
    assertBalance(sender, 55, "sender after holding 40, releasing 25 and a refused release");
    assertHeld("k", 15);
    refused(IllegalArgumentException.class, () -> wallet.release(new Release(id("ru"), id("k"), 15, USD)),
        "a release in USD from a hold in CNY");
    succeeds(pay("claimk", "k", a, 15));
    assertBalance(a, 25, "payee of two claims");
    assertHeld("k", 0);
  }

  /**
   * W-5: a release naming a hold that does not exist completes and moves nothing, and the hold is
   * declined when it arrives; a hold and its release racing end with the money back with the sender.
   */
  @Test
  @DisplayName("W-5 a release before its hold is recorded and the hold is then declined")
  void w5_releaseBeforeHoldDeclinesTheHold() {
    String sender = funded("sender", 100);
    String payee = account("payee");
    succeeds(release("r", "h", 50));
    assertBalance(sender, 100, "sender after a release of a hold not made yet");
    assertHeld("h", 0);
    declined(hold("h", sender, 50), "a hold released before it arrived");
    succeeds(release("r", "h", 50));
    declined(hold("h", sender, 50), "the hold made again");
    refused(IllegalStateException.class, pay("p", "h", payee, 10), "a payment from a hold released before it arrived");
    succeeds(release("r2", "h", 50));
    assertBalance(sender, 100, "sender after two releases and two declines");
    assertBalance(payee, 0, "payee of a refused payment");
    assertHeld("h", 0);

    for (int round = 0; round < ROUNDS * 4; round++) {
      String hold = "raced-" + round;
      List<String> outcomes = Concurrently.run(2, thread -> thread == 0
          ? outcome(hold(hold, sender, 30))
          : outcome(() -> second.release(new Release(id("release-of-" + hold), id(hold), 30, CNY))));
      assertThat(outcomes.get(1)).as("a release racing its hold (round %d)", round).isEqualTo(COMPLETED);
      assertThat(outcomes.get(0)).as("the hold racing its release (round %d)", round)
          .isIn(COMPLETED, WalletDeclinedException.class.getSimpleName());
      assertBalance(sender, 100, "sender after a hold raced its release (round " + round + ", hold " + outcomes.get(0)
          + ")");
      assertHeld(hold, 0);
    }
  }

  /**
   * W-6: money is never made or lost: after a random run of holds, payments and releases (some
   * refused), each hold has its amount less what was paid and released from it, each account what
   * those transfers gave it, and the accounts and holds sum to the deposits.
   */
  @Test
  @DisplayName("W-6 conservation: accounts and holds always sum to the deposits")
  void w6_conservation() {
    Random random = new Random(6);
    List<String> senders = List.of(funded("s0", 1_000), funded("s1", 1_000), funded("s2", 1_000));
    List<String> payees = IntStream.range(0, 4).mapToObj(i -> account("payee" + i)).toList();
    Map<String, Long> expected = new HashMap<>();
    senders.forEach(s -> expected.put(s, 1_000L));
    payees.forEach(p -> expected.put(p, 0L));
    Map<String, Long> remaining = new LinkedHashMap<>();
    Map<String, String> heldFrom = new HashMap<>();
    for (int step = 0; step < 300; step++) {
      Wallet client = step % 2 == 0 ? wallet : second;
      String transfer = "t" + step;
      List<String> holds = new ArrayList<>(remaining.keySet());
      int action = holds.isEmpty() ? 0 : random.nextInt(4);
      long amount = 1 + random.nextInt(action == 0 ? 400 : 60);
      if (action == 0) {
        String sender = senders.get(random.nextInt(senders.size()));
        if (tookEffect(() -> client.hold(new Hold(id(transfer), sender, amount, CNY, "packet")),
            WalletDeclinedException.class, "hold " + transfer)) {
          expected.merge(sender, -amount, Long::sum);
          remaining.put(transfer, amount);
          heldFrom.put(transfer, sender);
        }
        continue;
      }
      String hold = holds.get(random.nextInt(holds.size()));
      String to = action == 3 ? heldFrom.get(hold) : payees.get(random.nextInt(payees.size()));
      Supplier<CompletionStage<@Nullable Void>> call = action == 3
          ? () -> client.release(new Release(id(transfer), id(hold), amount, CNY))
          : () -> client.pay(new Payment(id(transfer), id(hold), to, amount, CNY));
      if (tookEffect(call, IllegalStateException.class, (action == 3 ? "release " : "payment ") + transfer)) {
        remaining.merge(hold, -amount, Long::sum);
        expected.merge(to, amount, Long::sum);
      }
    }

    long total = 0;
    for (Map.Entry<String, Long> account : expected.entrySet()) {
      long balance = balance(wallet, account.getKey(), CNY);
      assertThat(balance).as("balance of %s after the run", account.getKey()).isEqualTo(account.getValue());
      total += balance;
    }
    for (Map.Entry<String, Long> hold : remaining.entrySet()) {
      long left = held(wallet, id(hold.getKey()));
      assertThat(left).as("what remains of hold %s: its amount less what was paid and released from it",
          hold.getKey()).isEqualTo(hold.getValue());
      total += left;
    }
    assertThat(total).as("the accounts and holds of the run, against the 3000 deposited").isEqualTo(3_000);
  }

  /**
   * W-7: concurrent transfers with distinct ids on one hold never overdraw it, concurrent holds never
   * overdraw an account, and concurrent repeats of one transfer take effect once, across clients.
   */
  @Test
  @DisplayName("W-7 concurrent transfers never overdraw and repeats take effect once")
  void w7_concurrentTransfersNeverOverdraw() {
    for (int round = 0; round < ROUNDS; round++) {
      String sender = funded("sender-" + round, 50);
      String hold = "h-" + round;
      succeeds(hold(hold, sender, 50));
      int r = round;
      Map<String, Integer> outcomes = race(100, n -> client(n).pay(
          new Payment(id("p-" + r + "-" + n), id(hold), account("payee-" + r + "-" + n), 1, CNY)));
      assertThat(outcomes).as("100 concurrent payments of 1 from a hold of 50 (round %d)", round)
          .isEqualTo(Map.of(COMPLETED, 50, IllegalStateException.class.getSimpleName(), 50));
      assertHeld(hold, 0);
      long paid = IntStream.range(0, 100).mapToLong(n -> balance(wallet, account("payee-" + r + "-" + n), CNY)).sum();
      assertThat(paid).as("what the 100 payees received (round %d)", round).isEqualTo(50);
    }

    String repeater = funded("repeater", 100);
    String payee = account("payee");
    assertThat(race(50, n -> client(n).hold(new Hold(id("hr"), repeater, 10, CNY, "packet"))))
        .as("50 concurrent repeats of one hold").isEqualTo(Map.of(COMPLETED, 50));
    assertThat(race(50, n -> client(n).pay(new Payment(id("pr"), id("hr"), payee, 7, CNY))))
        .as("50 concurrent repeats of one payment").isEqualTo(Map.of(COMPLETED, 50));
    assertThat(race(50, n -> client(n).release(new Release(id("rr"), id("hr"), 3, CNY))))
        .as("50 concurrent repeats of one release").isEqualTo(Map.of(COMPLETED, 50));
    assertBalance(repeater, 93, "sender after one hold of 10 and one release of 3, each made 50 times at once");
    assertBalance(payee, 7, "payee of one payment of 7 made 50 times at once");
    assertHeld("hr", 0);

    String spender = funded("spender", 100);
    assertThat(race(50, n -> client(n).hold(new Hold(id("hs-" + n), spender, 7, CNY, "packet"))))
        .as("50 concurrent holds of 7 from a balance of 100")
        .isEqualTo(Map.of(COMPLETED, 14, WalletDeclinedException.class.getSimpleName(), 36));
    assertBalance(spender, 2, "after 14 holds of 7 from 100");
    assertThat(IntStream.range(0, 50).mapToLong(n -> held(wallet, id("hs-" + n))).sum())
        .as("what the 50 concurrent holds hold together").isEqualTo(98);
  }

  /**
   * W-8: a transfer whose stage completed is visible through the other client, and a refused
   * transfer fails its stage rather than throwing.
   */
  @Test
  @DisplayName("W-8 refusals fail the stage and completed transfers are durable")
  void w8_refusalsFailTheStageAndCompletedTransfersAreDurable() {
    String sender = funded("sender", 100);
    String payee = account("payee");
    succeeds(hold("h", sender, 60));
    assertThat(balance(second, sender, CNY)).as("sender through the second client once the hold completed")
        .isEqualTo(40);
    assertThat(held(second, id("h"))).as("the hold through the second client").isEqualTo(60);
    succeeds(() -> second.pay(new Payment(id("p"), id("h"), payee, 25, CNY)));
    assertThat(held(wallet, id("h"))).as("the hold through the first client once paid through the second")
        .isEqualTo(35);
    assertThat(balance(wallet, payee, CNY)).as("payee through the first client").isEqualTo(25);
    succeeds(release("r", "h", 35));
    assertThat(balance(second, sender, CNY)).as("sender through the second client once released").isEqualTo(75);

    // Which exception each refusal carries is the other rules' to check; here, that it comes through the stage.
    returnsAStage(hold("big", sender, 1_000), "a hold the balance does not cover");
    returnsAStage(hold("h", sender, 61), "a hold's id reused with another amount");
    returnsAStage(pay("q", "missing", payee, 1), "a payment from a hold that does not exist");
    returnsAStage(pay("q", "h", payee, 1), "a payment of more than remains");
    returnsAStage(release("r2", "h", 1), "a release of more than remains");
  }

  /** Funds a new account of this test with {@code amount} CNY and returns its id. */
  private String funded(String name, long amount) {
    String account = account(name);
    deposit(wallet, account, CNY, amount);
    return account;
  }

  private Supplier<CompletionStage<@Nullable Void>> hold(String holdId, String account, long amount) {
    return () -> wallet.hold(new Hold(id(holdId), account, amount, CNY, "packet " + holdId));
  }

  private Supplier<CompletionStage<@Nullable Void>> pay(String transferId, String holdId, String payee, long amount) {
    return () -> wallet.pay(new Payment(id(transferId), id(holdId), payee, amount, CNY));
  }

  private Supplier<CompletionStage<@Nullable Void>> release(String transferId, String holdId, long amount) {
    return () -> wallet.release(new Release(id(transferId), id(holdId), amount, CNY));
  }

  private void succeeds(Supplier<CompletionStage<@Nullable Void>> call) {
    Stages.await("a transfer", call, hangGuard());
  }

  private void declined(Supplier<CompletionStage<@Nullable Void>> call, String what) {
    refused(WalletDeclinedException.class, call, what);
  }

  private void refusedAsReused(Supplier<CompletionStage<@Nullable Void>> call, String what) {
    refused(IllegalArgumentException.class, call, what);
  }

  /** Asserts {@code call} returned a stage, without throwing, and the stage settled within the hang guard. */
  private void returnsAStage(Supplier<CompletionStage<@Nullable Void>> call, String what) {
    CompletionStage<@Nullable Void> stage = Stages.stageOf(what, call);
    Stages.failureIfAny(what, () -> stage, hangGuard());
  }

  /**
   * Asserts {@code call} failed with {@code type}, thrown or through its stage: W-8 alone checks which,
   * so that every other rule reports only its own breach.
   */
  private void refused(Class<? extends Throwable> type, Supplier<CompletionStage<@Nullable Void>> call, String what) {
    assertThat(Stages.failure(what, call, hangGuard())).as("what %s failed with", what).isInstanceOf(type);
  }

  /**
   * Runs one step of W-6, which checks where the money went, not whether the step should have been
   * refused (W-1, W-3, W-4 do): returns whether it took effect, failing only on an unexpected failure.
   */
  private boolean tookEffect(Supplier<CompletionStage<@Nullable Void>> call, Class<? extends Throwable> refusal,
      String what) {
    String outcome = outcome(call);
    assertThat(outcome).as("outcome of %s", what).isIn(COMPLETED, refusal.getSimpleName());
    return outcome.equals(COMPLETED);
  }

  /** How {@code call} ended: {@link #COMPLETED}, or the simple name of what it failed with. */
  private String outcome(Supplier<CompletionStage<@Nullable Void>> call) {
    Throwable failure = Stages.failureIfAny("a transfer", call, hangGuard());
    return failure == null ? COMPLETED : failure.getClass().getSimpleName();
  }

  /** Makes {@code attempts} calls on {@link #THREADS} threads released together and counts their outcomes. */
  private Map<String, Integer> race(int attempts, IntFunction<CompletionStage<@Nullable Void>> attempt) {
    return Concurrently.outcomes(attempts, THREADS, n -> outcome(() -> attempt.apply(n)), RuntimeException.class,
        e -> "threw " + e);
  }

  /** The client the {@code n}-th concurrent call goes through: the two alternate. */
  private Wallet client(int n) {
    return n % 2 == 0 ? wallet : second;
  }

  private void assertBalance(String account, long expected, String what) {
    assertThat(balance(wallet, account, CNY)).as("balance of %s", what).isEqualTo(expected);
  }

  private void assertHeld(String holdId, long expected) {
    assertThat(held(wallet, id(holdId))).as("what remains of hold %s", holdId).isEqualTo(expected);
  }

  private String account(String name) {
    return prefix + "user-" + name;
  }

  private String id(String name) {
    return prefix + "rp/" + name;
  }
}
