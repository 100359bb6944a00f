-- nba_orchestration.performance_diagnostics_daily: one row per game_date and system.
-- Old rows have no system_id (read as the configured production system).
-- coverage .. cusum_alarm (metrics.md 5b, 11) are added to older stores on open.
CREATE TABLE IF NOT EXISTS performance_diagnostics_daily (
  game_date TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  vegas_mae_tier1 REAL,
  vegas_mae_tier2 REAL,
  vegas_mae_tier3 REAL,
  model_beats_vegas_pct REAL,
  sharpness_score REAL,
  sharpness_status TEXT,
  hit_rate_7d REAL,
  hit_rate_14d REAL,
  hit_rate_30d REAL,
  model_mae REAL,
  model_mean_error REAL,
  bias_direction TEXT,
  drift_score REAL,
  drift_severity TEXT,
  shot_zone_completeness REAL,
  predictions_made INTEGER,
  predictions_graded INTEGER,
  feature_quality_avg REAL,
  vegas_mae_baseline REAL,
  hit_rate_baseline REAL,
  sharpness_vs_baseline REAL,
  primary_cause TEXT,
  cause_confidence REAL,
  contributing_factors TEXT,
  alert_triggered INTEGER NOT NULL,
  alert_level TEXT NOT NULL,
  alert_message TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  system_id TEXT,
  coverage REAL,
  missing_dates_7d INTEGER,
  cusum_stat REAL,
  cusum_threshold REAL,
  cusum_alarm INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS performance_diagnostics_daily_key
  ON performance_diagnostics_daily (game_date, COALESCE(system_id, ''));
