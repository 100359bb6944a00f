-- courtside_alert_outbox: posts `watch` queued and has not delivered yet, in
-- queue order. A post leaves it when delivered (then it is in
-- courtside_alert_posts) or when it is abandoned after its retries; what is
-- left at exit is sent first at the next start. `sending_since`: when a run
-- began sending it (a post left with it set was interrupted mid-send, by a
-- SIGKILL, and is sent again once, marked as a possible repeat: `resent`).
CREATE TABLE IF NOT EXISTS courtside_alert_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  system_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  alert_level TEXT NOT NULL,
  payload TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  sending_since TEXT,
  resent INTEGER
);
