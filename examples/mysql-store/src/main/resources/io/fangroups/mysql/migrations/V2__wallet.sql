-- The tables of MySqlWallet, the ledger red packets move money through. Ids (accounts, currencies,
-- transfers, holds) are VARBINARY holding UTF-8, compared byte by byte; money is BIGINT minor units.

-- Users' available balances, per account and currency. The CHECK is the last line of defence of W-1: a
-- hold debits with `balance - ? WHERE balance >= ?`, so it never fires in practice.
CREATE TABLE IF NOT EXISTS fg_wallet_accounts (
  account  VARBINARY(768) NOT NULL,
  currency VARBINARY(64) NOT NULL,
  balance  BIGINT NOT NULL CHECK (balance >= 0),
  PRIMARY KEY (account, currency) /*T![clustered_index] CLUSTERED */
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- One row per hold, named by the hold's transfer id: what was held from which account, and what remains
-- to pay or release. A release that arrived before its hold leaves a row with released_before_hold set
-- (no account, nothing held), so the hold is declined when it arrives (W-5).
CREATE TABLE IF NOT EXISTS fg_wallet_holds (
  hold_id              VARBINARY(768) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  account              VARBINARY(768) NULL,
  currency             VARBINARY(64) NOT NULL,
  amount               BIGINT NOT NULL CHECK (amount >= 0),
  remaining            BIGINT NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
  released_before_hold BOOLEAN NOT NULL DEFAULT FALSE
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Every transfer that took effect, by id: the primary key makes repeats idempotent (W-2) and is what
-- concurrent calls with one id queue on. account is the held-from account of a hold, the payee of a
-- payment, the funded account of a deposit; hold_id names the hold of a payment or release.
CREATE TABLE IF NOT EXISTS fg_wallet_transfers (
  transfer_id VARBINARY(768) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  kind        VARCHAR(16) CHARACTER SET ascii NOT NULL CHECK (kind IN ('DEPOSIT', 'HOLD', 'PAY', 'RELEASE')),
  hold_id     VARBINARY(768) NULL,
  account     VARBINARY(768) NULL,
  amount      BIGINT NOT NULL CHECK (amount > 0),
  currency    VARBINARY(64) NOT NULL,
  memo        TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  created_at  TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
