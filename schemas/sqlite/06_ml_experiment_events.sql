-- ml_experiment_events: append-only audit of every status change.
CREATE TABLE IF NOT EXISTS ml_experiment_events (
  experiment_id TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT
);
CREATE INDEX IF NOT EXISTS ml_experiment_events_by_experiment ON ml_experiment_events (experiment_id, at);
CREATE TRIGGER IF NOT EXISTS ml_experiment_events_no_update
  BEFORE UPDATE ON ml_experiment_events
  BEGIN SELECT RAISE(ABORT, 'ml_experiment_events is append-only'); END;
CREATE TRIGGER IF NOT EXISTS ml_experiment_events_no_delete
  BEFORE DELETE ON ml_experiment_events
  BEGIN SELECT RAISE(ABORT, 'ml_experiment_events is append-only'); END;
