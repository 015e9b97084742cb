-- Version 3: the tables of PostgresWallet, the ledger red packets move money through. It upgrades a V2
-- database in place: three new tables, no change to an earlier one.

-- Users' available balances, per account and currency, in minor units. The CHECK is the last line of
-- defence of W-1: a hold debits with `balance - ? WHERE balance >= ?`, so it never fires in practice.
CREATE TABLE fg_wallet_accounts (
  account  text COLLATE "C" NOT NULL,
  currency text COLLATE "C" NOT NULL,
  balance  bigint NOT NULL CHECK (balance >= 0),
  PRIMARY KEY (account, currency)
);

-- One row per hold, named by the hold's transfer id: what was held from which account, and what remains
-- to pay or release. A release that arrived before its hold leaves a row with released_before_hold set
-- (no account, nothing held), so the hold is declined when it arrives (W-5).
CREATE TABLE fg_wallet_holds (
  hold_id              text COLLATE "C" PRIMARY KEY,
  account              text COLLATE "C",
  currency             text COLLATE "C" NOT NULL,
  amount               bigint NOT NULL CHECK (amount >= 0),
  remaining            bigint NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
  released_before_hold boolean NOT NULL DEFAULT false,
  CHECK (released_before_hold = (account IS NULL))
);

-- Every transfer that took effect, by id: the primary key makes repeats idempotent (W-2) and is what
-- concurrent calls with one id queue on. account is the held-from account of a hold, the payee of a
-- payment, the funded account of a deposit; hold_id names the hold of a payment or release.
CREATE TABLE fg_wallet_transfers (
  transfer_id text COLLATE "C" PRIMARY KEY,
  kind        text NOT NULL CHECK (kind IN ('DEPOSIT', 'HOLD', 'PAY', 'RELEASE')),
  hold_id     text COLLATE "C",
  account     text COLLATE "C",
  amount      bigint NOT NULL CHECK (amount > 0),
  currency    text COLLATE "C" NOT NULL,
  memo        text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
