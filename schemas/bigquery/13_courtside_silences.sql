-- courtside's silences (`courtside silence add|list|expire`), shared by
-- everyone who watches this warehouse: from starts_at until ends_at (or
-- until expired early), `watch` records the posts of system_id (of one
-- topic and one alert_level, where given) as silenced instead of sending
-- them. author is the actor; comment is required. A small table, not
-- partitioned: every read takes it whole. id is one more than the largest
-- at insert time.
CREATE TABLE IF NOT EXISTS nba_orchestration.courtside_silences (
  id INT64 NOT NULL,
  system_id STRING NOT NULL,
  topic STRING,
  alert_level STRING,
  starts_at TIMESTAMP NOT NULL,
  ends_at TIMESTAMP NOT NULL,
  author STRING NOT NULL,
  comment STRING NOT NULL,
  expired_at TIMESTAMP,
  expired_by STRING
);
