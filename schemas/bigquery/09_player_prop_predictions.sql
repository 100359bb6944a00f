-- The team's predictions as made, before grading (read only; optional).
-- Several rows per player, game and system as lines move; one is active.
-- Declared partitioned by game_date; the team's table is physically not.
CREATE TABLE IF NOT EXISTS nba_predictions.player_prop_predictions (
  prediction_id STRING NOT NULL,
  system_id STRING NOT NULL,
  player_lookup STRING NOT NULL,
  game_date DATE NOT NULL,
  game_id STRING,
  predicted_points NUMERIC(5, 1),
  confidence_score NUMERIC(5, 2),
  recommendation STRING,
  current_points_line NUMERIC(4, 1),
  line_source STRING,
  is_active BOOL NOT NULL,
  invalidation_reason STRING,
  created_at TIMESTAMP NOT NULL,
  predicted_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY system_id, player_lookup;
