-- nba_predictions.ml_feature_store_v2: one feature row per player-game.
CREATE TABLE IF NOT EXISTS ml_feature_store_v2 (
  player_lookup TEXT NOT NULL,
  game_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  has_vegas_line INTEGER,
  feature_quality_score REAL,
  feature_version TEXT
);
CREATE INDEX IF NOT EXISTS ml_feature_store_v2_by_date ON ml_feature_store_v2 (game_date);
