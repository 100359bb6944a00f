//! The store handle: opening (and creating) the SQLite file with its schema
//! once it is known to be courtside's (`ownership.rs`), opening it for
//! reading (read-only when courtside may not or cannot write it),
//! connections with the store's settings, and the blocking-pool runner.

use super::ownership::Owner;
use super::read_only::ReadOnlyMode;
use crate::source::schema::SQLITE;
use anyhow::{Context, Result, anyhow};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};
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

/// How a store's connections reach its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// [`EmbeddedStore::open`]: read-write, in write-ahead-log mode.
    Write,
    /// [`EmbeddedStore::open_existing`] of a store courtside may keep its
    /// work in (the day sums): read-write, the journal mode left as it is.
    Read,
    /// Read-only connections (`read_only.rs`): nothing is written.
    ReadOnly(ReadOnlyMode),
}

/// The embedded SQLite store at one path.
#[derive(Debug, Clone)]
pub struct EmbeddedStore {
    path: PathBuf,
    access: Access,
    /// The last day-stats answer and its data version (shared by clones).
    pub(super) warm: super::warm::WarmDayStats,
    /// What reads left out for a missing table (shared by clones).
    pub(super) notes: std::sync::Arc<crate::source::presence::Notes>,
    /// The latest date a row may carry (config `timezone`, `future_days`).
    pub(super) dates: crate::config::DateLimit,
}

impl EmbeddedStore {
    fn at(path: &Path, access: Access) -> EmbeddedStore {
        EmbeddedStore {
            path: path.to_path_buf(),
            access,
            warm: Default::default(),
            notes: Default::default(),
            dates: Default::default(),
        }
    }

    /// Opens (creating when absent) the store at `path` for writing and
    /// applies the schema. A file that is not an SQLite database, another
    /// application's database and a store of a newer schema are refused
    /// before anything is written (`ownership.rs`).
    pub fn open(path: &Path) -> Result<EmbeddedStore> {
        EmbeddedStore::open_waiting(path, &|| {
            tracing::info!("{}: waiting for another writer", path.display())
        })
    }

    /// [`EmbeddedStore::open`] waiting its turn behind another writer (an
    /// import) however long that takes; `on_wait` is called once when it
    /// has to.
    pub fn open_waiting(path: &Path, on_wait: &dyn Fn()) -> Result<EmbeddedStore> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).with_context(|| {
                format!("{}: cannot create the store directory", parent.display())
            })?;
        }
        let store = EmbeddedStore::at(path, Access::Write);
        store
            .apply_schema(on_wait)
            .map_err(|error| store.explained(error))?;
        Ok(store)
    }

    fn apply_schema(&self, on_wait: &dyn Fn()) -> Result<()> {
        let path = &self.path;
        // A file that is not there is new.
        let owner = if path.is_file() {
            Some(whose(path, Purpose::Write)?)
        } else {
            None
        };
        // The one place a store file is created; later connections never do,
        // so a store moved away is an error, not a new empty file.
        let connection = self.connect_with(OpenFlags::SQLITE_OPEN_CREATE)?;
        // A writer waits its turn behind another (an import), however long.
        let transaction = super::write_lock::begin_immediate(&connection, on_wait)?;
        // Day sums kept while the change-noting triggers were missing are dropped.
        let tracked = super::materialized::tracking(&transaction)?;
        // Day sums kept by an earlier format go before the schema applies.
        super::materialized::drop_old_format(&transaction)?;
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
        super::ownership::stamp(&transaction)?;
        if owner == Some(Owner::Contract) {
            tracing::info!(
                "{}: a store of the data contract, now marked courtside's",
                path.display()
            );
        }
        transaction.commit()?;
        Ok(())
    }

    /// Opens a store that must already exist, for commands that only read:
    /// nothing is created, no dropped table comes back (a query of it fails
    /// and says so), and another application's file is refused untouched.
    /// The journal mode is never changed. A store courtside may keep its
    /// work in and can write gets the columns added since it was made and
    /// keeps its day sums; any other (the file is read-only for this user,
    /// its schema is newer, it is empty) is read as by
    /// [`EmbeddedStore::open_read_only`].
    pub fn open_existing(path: &Path) -> Result<EmbeddedStore> {
        let owner = whose_existing(path)?;
        if owner.keeps() && super::read_only::writable(path) {
            let keeping = EmbeddedStore::at(path, Access::Read);
            match keeping.keep_up() {
                Ok(()) => return Ok(keeping),
                // The folder cannot be written (a WAL store's log cannot be
                // made beside it): read-only after all.
                Err(error)
                    if matches!(
                        sqlite_code(&error),
                        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
                    ) =>
                {
                    tracing::info!("{}: read-only ({error:#})", path.display());
                }
                Err(error) => return Err(keeping.explained(error)),
            }
        }
        EmbeddedStore::reading(path, &owner)
    }

    /// Opens a store that must already exist through read-only connections
    /// only, whatever the file's permissions: nothing is ever written to it
    /// (no upkeep, no kept day sums, no journal-mode switch). What
    /// [`EmbeddedStore::open_existing`] does for a store it may not or
    /// cannot write.
    pub fn open_read_only(path: &Path) -> Result<EmbeddedStore> {
        let owner = whose_existing(path)?;
        EmbeddedStore::reading(path, &owner)
    }

    /// A handle reading the store at `path` (known to be one courtside may
    /// read) through read-only connections.
    fn reading(path: &Path, owner: &Owner) -> Result<EmbeddedStore> {
        let (connection, mode) =
            super::read_only::open(path).map_err(|error| unreadable(path, error))?;
        drop(connection);
        let store = EmbeddedStore::at(path, Access::ReadOnly(mode));
        if let Some(note) = owner.read_note() {
            store.notes.push(note);
        }
        Ok(store)
    }

    /// A read open's upkeep of a store it may write: the columns added since
    /// it was made, the day sums' tables and triggers. Best effort past the
    /// first read.
    fn keep_up(&self) -> Result<()> {
        let connection = self.connect()?;
        let path = self.path.display();
        match super::migrate::add_missing_columns(&connection) {
            Ok(added) if !added.is_empty() => {
                tracing::info!("{path}: added columns {}", added.join(", "));
            }
            Ok(_) => {}
            Err(error) => tracing::warn!("{path}: not migrated: {error}"),
        }
        if let Err(error) = super::materialized::install(&connection) {
            tracing::warn!("{path}: day stats not kept: {error}");
        }
        Ok(())
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

    /// Whether this handle writes nothing to the file (opened for reading a
    /// store it may not or cannot write).
    pub fn is_read_only(&self) -> bool {
        matches!(self.access, Access::ReadOnly(_))
    }

    /// Whether this handle was opened for writing ([`EmbeddedStore::open`]).
    pub fn is_writing(&self) -> bool {
        self.access == Access::Write
    }

    /// A new connection with the store's settings to the existing file;
    /// checks that it is SQLite.
    pub fn connect(&self) -> Result<Connection> {
        self.connect_with(OpenFlags::empty())
    }

    fn connect_with(&self, extra: OpenFlags) -> Result<Connection> {
        let path = self.path.display();
        let connection = match self.access {
            Access::ReadOnly(mode) => super::read_only::open_with(&self.path, mode),
            Access::Write | Access::Read => {
                let flags =
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | extra;
                Connection::open_with_flags(&self.path, flags)
            }
        }
        .with_context(|| format!("{path}: cannot open the store"))?;
        connection.busy_timeout(Duration::from_secs(10))?;
        connection
            .query_row("PRAGMA schema_version", [], |row| row.get::<_, i64>(0))
            .map_err(|error| unreadable(&self.path, error))?;
        if self.access == Access::Write {
            if connection.is_readonly("main")? {
                anyhow::bail!(
                    "{path}: the store is read-only for this user (check the permissions of the file and its folder); this command writes, so nothing was written (commands that only read still work)"
                );
            }
            connection.pragma_update(None, "journal_mode", "WAL")?;
        }
        if !self.is_read_only() {
            connection.pragma_update(None, "synchronous", "NORMAL")?;
        }
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
            work(&mut connection).map_err(|error| {
                let errno = super::io_errors::system_errno(&connection);
                store.explained(super::io_errors::explain(error, &store.path, errno))
            })
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
        let error = super::io_errors::explain(error, &self.path, None);
        let path = self.path.display();
        // The explanations below that name the file are added once.
        let named = error.to_string().starts_with(&format!("{path}: "));
        let missing = missing_column(&error)
            .map(|(column, message)| (column.to_string(), message.map(str::to_string)));
        if let Some((column, statement_message)) = missing {
            if named {
                return error;
            }
            let lacking = self
                .connect()
                .ok()
                .and_then(|connection| super::required_columns::lacking(&connection, &column).ok())
                .unwrap_or_default();
            let what = if lacking.is_empty() {
                format!("a column courtside reads is missing ({column})")
            } else {
                format!(
                    "the store lacks {}, a column courtside reads (renamed or dropped?)",
                    lacking.join(" and ")
                )
            };
            return match statement_message {
                // The driver's own text prints the whole statement: its
                // message alone.
                Some(message) => anyhow!("{path}: {what} ({message})"),
                None => error.context(format!("{path}: {what}")),
            };
        }
        match sqlite_code(&error) {
            Some(ErrorCode::ReadOnly) => error.context(format!(
                "{path}: the store is read-only (check the permissions of the file, its -wal and -shm files and its folder); nothing was written"
            )),
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => error.context(format!(
                "{path}: another process held the store for more than 10 s; nothing was written"
            )),
            Some(ErrorCode::CannotOpen) => error.context(format!(
                "{path}: the store cannot be opened (was it moved or deleted?)"
            )),
            Some(ErrorCode::DatabaseCorrupt) if !named => error.context(format!(
                "{path}: database disk image is malformed (the store file is damaged; any change was rolled back): restore it from a backup"
            )),
            Some(ErrorCode::NotADatabase) if !named => error.context(format!(
                "{path}: not an SQLite database (is this the right store file?)"
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
                        return Err(self.explained(error));
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

/// What a command will do with a store whose owner is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Read,
    Write,
}

/// Whose the existing file at `path` is, looked at without leaving anything
/// beside it; refuses what courtside may not do to it for `purpose`
/// (`ownership.rs`).
fn whose(path: &Path, purpose: Purpose) -> Result<Owner> {
    let connection =
        super::read_only::open_untouched(path).map_err(|error| unreadable(path, error))?;
    let owner = super::ownership::survey(&connection, path)?;
    match purpose {
        Purpose::Read => owner.check_read(&connection, path)?,
        Purpose::Write => owner.check_write(path)?,
    }
    Ok(owner)
}

/// [`whose`] for reading a store that must already be there.
fn whose_existing(path: &Path) -> Result<Owner> {
    if !path.is_file() {
        anyhow::bail!(
            "{}: no store here; build the demo with `courtside demo` or load data with `courtside import`",
            path.display()
        );
    }
    whose(path, Purpose::Read)
}

/// The SQLite result code somewhere in `error`'s chain.
fn sqlite_code(error: &anyhow::Error) -> Option<ErrorCode> {
    error.chain().find_map(|cause| match cause.downcast_ref() {
        Some(rusqlite::Error::SqliteFailure(code, _)) => Some(code.code),
        Some(rusqlite::Error::SqlInputError { error, .. }) => Some(error.code),
        _ => None,
    })
}

/// The column of SQLite's "no such column" somewhere in `error`'s chain,
/// and the driver's message when the error came with the statement's text
/// (`SqlInputError`, whose display prints the whole SQL).
fn missing_column(error: &anyhow::Error) -> Option<(&str, Option<&str>)> {
    error.chain().find_map(|cause| match cause.downcast_ref() {
        Some(rusqlite::Error::SqliteFailure(_, Some(message))) => {
            super::required_columns::named_in(message).map(|column| (column, None))
        }
        Some(rusqlite::Error::SqlInputError { msg, .. }) => {
            super::required_columns::named_in(msg).map(|column| (column, Some(msg.as_str())))
        }
        _ => None,
    })
}

/// A first read of the file that failed, in words naming it (the driver's
/// error stays in the chain).
fn unreadable(path: &Path, error: rusqlite::Error) -> anyhow::Error {
    let code = match &error {
        rusqlite::Error::SqliteFailure(code, _) => Some(code.code),
        _ => None,
    };
    let path = path.display();
    let message = match code {
        Some(ErrorCode::NotADatabase) => {
            format!("{path}: not an SQLite database (is this the right store file?)")
        }
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly) => format!(
            "{path}: the store cannot be read: SQLite cannot open its write-ahead log beside it (check the permissions of the file and its folder)"
        ),
        Some(ErrorCode::DatabaseCorrupt) => format!(
            "{path}: database disk image is malformed (the store file is damaged): restore it from a backup"
        ),
        _ => format!("{path}: cannot read the store"),
    };
    anyhow::Error::new(error).context(message)
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
