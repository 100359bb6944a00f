-- The team's slate: the players expected on each game date (read only; optional).
CREATE TABLE IF NOT EXISTS upcoming_player_game_context (
  player_lookup TEXT NOT NULL,
  game_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  team_abbr TEXT,
  opponent_team_abbr TEXT,
  has_prop_line INTEGER,
  current_points_line REAL,
  opening_points_line REAL,
  player_status TEXT,
  is_production_ready INTEGER
);
CREATE INDEX IF NOT EXISTS upcoming_player_game_context_by_date ON upcoming_player_game_context (game_date, player_lookup);
