-- The GroupStore's tables. Names are compared byte-wise (COLLATE "C"), which for the ASCII names
-- the SDK uses is the order of Java's String.compareTo, and lets a prefix LIKE use the primary key.

-- One row per stream: its last sequence. Appends move it with a conditional update, which is what
-- makes them linearizable; lastSequence and streams(prefix) read only this table.
-- last_sequence 0 marks a stream that a pure check (an append with no events) locked before it existed.
CREATE TABLE fg_streams (
  stream        text COLLATE "C" PRIMARY KEY,
  last_sequence bigint NOT NULL CHECK (last_sequence >= 0)
);

-- Every event, exactly as appended. Payloads are text, so they come back byte for byte.
CREATE TABLE fg_events (
  stream      text COLLATE "C" NOT NULL,
  sequence    bigint NOT NULL CHECK (sequence > 0),
  type        text NOT NULL,
  payload     text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (stream, sequence)
);

-- Unique keys: claimed once, never changed.
CREATE TABLE fg_keys (
  key        text COLLATE "C" PRIMARY KEY,
  value      text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now()
);

-- Delivery cursors: positions only move forward.
CREATE TABLE fg_cursors (
  name     text COLLATE "C" PRIMARY KEY,
  position bigint NOT NULL
);

-- Leases: one holder until a time the caller's clock chose.
CREATE TABLE fg_leases (
  name   text COLLATE "C" PRIMARY KEY,
  holder text NOT NULL,
  until  timestamptz NOT NULL
);
