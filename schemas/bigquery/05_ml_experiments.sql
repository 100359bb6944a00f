-- The experiment registry.
CREATE TABLE IF NOT EXISTS nba_predictions.ml_experiments (
  experiment_id STRING NOT NULL,
  experiment_name STRING NOT NULL,
  hypothesis STRING,
  experiment_type STRING NOT NULL,
  tags ARRAY<STRING>,
  config_json JSON NOT NULL,
  train_period STRUCT<start_date DATE, end_date DATE, samples INT64>,
  eval_period STRUCT<start_date DATE, end_date DATE, samples INT64>,
  results_json JSON,
  model_path STRING,
  git_commit STRING,
  parent_experiment_id STRING,
  status STRING NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP(),
  completed_at TIMESTAMP,
  created_by STRING
)
PARTITION BY DATE(created_at);
