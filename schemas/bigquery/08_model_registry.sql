-- The team's model registry (read only; no DDL in their repository: the
-- columns of the code that writes it). Optional.
CREATE TABLE IF NOT EXISTS nba_predictions.model_registry (
  model_id STRING NOT NULL,
  model_version STRING,
  model_type STRING,
  model_family STRING,
  status STRING,
  is_production BOOL,
  enabled BOOL,
  evaluation_hit_rate FLOAT64,
  training_start_date DATE,
  training_end_date DATE,
  experiment_id STRING,
  git_commit STRING,
  created_at TIMESTAMP,
  created_by STRING,
  notes STRING
);
