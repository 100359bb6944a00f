-- The team's table (read only).
CREATE TABLE IF NOT EXISTS nba_analytics.player_game_summary (
  player_lookup STRING NOT NULL,
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  team_abbr STRING,
  points INT64,
  minutes_played NUMERIC(5, 1),
  paint_attempts INT64,
  mid_range_attempts INT64,
  three_attempts_pbp INT64,
  has_complete_shot_zones BOOL
)
PARTITION BY game_date
CLUSTER BY player_lookup;
