-- The team's schedule (read only; optional): tip-off and status of each game.
CREATE TABLE IF NOT EXISTS nbac_schedule (
  game_id TEXT NOT NULL,
  game_date TEXT NOT NULL,
  game_date_est TEXT,
  game_status INTEGER,
  home_team_tricode TEXT,
  away_team_tricode TEXT
);
CREATE INDEX IF NOT EXISTS nbac_schedule_by_date ON nbac_schedule (game_date);
