-- The team's table (read only).
CREATE TABLE IF NOT EXISTS nba_predictions.ml_feature_store_v2 (
  player_lookup STRING NOT NULL,
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  has_vegas_line BOOL,
  feature_quality_score NUMERIC(5, 2),
  feature_version STRING
)
PARTITION BY game_date;
