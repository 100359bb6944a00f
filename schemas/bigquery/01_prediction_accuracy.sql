-- The team's table (read only): the columns courtside reads. The live table has more.
CREATE TABLE IF NOT EXISTS nba_predictions.prediction_accuracy (
  player_lookup STRING NOT NULL,
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  system_id STRING NOT NULL,
  team_abbr STRING,
  opponent_team_abbr STRING,
  predicted_points NUMERIC(5, 1),
  confidence_score NUMERIC(4, 3),
  confidence_decile INT64,
  recommendation STRING,
  line_value NUMERIC(5, 1),
  actual_points INT64,
  minutes_played NUMERIC(5, 1),
  absolute_error NUMERIC(5, 1),
  signed_error NUMERIC(5, 1),
  prediction_correct BOOL,
  predicted_margin NUMERIC(5, 1),
  actual_margin NUMERIC(5, 1),
  within_3_points BOOL,
  within_5_points BOOL,
  has_prop_line BOOL,
  line_source STRING,
  estimated_line_value NUMERIC(5, 1),
  is_actionable BOOL,
  line_bookmaker STRING,
  is_voided BOOL,
  void_reason STRING,
  feature_quality_score FLOAT64,
  is_superseded_prediction BOOL,
  model_version STRING,
  graded_at TIMESTAMP
)
PARTITION BY game_date
CLUSTER BY system_id, player_lookup
OPTIONS (require_partition_filter = TRUE);
