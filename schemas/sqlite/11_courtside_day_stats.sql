-- The materialised day stats: each date's per-day sums as the day-stats pass
-- computes them (cells, system days, the data-quality day), kept so that a
-- question about dates whose rows did not change reads these few thousand
-- rows instead of every prediction. Private to courtside: the triggers
-- below note every date whose rows change (whoever writes them), and the
-- next read drops those dates' sums and computes them again.

-- The threshold sets sums are kept for (up to four at once: two configs
-- on one store each keep their own), with the tier lookback each set's
-- player-game changes reach, and when each was last read. `generation`
-- (row 1 of courtside_day_params) grows each time changes are applied.
CREATE TABLE IF NOT EXISTS courtside_day_sets (
  set_id INTEGER PRIMARY KEY,
  params TEXT NOT NULL UNIQUE,
  lookback_days INTEGER NOT NULL,
  used_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS courtside_day_params (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  params TEXT NOT NULL,
  generation INTEGER NOT NULL
);
-- Dates whose rows changed since their sums were kept: 'p' a prediction,
-- 'g' a player-game (its date and the tier lookback after it).
CREATE TABLE IF NOT EXISTS courtside_day_dirty (
  source TEXT NOT NULL,
  game_date TEXT NOT NULL,
  PRIMARY KEY (source, game_date)
) WITHOUT ROWID;
-- The dates whose sums are kept, per set (a date with no rows is kept
-- too: empty).
CREATE TABLE IF NOT EXISTS courtside_day_done (
  set_id INTEGER NOT NULL,
  game_date TEXT NOT NULL,
  PRIMARY KEY (set_id, game_date)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS courtside_day_cells (
  set_id INTEGER NOT NULL,
  game_date TEXT NOT NULL,
  system_id TEXT NOT NULL,
  player_tier TEXT NOT NULL,
  confidence_tier TEXT NOT NULL,
  line_kind TEXT NOT NULL,
  graded_rows INTEGER NOT NULL,
  sum_abs_error REAL NOT NULL,
  sum_signed_error REAL NOT NULL,
  lined_rows INTEGER NOT NULL,
  sum_line_abs_error REAL NOT NULL,
  sum_abs_error_lined REAL NOT NULL,
  beats INTEGER NOT NULL,
  bets INTEGER NOT NULL,
  hits INTEGER NOT NULL,
  PRIMARY KEY (set_id, game_date, system_id, player_tier, confidence_tier, line_kind)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS courtside_day_systems (
  set_id INTEGER NOT NULL,
  game_date TEXT NOT NULL,
  system_id TEXT NOT NULL,
  predictions_made INTEGER NOT NULL,
  voided_rows INTEGER NOT NULL,
  feature_quality_rows INTEGER NOT NULL,
  sum_feature_quality REAL NOT NULL,
  duplicate_rows INTEGER NOT NULL,
  PRIMARY KEY (set_id, game_date, system_id)
) WITHOUT ROWID;
-- Counted rows whose line_source no configured list names, by value.
CREATE TABLE IF NOT EXISTS courtside_day_line_sources (
  set_id INTEGER NOT NULL,
  game_date TEXT NOT NULL,
  system_id TEXT NOT NULL,
  line_source TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  PRIMARY KEY (set_id, game_date, system_id, line_source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS courtside_day_quality (
  set_id INTEGER NOT NULL,
  game_date TEXT NOT NULL,
  player_games INTEGER NOT NULL,
  complete_rows INTEGER NOT NULL,
  rated_rows INTEGER NOT NULL,
  sum_paint_rate REAL NOT NULL,
  sum_three_rate REAL NOT NULL,
  PRIMARY KEY (set_id, game_date)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS courtside_day_dirty_prediction_insert
AFTER INSERT ON prediction_accuracy BEGIN
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('p', CAST(NEW.game_date AS TEXT));
END;
CREATE TRIGGER IF NOT EXISTS courtside_day_dirty_prediction_update
AFTER UPDATE ON prediction_accuracy BEGIN
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('p', CAST(OLD.game_date AS TEXT));
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('p', CAST(NEW.game_date AS TEXT));
END;
CREATE TRIGGER IF NOT EXISTS courtside_day_dirty_prediction_delete
AFTER DELETE ON prediction_accuracy BEGIN
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('p', CAST(OLD.game_date AS TEXT));
END;
CREATE TRIGGER IF NOT EXISTS courtside_day_dirty_player_game_insert
AFTER INSERT ON player_game_summary BEGIN
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('g', CAST(NEW.game_date AS TEXT));
END;
CREATE TRIGGER IF NOT EXISTS courtside_day_dirty_player_game_update
AFTER UPDATE ON player_game_summary BEGIN
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('g', CAST(OLD.game_date AS TEXT));
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('g', CAST(NEW.game_date AS TEXT));
END;
CREATE TRIGGER IF NOT EXISTS courtside_day_dirty_player_game_delete
AFTER DELETE ON player_game_summary BEGIN
  INSERT OR IGNORE INTO courtside_day_dirty VALUES ('g', CAST(OLD.game_date AS TEXT));
END;
