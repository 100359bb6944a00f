-- nba_analytics.player_game_summary: one player-game per row.
CREATE TABLE IF NOT EXISTS player_game_summary (
  player_lookup TEXT NOT NULL,
  game_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  team_abbr TEXT,
  points INTEGER,
  minutes_played REAL,
  paint_attempts INTEGER,
  mid_range_attempts INTEGER,
  three_attempts_pbp INTEGER,
  has_complete_shot_zones INTEGER
);
-- Covers the prior-90-day scoring average behind player tiers.
CREATE INDEX IF NOT EXISTS player_game_summary_by_player
  ON player_game_summary (player_lookup, game_date, minutes_played, points);
-- The columns the day stats read, in date order (see prediction_accuracy_day_pass).
CREATE INDEX IF NOT EXISTS player_game_summary_day_stats ON player_game_summary (
  game_date, player_lookup, points, minutes_played, has_complete_shot_zones,
  paint_attempts, mid_range_attempts, three_attempts_pbp);
DROP INDEX IF EXISTS player_game_summary_by_date;
