-- One row per backtest sample of an experiment; written by training scripts.
CREATE TABLE IF NOT EXISTS nba_predictions.backtest_predictions (
  experiment_id STRING NOT NULL,
  player_lookup STRING NOT NULL,
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  predicted_points NUMERIC(5, 1),
  line_value NUMERIC(5, 1),
  line_source STRING,
  actual_points INT64,
  recommendation STRING,
  prediction_correct BOOL
)
PARTITION BY game_date
CLUSTER BY experiment_id;
