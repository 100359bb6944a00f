-- courtside_alert_posts: what `watch` posted, so a restart never posts the
-- same system, day and level twice.
CREATE TABLE IF NOT EXISTS courtside_alert_posts (
  system_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  alert_level TEXT NOT NULL,
  posted_at TEXT NOT NULL,
  PRIMARY KEY (system_id, game_date, alert_level)
);
