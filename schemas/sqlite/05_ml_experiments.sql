-- nba_predictions.ml_experiments: the experiment registry.
-- ARRAY, STRUCT and JSON columns hold JSON text.
CREATE TABLE IF NOT EXISTS ml_experiments (
  experiment_id TEXT NOT NULL PRIMARY KEY,
  experiment_name TEXT NOT NULL,
  hypothesis TEXT,
  experiment_type TEXT NOT NULL,
  tags TEXT,
  config_json TEXT NOT NULL,
  train_period TEXT,
  eval_period TEXT,
  results_json TEXT,
  model_path TEXT,
  git_commit TEXT,
  parent_experiment_id TEXT,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  completed_at TEXT,
  created_by TEXT
);
