-- courtside_silences: `courtside silence add`. From starts_at until ends_at
-- (or until expired early by `silence expire`), `watch` records the posts of
-- system_id (of one topic and one alert_level, where given) as silenced
-- instead of sending them; when the silence ends and the condition still
-- holds, the post goes out once. author is the actor; comment is required.
CREATE TABLE IF NOT EXISTS courtside_silences (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  system_id TEXT NOT NULL,
  topic TEXT,
  alert_level TEXT,
  starts_at TEXT NOT NULL,
  ends_at TEXT NOT NULL,
  author TEXT NOT NULL,
  comment TEXT NOT NULL,
  expired_at TEXT,
  expired_by TEXT
);
