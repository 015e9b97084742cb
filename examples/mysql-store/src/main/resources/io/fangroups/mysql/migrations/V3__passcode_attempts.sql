-- The table of MySqlAttemptLimiter, so every application server counts passcode attempts in one place.

-- One row per counted key ("user:…", "device:…", "ip:…"): the fixed window the count is in, as epoch
-- milliseconds [window_start, window_end), the attempts in it, and the run of attempts since the last
-- success, which outlives windows. A row whose window ended and whose run is 0 says nothing an absent
-- row does not, so MySqlAttemptLimiter.deleteIdle may delete it at any time.
CREATE TABLE IF NOT EXISTS fg_passcode_attempts (
  name         VARBINARY(768) NOT NULL PRIMARY KEY /*T![clustered_index] CLUSTERED */,
  window_start BIGINT NOT NULL,
  window_end   BIGINT NOT NULL,
  in_window    BIGINT NOT NULL CHECK (in_window >= 0),
  consecutive  BIGINT NOT NULL CHECK (consecutive >= 0),
  CHECK (window_end > window_start),
  INDEX fg_passcode_attempts_window_end (window_end)
) ENGINE = InnoDB DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
