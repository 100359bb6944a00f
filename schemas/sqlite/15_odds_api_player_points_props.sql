-- The books' player-points line snapshots (read only; optional).
CREATE TABLE IF NOT EXISTS odds_api_player_points_props (
  player_lookup TEXT NOT NULL,
  game_date TEXT NOT NULL,
  bookmaker TEXT NOT NULL,
  snapshot_timestamp TEXT NOT NULL,
  game_id TEXT,
  game_start_time TEXT,
  minutes_before_tipoff INTEGER,
  points_line REAL NOT NULL,
  over_price REAL,
  under_price REAL,
  over_price_american INTEGER,
  under_price_american INTEGER
);
CREATE INDEX IF NOT EXISTS odds_api_player_points_props_by_date ON odds_api_player_points_props (game_date, player_lookup, bookmaker, snapshot_timestamp);
