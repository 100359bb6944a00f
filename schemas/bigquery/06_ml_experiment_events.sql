-- Append-only audit of every experiment status change (never updated or deleted).
CREATE TABLE IF NOT EXISTS nba_predictions.ml_experiment_events (
  experiment_id STRING NOT NULL,
  `at` TIMESTAMP NOT NULL,
  actor STRING,
  from_status STRING,
  to_status STRING NOT NULL,
  note STRING
)
PARTITION BY DATE(`at`)
CLUSTER BY experiment_id;
