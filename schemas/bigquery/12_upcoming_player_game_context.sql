-- The team's slate: the players expected on each game date (read only; optional).
CREATE TABLE IF NOT EXISTS nba_analytics.upcoming_player_game_context (
  player_lookup STRING NOT NULL,
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  team_abbr STRING,
  opponent_team_abbr STRING,
  has_prop_line BOOL,
  current_points_line NUMERIC(4, 1),
  opening_points_line NUMERIC(4, 1),
  player_status STRING,
  is_production_ready BOOL
)
PARTITION BY game_date
CLUSTER BY player_lookup;
