-- Version 4: the table of PostgresAttemptLimiter, so every application server counts passcode attempts
-- in one place. It upgrades a V3 database in place: one new table, no change to an earlier one.

-- One row per counted key ("user:…", "device:…", "ip:…"): the fixed window the count is in, as epoch
-- milliseconds [window_start, window_end), the attempts in it, and the run of attempts since the last
-- success, which outlives windows. A row whose window ended and whose run is 0 says nothing an absent
-- row does not, so PostgresAttemptLimiter.deleteIdle may delete it at any time.
CREATE TABLE fg_passcode_attempts (
  key          text COLLATE "C" PRIMARY KEY,
  window_start bigint NOT NULL,
  window_end   bigint NOT NULL CHECK (window_end > window_start),
  in_window    bigint NOT NULL CHECK (in_window >= 0),
  consecutive  bigint NOT NULL CHECK (consecutive >= 0)
);

-- What deleteIdle scans: rows by the end of their window.
CREATE INDEX fg_passcode_attempts_window_end ON fg_passcode_attempts (window_end);
