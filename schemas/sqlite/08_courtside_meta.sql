-- courtside_meta: facts about the store itself. Its presence marks the file
-- as courtside's; schema_version is the schema it holds (a newer one is never
-- written by an older courtside), created_by_version the courtside that first
-- wrote it; then the demo flag and seed.
CREATE TABLE IF NOT EXISTS courtside_meta (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT
);
