-- The books' player-points line snapshots (read only; optional).
CREATE TABLE IF NOT EXISTS nba_raw.odds_api_player_points_props (
  player_lookup STRING NOT NULL,
  game_date DATE NOT NULL,
  bookmaker STRING NOT NULL,
  snapshot_timestamp TIMESTAMP NOT NULL,
  game_id STRING,
  game_start_time TIMESTAMP,
  minutes_before_tipoff INT64,
  points_line FLOAT64 NOT NULL,
  over_price FLOAT64,
  under_price FLOAT64,
  over_price_american INT64,
  under_price_american INT64
)
PARTITION BY game_date
CLUSTER BY player_lookup, game_date, bookmaker;
