-- Written by courtside (MERGE on game_date and system_id); system_id and
-- coverage .. cusum_alarm (metrics.md 5b, 11) are courtside's additions. A table
-- made before them gets them with:
--   ALTER TABLE nba_orchestration.performance_diagnostics_daily
--     ADD COLUMN IF NOT EXISTS coverage FLOAT64,
--     ADD COLUMN IF NOT EXISTS missing_dates_7d INT64,
--     ADD COLUMN IF NOT EXISTS cusum_stat FLOAT64,
--     ADD COLUMN IF NOT EXISTS cusum_threshold FLOAT64,
--     ADD COLUMN IF NOT EXISTS cusum_alarm BOOL;
CREATE TABLE IF NOT EXISTS nba_orchestration.performance_diagnostics_daily (
  game_date DATE NOT NULL,
  computed_at TIMESTAMP NOT NULL,
  vegas_mae_tier1 FLOAT64,
  vegas_mae_tier2 FLOAT64,
  vegas_mae_tier3 FLOAT64,
  model_beats_vegas_pct FLOAT64,
  sharpness_score FLOAT64,
  sharpness_status STRING,
  hit_rate_7d FLOAT64,
  hit_rate_14d FLOAT64,
  hit_rate_30d FLOAT64,
  model_mae FLOAT64,
  model_mean_error FLOAT64,
  bias_direction STRING,
  drift_score FLOAT64,
  drift_severity STRING,
  shot_zone_completeness FLOAT64,
  predictions_made INT64,
  predictions_graded INT64,
  feature_quality_avg FLOAT64,
  vegas_mae_baseline FLOAT64,
  hit_rate_baseline FLOAT64,
  sharpness_vs_baseline FLOAT64,
  primary_cause STRING,
  cause_confidence FLOAT64,
  contributing_factors JSON,
  alert_triggered BOOL NOT NULL,
  alert_level STRING NOT NULL,
  alert_message STRING,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP(),
  system_id STRING,
  coverage FLOAT64,
  missing_dates_7d INT64,
  cusum_stat FLOAT64,
  cusum_threshold FLOAT64,
  cusum_alarm BOOL
)
PARTITION BY game_date
CLUSTER BY alert_level, primary_cause;
