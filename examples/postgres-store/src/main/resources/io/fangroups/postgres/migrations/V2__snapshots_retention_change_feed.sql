-- Version 2: snapshots, retention and the change feed. It upgrades a V1 database in place: new tables,
-- a nullable column (no table rewrite), a partial index on that column (empty at first), and a mark for
-- every existing group stream. No V1 row changes.

-- A stream's latest snapshot: its state folded through `sequence`, replaced only by a higher sequence,
-- deleted with the stream. Apart from fg_streams so that listing streams reads narrow rows.
CREATE TABLE fg_snapshots (
  stream   text COLLATE "C" PRIMARY KEY,
  sequence bigint NOT NULL CHECK (sequence > 0),
  payload  text NOT NULL
);

-- When a stream may be deleted whole by deleteExpired; NULL (every V1 stream): kept. Few streams have
-- one (keyed commands' records), and the partial index holds only those, so a sweep reads what is due.
ALTER TABLE fg_streams ADD COLUMN retain_until timestamptz;
CREATE INDEX fg_streams_retain_until ON fg_streams (retain_until) WHERE retain_until IS NOT NULL;

-- Change marks: streams appended with the change feed since a relay last cleared them, each with its
-- last sequence when marked. Upserted in the append's transaction; listed in name order; a relay that
-- polls an empty table makes one index probe.
CREATE TABLE fg_changes (
  stream        text COLLATE "C" PRIMARY KEY,
  last_sequence bigint NOT NULL CHECK (last_sequence > 0)
);

-- Group streams written before the change feed existed are marked, so a relay of this version looks at
-- each of them once and catches up on whatever the old relay had not delivered.
INSERT INTO fg_changes (stream, last_sequence)
  SELECT stream, last_sequence FROM fg_streams WHERE stream LIKE 'group/%' AND last_sequence > 0;
