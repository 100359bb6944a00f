-- nba_predictions.prediction_accuracy: one graded prediction per row.
CREATE TABLE IF NOT EXISTS prediction_accuracy (
  player_lookup TEXT NOT NULL,
  game_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  system_id TEXT NOT NULL,
  team_abbr TEXT,
  opponent_team_abbr TEXT,
  predicted_points REAL,
  confidence_score REAL,
  confidence_decile INTEGER,
  recommendation TEXT,
  line_value REAL,
  actual_points INTEGER,
  minutes_played REAL,
  absolute_error REAL,
  signed_error REAL,
  prediction_correct INTEGER,
  predicted_margin REAL,
  actual_margin REAL,
  within_3_points INTEGER,
  within_5_points INTEGER,
  has_prop_line INTEGER,
  line_source TEXT,
  estimated_line_value REAL,
  is_actionable INTEGER,
  line_bookmaker TEXT,
  is_voided INTEGER,
  void_reason TEXT,
  feature_quality_score REAL,
  is_superseded_prediction INTEGER,
  model_version TEXT,
  graded_at TEXT
);
-- The day stats read exactly these columns in (game_date, system_id,
-- player_lookup, game_id) order: a covering index makes that read independent
-- of the rows' physical order (an import of unordered export shards) and only
-- as big as those columns, and puts the rows of one bet (a player's game for
-- a system, which the team's grader may have kept once per line value) next
-- to each other, so the pass keeps one of them without sorting.
CREATE INDEX IF NOT EXISTS prediction_accuracy_day_pass ON prediction_accuracy (
  game_date, system_id, player_lookup, game_id, is_superseded_prediction, graded_at,
  line_value, predicted_points, actual_points, line_source, has_prop_line,
  confidence_decile, recommendation, prediction_correct, is_voided, feature_quality_score);
-- The older covering index (without the bet's key) and its prefix.
DROP INDEX IF EXISTS prediction_accuracy_day_stats;
DROP INDEX IF EXISTS prediction_accuracy_by_date;
CREATE INDEX IF NOT EXISTS prediction_accuracy_by_system ON prediction_accuracy (system_id, game_date);
