-- courtside_meta: facts about the store itself (demo flag, seed, schema version).
CREATE TABLE IF NOT EXISTS courtside_meta (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT
);
