-- The team's model registry (read only; no DDL in their repository: the
-- columns of the code that writes it). Optional.
CREATE TABLE IF NOT EXISTS model_registry (
  model_id TEXT NOT NULL,
  model_version TEXT,
  model_type TEXT,
  model_family TEXT,
  status TEXT,
  is_production INTEGER,
  enabled INTEGER,
  evaluation_hit_rate REAL,
  training_start_date TEXT,
  training_end_date TEXT,
  experiment_id TEXT,
  git_commit TEXT,
  created_at TEXT,
  created_by TEXT,
  notes TEXT
);
