//! The store handle: opening (and creating) the SQLite file with its schema,
//! connections with the store's settings, and the blocking-pool runner.

use crate::source::schema::SQLITE;
use anyhow::{Context, Result, anyhow};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Interrupts the connection of a [`EmbeddedStore::blocking`] call whose
/// future is dropped before the work finished.
#[derive(Default)]
struct InterruptOnDrop {
    handle: std::sync::Arc<std::sync::Mutex<Option<rusqlite::InterruptHandle>>>,
    finished: bool,
}

impl Drop for InterruptOnDrop {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if let Ok(slot) = self.handle.lock()
            && let Some(handle) = slot.as_ref()
        {
            handle.interrupt();
        }
    }
}

/// The embedded SQLite store at one path.
#[derive(Debug, Clone)]
pub struct EmbeddedStore {
    path: PathBuf,
    /// The last day-stats answer and its data version (shared by clones).
    pub(super) warm: super::warm::WarmDayStats,
    /// What reads left out for a missing table (shared by clones).
    pub(super) notes: std::sync::Arc<crate::source::presence::Notes>,
    /// The latest date a row may carry (config `timezone`, `future_days`).
    pub(super) dates: crate::config::DateLimit,
}

impl EmbeddedStore {
    /// Opens (creating when absent) the store at `path` and applies the schema.
    /// A file that is not an SQLite database is refused before anything is written.
    pub fn open(path: &Path) -> Result<EmbeddedStore> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("{}: cannot create the store directory", parent.display())
            })?;
        }
        let store = EmbeddedStore {
            path: path.to_path_buf(),
            warm: Default::default(),
            notes: Default::default(),
            dates: Default::default(),
        };
        // The one place a store file is created; later connections never do,
        // so a store moved away is an error, not a new empty file.
        let mut connection = store.connect_with(OpenFlags::SQLITE_OPEN_CREATE)?;
        let transaction = connection.transaction()?;
        // Day sums kept while the change-noting triggers were missing are dropped.
        let tracked = super::materialized::tracking(&transaction)?;
        // Columns first: the DDL's indexes name columns (`system_id`) that a
        // table made elsewhere (the team's own) may not have yet.
        let mut added = super::migrate::add_missing_columns(&transaction)
            .with_context(|| format!("{}: migrating the store", path.display()))?;
        for (file, sql) in SQLITE {
            transaction
                .execute_batch(sql)
                .with_context(|| format!("{}: applying schemas/sqlite/{file}", path.display()))?;
        }
        added.extend(
            super::migrate::add_missing_columns(&transaction)
                .with_context(|| format!("{}: migrating the store", path.display()))?,
        );
        if !added.is_empty() {
            tracing::info!("{}: added columns {}", path.display(), added.join(", "));
        }
        if !tracked {
            super::materialized::forget(&transaction)?;
        }
        transaction.commit()?;
        Ok(store)
    }

    /// Opens a store that must already exist, for commands that only read:
    /// nothing is created, no dropped table comes back (a query of it fails
    /// and says so). Columns added since the store was made are added when
    /// the file is writable.
    pub fn open_existing(path: &Path) -> Result<EmbeddedStore> {
        if !path.is_file() {
            anyhow::bail!(
                "{}: no store here; build the demo with `courtside demo` or load data with `courtside import`",
                path.display()
            );
        }
        let store = EmbeddedStore {
            path: path.to_path_buf(),
            warm: Default::default(),
            notes: Default::default(),
            dates: Default::default(),
        };
        let connection = store.connect()?;
        match super::migrate::add_missing_columns(&connection) {
            Ok(added) if !added.is_empty() => {
                tracing::info!("{}: added columns {}", path.display(), added.join(", "));
            }
            Ok(_) => {}
            Err(error) => tracing::warn!("{}: not migrated: {error}", path.display()),
        }
        if let Err(error) = super::materialized::install(&connection) {
            tracing::warn!("{}: day stats not kept: {error}", path.display());
        }
        Ok(store)
    }

    /// The store reading rows dated up to `dates` (the config's
    /// `timezone` and `future_days`; the defaults otherwise).
    pub fn with_date_limit(mut self, dates: crate::config::DateLimit) -> EmbeddedStore {
        self.dates = dates;
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new connection with the store's settings to the existing file;
    /// checks that it is SQLite.
    pub fn connect(&self) -> Result<Connection> {
        self.connect_with(OpenFlags::empty())
    }

    fn connect_with(&self, extra: OpenFlags) -> Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
        let connection = Connection::open_with_flags(&self.path, flags)
            .with_context(|| format!("{}: cannot open the store", self.path.display()))?;
        connection.busy_timeout(Duration::from_secs(10))?;
        connection
            .query_row("PRAGMA schema_version", [], |row| row.get::<_, i64>(0))
            .map_err(|error| match error {
                rusqlite::Error::SqliteFailure(code, _)
                    if code.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    anyhow!(
                        "{}: not an SQLite database (is this the right store file?)",
                        self.path.display()
                    )
                }
                rusqlite::Error::SqliteFailure(code, _)
                    if code.code == rusqlite::ErrorCode::ReadOnly =>
                {
                    anyhow!(
                        "{}: the store is read-only for this user; even reading needs write access to the file and its folder (its write-ahead log lives beside it): check their permissions",
                        self.path.display()
                    )
                }
                other => anyhow!("{}: cannot read the store: {other}", self.path.display()),
            })?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        // No memory map (mmap_size stays 0), on purpose: measured on a
        // 750k-row store it saved no time (the passes are CPU-bound once the
        // covering index halves the pages read) and raised RSS from 27 MB
        // to 217 MB, the mapped file's pages counting as the process's.
        Ok(connection)
    }

    /// Runs `work` with a fresh connection on the blocking thread pool. When
    /// the caller stops waiting (a superseded dashboard fetch is aborted,
    /// a timeout fires) the connection is interrupted, so the SQLite work
    /// stops at its next step instead of running to the end unseen.
    pub(super) async fn blocking<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let store = self.clone();
        let mut guard = InterruptOnDrop::default();
        let handle = guard.handle.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let mut connection = store.connect()?;
            if let Ok(mut slot) = handle.lock() {
                *slot = Some(connection.get_interrupt_handle());
            }
            work(&mut connection).map_err(|error| store.explained(error))
        })
        .await;
        guard.finished = true;
        outcome.map_err(|error| anyhow!("store task failed: {error}"))?
    }

    /// The store's path and what to do, on the SQLite failures whose driver
    /// text names neither ("attempt to write a readonly database").
    pub fn explained(&self, error: anyhow::Error) -> anyhow::Error {
        // A stored row that does not decode is named once, without the
        // driver's wrapper repeating it.
        if let Some(rusqlite::Error::ToSqlConversionFailure(inner)) = error.downcast_ref()
            && let Some(named) = inner.downcast_ref::<super::rows::StoredRowError>()
        {
            return anyhow!("{named}");
        }
        let code = error.chain().find_map(|cause| match cause.downcast_ref() {
            Some(rusqlite::Error::SqliteFailure(code, _)) => Some(code.code),
            _ => None,
        });
        let path = self.path.display();
        match code {
            Some(rusqlite::ErrorCode::ReadOnly) => error.context(format!(
                "{path}: the store is read-only (check the permissions of the file and its folder); nothing was written"
            )),
            Some(rusqlite::ErrorCode::DiskFull) => error.context(format!(
                "{path}: the disk is full; the change was rolled back and nothing was written"
            )),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => error
                .context(format!(
                    "{path}: another process held the store for more than 10 s; nothing was written"
                )),
            Some(rusqlite::ErrorCode::CannotOpen) => error.context(format!(
                "{path}: the store cannot be opened (was it moved or deleted?)"
            )),
            _ => error,
        }
    }

    /// True when no table of the contract has a row (a store holding only
    /// imported experiments, say, is not empty and never gets the demo).
    pub fn is_empty(&self) -> Result<bool> {
        let connection = self.connect()?;
        for table in crate::source::tables::TableKind::ALL {
            let sql = format!("SELECT 1 FROM {} LIMIT 1", table.name());
            let any: Option<i64> = match connection.query_row(&sql, [], |row| row.get(0)).optional()
            {
                Ok(any) => any,
                Err(error) => {
                    // A table the store does not have (the team's own
                    // store, before `setup`) holds nothing.
                    let error = anyhow::Error::from(error);
                    if crate::source::presence::is_missing(&error) {
                        None
                    } else {
                        return Err(error);
                    }
                }
            };
            if any.is_some() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// A value of `courtside_meta`.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        let connection = self.connect()?;
        Ok(connection
            .query_row(
                "SELECT value FROM courtside_meta WHERE key = ?1",
                [key],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.meta("demo").ok().flatten().as_deref(), Some("true"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn work_whose_caller_stops_waiting_is_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("s.sqlite")).unwrap();
        let (ended, ended_at) = std::sync::mpsc::channel();
        let abandoned = tokio::time::timeout(
            Duration::from_millis(200),
            store.blocking(move |connection| {
                // Counts to a billion: minutes, unless interrupted.
                let outcome: rusqlite::Result<i64> = connection.query_row(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)
                     SELECT COUNT(*) FROM n",
                    [],
                    |row| row.get(0),
                );
                let _ = ended.send(outcome.is_err());
                Ok(())
            }),
        )
        .await;
        assert!(abandoned.is_err(), "the timeout fired");
        let interrupted = ended_at
            .recv_timeout(Duration::from_secs(10))
            .expect("the work ended soon after its caller stopped waiting");
        assert!(interrupted, "it ended by interruption, not by finishing");
    }

    #[test]
    fn the_day_stats_pass_reads_the_covering_index_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("s.sqlite")).unwrap();
        let connection = store.connect().unwrap();
        let plan = |sql: &str| -> String {
            let mut statement = connection
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            // Unbound parameters read as NULL: the plan needs no values.
            let mut rows = statement.raw_query();
            let mut steps = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                steps.push(row.get::<_, String>(3).unwrap());
            }
            steps.join(" | ")
        };
        let rows_sql = super::super::stored_rows::ROWS_SQL
            .replace("{scan}", "INDEXED BY prediction_accuracy_day_pass")
            .replace("{dates}", "game_date BETWEEN :from AND :to");
        let predictions = plan(&rows_sql);
        assert!(
            predictions.contains("USING COVERING INDEX prediction_accuracy_day_pass"),
            "{predictions}"
        );
        let games = plan(super::super::stored_rows::PLAYER_GAMES_SQL);
        assert!(
            games.contains("USING COVERING INDEX player_game_summary_day_stats"),
            "{games}"
        );
        // The covering indexes replace their prefixes.
        let old: i64 = connection
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name IN
                 ('prediction_accuracy_by_date', 'player_game_summary_by_date')",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(old, 0);
    }
}
