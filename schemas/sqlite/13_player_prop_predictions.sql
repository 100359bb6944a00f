-- The team's predictions as made, before grading (read only; optional).
-- Several rows per player, game and system as lines move; one is active.
-- Declared partitioned by game_date; the team's table is physically not.
CREATE TABLE IF NOT EXISTS player_prop_predictions (
  prediction_id TEXT NOT NULL,
  system_id TEXT NOT NULL,
  player_lookup TEXT NOT NULL,
  game_date TEXT NOT NULL,
  game_id TEXT,
  predicted_points REAL,
  confidence_score REAL,
  recommendation TEXT,
  current_points_line REAL,
  line_source TEXT,
  is_active INTEGER NOT NULL,
  invalidation_reason TEXT,
  created_at TEXT NOT NULL,
  predicted_at TEXT
);
CREATE INDEX IF NOT EXISTS player_prop_predictions_by_date ON player_prop_predictions (game_date, system_id, player_lookup);
