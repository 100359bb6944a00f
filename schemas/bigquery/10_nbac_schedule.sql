-- The team's schedule (read only; optional): tip-off and status of each game.
CREATE TABLE IF NOT EXISTS nba_raw.nbac_schedule (
  game_id STRING NOT NULL,
  game_date DATE NOT NULL,
  game_date_est TIMESTAMP,
  game_status INT64,
  home_team_tricode STRING,
  away_team_tricode STRING
)
PARTITION BY game_date
CLUSTER BY game_date;
