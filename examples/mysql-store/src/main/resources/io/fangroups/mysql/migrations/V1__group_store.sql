-- The GroupStore's tables, with snapshots, retention and the change feed from the start.
--
-- Names (streams, keys, cursors, leases, event types) are VARBINARY holding UTF-8: compared byte by
-- byte, which is code point order, with no collation and no PAD SPACE rule (under which 'a' and 'a '
-- would be one key). The SPI's names are at most 200 characters, at most 600 bytes. Text the SDK
-- writes (payloads, key values, lease holders) is utf8mb4, declared here so that a server or schema
-- whose default is latin1 or utf8mb3 still stores every character, 4-byte ones included. Times are
-- epoch microseconds in BIGINT: no time zone, no 2038 limit, the same on MySQL, MariaDB and TiDB.
-- Every statement is idempotent (IF NOT EXISTS), because MySQL's DDL commits as it goes: a run that
-- failed half-way is finished by the next one. `/*T![clustered_index] CLUSTERED */` is TiDB's comment
-- syntax, a comment to MySQL and MariaDB: on TiDB it makes each primary key the row's storage key (one
-- key-value pair per row, a stream's events contiguous), which TiDB otherwise does only for integer keys.

-- One row per stream: its last sequence. Appends move it with a conditional update, which is what
-- makes them linearizable; lastSequence and streams(prefix) read only this table. last_sequence 0 marks
-- a stream that a pure check (an append with no events) locked before it existed. retain_until (NULL:
-- kept) is when deleteExpired may delete the stream whole.
CREATE TABLE IF NOT EXISTS fg_streams (
  stream        VARBINARY(600) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  last_sequence BIGINT NOT NULL CHECK (last_sequence >= 0),
  retain_until  BIGINT NULL,
  INDEX fg_streams_retain_until (retain_until)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Every event, exactly as appended, clustered by (stream, sequence): a group's events sit together.
CREATE TABLE IF NOT EXISTS fg_events (
  stream      VARBINARY(600) NOT NULL,
  sequence    BIGINT NOT NULL CHECK (sequence > 0),
  type        VARBINARY(256) NOT NULL,
  payload     LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  recorded_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (stream, sequence) /*T![clustered_index] CLUSTERED */
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Unique keys: claimed once, never changed.
CREATE TABLE IF NOT EXISTS fg_keys (
  name       VARBINARY(600) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  value      MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  claimed_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Delivery cursors: positions only move forward.
CREATE TABLE IF NOT EXISTS fg_cursors (
  name     VARBINARY(600) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  position BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Leases: one holder until a time (epoch microseconds) the caller's clock chose.
CREATE TABLE IF NOT EXISTS fg_leases (
  name         VARBINARY(600) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  holder       VARBINARY(600) NOT NULL,
  until_micros BIGINT NOT NULL
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- A stream's latest snapshot: its state folded through `sequence`, replaced only by a higher sequence,
-- deleted with the stream. Apart from fg_streams so that listing streams reads narrow rows.
CREATE TABLE IF NOT EXISTS fg_snapshots (
  stream   VARBINARY(600) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  sequence BIGINT NOT NULL CHECK (sequence > 0),
  payload  LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

-- Change marks: streams appended with the change feed since a relay last cleared them, each with its
-- last sequence when marked. Written in the append's transaction; listed in name order.
CREATE TABLE IF NOT EXISTS fg_changes (
  stream        VARBINARY(600) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  last_sequence BIGINT NOT NULL CHECK (last_sequence > 0)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
