-- backtest_predictions: one row per backtest sample of an experiment.
CREATE TABLE IF NOT EXISTS backtest_predictions (
  experiment_id TEXT NOT NULL,
  player_lookup TEXT NOT NULL,
  game_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  predicted_points REAL,
  line_value REAL,
  line_source TEXT,
  actual_points INTEGER,
  recommendation TEXT,
  prediction_correct INTEGER
);
CREATE INDEX IF NOT EXISTS backtest_predictions_by_experiment ON backtest_predictions (experiment_id, game_date);
