package io.fangroups.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fangroups.core.InMemoryWallet.HoldBalance;
import io.fangroups.core.InMemoryWallet.Kind;
import io.fangroups.core.InMemoryWallet.Transfer;
import io.fangroups.spi.Wallet.Hold;
import io.fangroups.spi.Wallet.Payment;
import io.fangroups.spi.Wallet.Release;
import io.fangroups.spi.WalletDeclinedException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The in-memory wallet's own surface: the ledger a test inspects. The contract itself is the kit's. */
class InMemoryWalletTest {
  private static final String CNY = "CNY";

  private final InMemoryWallet wallet = InMemoryWallet.create();

  @Test
  void transfers_afterAPacketsLife_listEveryEntryWithItsAccounts() {
    wallet.deposit("alice", CNY, 100);
    wallet.hold(new Hold("rp/1/hold", "alice", 30, CNY, "packet 1"));
    wallet.pay(new Payment("rp/1/claim/1", "rp/1/hold", "bob", 12, CNY));
    wallet.release(new Release("rp/1/release", "rp/1/hold", 18, CNY));

    assertThat(wallet.transfers()).containsExactly(
        new Transfer("deposit/1", Kind.DEPOSIT, "world", "user:alice", 100, CNY),
        new Transfer("rp/1/hold", Kind.HOLD, "user:alice", "hold:rp/1/hold", 30, CNY),
        new Transfer("rp/1/claim/1", Kind.PAY, "hold:rp/1/hold", "user:bob", 12, CNY),
        new Transfer("rp/1/release", Kind.RELEASE, "hold:rp/1/hold", "user:alice", 18, CNY));
    assertThat(wallet.balance("alice", CNY)).isEqualTo(88);
    assertThat(wallet.balance("bob", CNY)).isEqualTo(12);
  }

  @Test
  void transfers_repeatedCall_recordsOneEntry() {
    wallet.deposit("alice", CNY, 100);
    Hold hold = new Hold("rp/1/hold", "alice", 30, CNY, "packet 1");
    wallet.hold(hold);
    wallet.hold(hold);

    assertThat(wallet.transfers()).extracting(Transfer::kind).containsExactly(Kind.DEPOSIT, Kind.HOLD);
  }

  @Test
  void transfers_returnedList_isACopyLaterCallsDoNotChange() {
    wallet.deposit("alice", CNY, 100);
    var before = wallet.transfers();
    wallet.deposit("alice", CNY, 1);

    assertThat(before).hasSize(1);
    assertThatThrownBy(() -> before.add(before.get(0))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void release_beforeItsHold_recordsAnEntryOfZeroOnTheHoldsAccount() {
    wallet.deposit("alice", CNY, 100);
    wallet.release(new Release("rp/1/release", "rp/1/hold", 30, CNY));

    assertThat(failure(wallet.hold(new Hold("rp/1/hold", "alice", 30, CNY, "packet 1"))))
        .isInstanceOf(WalletDeclinedException.class).hasMessageContaining("released before it arrived");
    assertThat(wallet.transfers()).last()
        .isEqualTo(new Transfer("rp/1/release", Kind.RELEASE, "hold:rp/1/hold", "hold:rp/1/hold", 0, CNY));
    assertThat(wallet.holds()).isEmpty();
  }

  @Test
  void total_afterDepositsTransfersAndWithdrawals_isZeroPerCurrency() {
    wallet.deposit("alice", CNY, 100);
    wallet.deposit("alice", "USD", 7);
    wallet.hold(new Hold("h", "alice", 60, CNY, ""));
    wallet.pay(new Payment("p", "h", "bob", 25, CNY));
    wallet.withdraw("bob", CNY, 5);

    assertThat(wallet.total(CNY)).isZero();
    assertThat(wallet.total("USD")).isZero();
    assertThat(wallet.total("EUR")).isZero();
    assertThat(wallet.balance("bob", CNY)).isEqualTo(20);
  }

  @Test
  void holds_afterPaymentsAndReleases_listEachHoldWithWhatRemains() {
    wallet.deposit("alice", CNY, 100);
    wallet.hold(new Hold("h1", "alice", 40, CNY, ""));
    wallet.hold(new Hold("h2", "alice", 50, CNY, ""));
    wallet.pay(new Payment("p", "h2", "bob", 50, CNY));
    wallet.release(new Release("r", "h1", 15, CNY));

    assertThat(wallet.holds()).containsExactly(
        new HoldBalance("h1", "alice", CNY, 40, 25),
        new HoldBalance("h2", "alice", CNY, 50, 0));
    assertThat(wallet.held("h1")).isEqualTo(25);
    assertThat(wallet.held("never")).isZero();
  }

  @Test
  void withdraw_moreThanTheBalance_throwsAndMovesNothing() {
    wallet.deposit("alice", CNY, 10);

    assertThatThrownBy(() -> wallet.withdraw("alice", CNY, 11))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("its balance is 10");
    assertThat(wallet.balance("alice", CNY)).isEqualTo(10);
    assertThat(wallet.transfers()).hasSize(1);
  }

  @Test
  void deposit_amountNotPositive_throws() {
    assertThatThrownBy(() -> wallet.deposit("alice", CNY, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount must be positive, got 0");
    assertThatThrownBy(() -> wallet.withdraw("alice", CNY, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hold_idReusedWithAnotherAmount_failsTheStageNamingBothTransfers() {
    wallet.deposit("alice", CNY, 100);
    wallet.hold(new Hold("h", "alice", 30, CNY, ""));

    assertThat(failure(wallet.hold(new Hold("h", "alice", 31, CNY, ""))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transfer id h was used for HOLD of 30 CNY from alice; it cannot name HOLD of 31 CNY from alice");
    assertThat(wallet.balance("alice", CNY)).isEqualTo(70);
  }

  @Test
  void pay_moreThanRemains_failsTheStageSayingWhatIsLeft() {
    wallet.deposit("alice", CNY, 100);
    wallet.hold(new Hold("h", "alice", 30, CNY, ""));

    assertThat(failure(wallet.pay(new Payment("p", "h", "bob", 31, CNY))))
        .isInstanceOf(IllegalStateException.class).hasMessage("transfer p of 31 exceeds the 30 left in hold h");
    assertThat(wallet.transfers()).extracting(Transfer::kind).containsExactly(Kind.DEPOSIT, Kind.HOLD);
  }

  @Test
  void hold_balanceTooLow_failsTheStageWithoutThrowing() {
    CompletionStage<Void> stage = wallet.hold(new Hold("h", "alice", 1, CNY, ""));

    assertThat(failure(stage)).isInstanceOf(WalletDeclinedException.class)
        .hasMessage("the balance of alice is 0 CNY, less than the 1 to hold");
    assertThat(wallet.holds()).isEmpty();
  }

  private static Throwable failure(CompletionStage<?> stage) {
    var future = stage.toCompletableFuture();
    assertThat(future).isCompletedExceptionally();
    return future.handle((value, failure) -> failure).join();
  }
}
