-- courtside_alert_events: the timeline of `watch`, one row per event in the
-- order they happened: a level change and what became of its post
-- (`posting`, `silenced`, `held` by the cooldown, `not_posted` without a
-- webhook), then the post's delivery (`delivered`, `failed`) on its route.
-- silence_id: the silence that held a `silenced` post.
CREATE TABLE IF NOT EXISTS courtside_alert_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  system_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  topic TEXT NOT NULL,
  from_level TEXT,
  to_level TEXT NOT NULL,
  cause TEXT,
  outcome TEXT NOT NULL,
  route TEXT,
  detail TEXT,
  silence_id INTEGER
);
CREATE INDEX IF NOT EXISTS courtside_alert_events_system ON courtside_alert_events (system_id, id);
