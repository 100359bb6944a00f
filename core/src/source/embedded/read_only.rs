//! Read-only connections to a store file (`SQLITE_OPEN_READONLY`): nothing a
//! read does through them can change the file, neither its journal mode nor
//! its tables. Used to decide whose a file is before anything else opens it
//! (`ownership.rs`), and for every read of a store courtside may not or
//! cannot write (someone made it read-only, its schema is newer, it is
//! empty).
//!
//! A database in write-ahead-log mode is read through its `-wal` and `-shm`
//! files, which SQLite creates beside it when they are missing, even for a
//! read-only connection (which then cannot remove them). So the first look
//! at a file ([`open_untouched`]) reads a WAL database that has no `-wal`
//! as immutable (`?immutable=1`, no locks): without that log the file holds
//! everything committed, and nothing is left beside another application's
//! file. Reads of a store use the log as any reader does; in a folder that
//! cannot be written and without the log files SQLite cannot open it
//! ("unable to open database file"), and when there is no `-wal` either it
//! is read as immutable too. A `-wal` without its `-shm` in such a folder
//! stays an error: its content could not be read safely.

use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How a read-only connection reaches the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnlyMode {
    /// `SQLITE_OPEN_READONLY`, with the usual locks.
    Shared,
    /// The file alone, without locks: a WAL store that cannot get its
    /// `-shm` and has no `-wal`.
    Immutable,
}

/// A read-only connection to `path`, its schema read once (so that a file
/// that is not SQLite fails here), and how it was opened.
pub fn open(path: &Path) -> rusqlite::Result<(Connection, ReadOnlyMode)> {
    let connection = open_with(path, ReadOnlyMode::Shared)?;
    match first_read(&connection) {
        Ok(()) => Ok((connection, ReadOnlyMode::Shared)),
        Err(error) if cannot_open(&error) && !wal_file(path).exists() => {
            drop(connection);
            let connection = open_with(path, ReadOnlyMode::Immutable)?;
            first_read(&connection)?;
            tracing::info!(
                "{}: read as immutable (a WAL store whose folder cannot be written)",
                path.display()
            );
            Ok((connection, ReadOnlyMode::Immutable))
        }
        Err(error) => Err(error),
    }
}

/// A read-only connection for a first look at `path` that leaves nothing
/// beside it: a WAL database without its `-wal` is read as immutable, any
/// other file as by [`open`].
pub fn open_untouched(path: &Path) -> rusqlite::Result<Connection> {
    if in_wal_mode(path) && !wal_file(path).exists() {
        let connection = open_with(path, ReadOnlyMode::Immutable)?;
        first_read(&connection)?;
        return Ok(connection);
    }
    open(path).map(|(connection, _)| connection)
}

/// Whether `path` is an SQLite database in write-ahead-log mode (its
/// header's read and write versions are 2).
fn in_wal_mode(path: &Path) -> bool {
    let mut header = [0u8; 20];
    std::fs::File::open(path)
        .and_then(|mut file| file.read_exact(&mut header))
        .is_ok()
        && header.starts_with(b"SQLite format 3\0")
        && header[18] == 2
        && header[19] == 2
}

/// A read-only connection to `path` opened as `mode` (nothing read yet).
pub fn open_with(path: &Path, mode: ReadOnlyMode) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    match mode {
        ReadOnlyMode::Shared => Connection::open_with_flags(path, flags),
        ReadOnlyMode::Immutable => {
            let uri = immutable_uri(path)
                .ok_or_else(|| rusqlite::Error::InvalidPath(path.to_path_buf()))?;
            Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
        }
    }
}

/// Whether this process may write the file at `path` (SQLite opens a file
/// it may not write read-only, and says so). Opening writes nothing.
pub fn writable(path: &Path) -> bool {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags)
        .and_then(|connection| connection.is_readonly("main"))
        .is_ok_and(|read_only| !read_only)
}

/// Reads the schema version: the first read opens the file for real.
fn first_read(connection: &Connection) -> rusqlite::Result<()> {
    connection
        .query_row("PRAGMA schema_version", [], |row| row.get::<_, i64>(0))
        .map(|_| ())
}

/// SQLite could not open what it needs beside the file (its log or the
/// log's index), or only read-only where it needed more.
fn cannot_open(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(code, _)
            if matches!(code.code, ErrorCode::CannotOpen | ErrorCode::ReadOnly)
    )
}

/// The write-ahead log beside `path`.
pub fn wal_file(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// `file:` URI of `path` with `immutable=1`; `None` for a path that is not
/// UTF-8.
fn immutable_uri(path: &Path) -> Option<String> {
    let text = path.to_str()?;
    let mut uri = String::from(if text.starts_with('/') {
        // An empty authority: `file:///abs` (a path starting `//` stays a path).
        "file://"
    } else {
        "file:"
    });
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(char::from(byte));
            }
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri.push_str("?immutable=1");
    Some(uri)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_immutable_uri_escapes_what_a_uri_would_read_otherwise() {
        assert_eq!(
            immutable_uri(Path::new("/data/my store?#%.sqlite")).as_deref(),
            Some("file:///data/my%20store%3F%23%25.sqlite?immutable=1")
        );
        assert_eq!(
            immutable_uri(Path::new("s.sqlite")).as_deref(),
            Some("file:s.sqlite?immutable=1")
        );
    }

    #[test]
    fn a_read_only_connection_writes_nothing_to_a_fresh_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty.sqlite");
        std::fs::write(&path, b"").unwrap();
        let (connection, mode) = open(&path).unwrap();
        assert_eq!(mode, ReadOnlyMode::Shared);
        assert!(connection.is_readonly("main").unwrap());
        assert!(connection.execute_batch("CREATE TABLE t (x)").is_err());
        drop(connection);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        assert!(!wal_file(&path).exists());
    }

    #[test]
    fn a_first_look_at_a_wal_database_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("theirs.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE notes (body);")
            .unwrap();
        drop(writer);
        assert!(in_wal_mode(&path));
        let before = std::fs::read(&path).unwrap();
        let connection = open_untouched(&path).unwrap();
        let tables: i64 = connection
            .query_row("SELECT COUNT(*) FROM sqlite_master", [], |row| row.get(0))
            .unwrap();
        assert_eq!(tables, 1);
        drop(connection);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        let mut shm = path.as_os_str().to_owned();
        shm.push("-shm");
        assert!(!wal_file(&path).exists() && !PathBuf::from(shm).exists());
    }

    #[test]
    fn an_immutable_connection_reads_a_wal_store() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wal.sqlite");
        let writer = Connection::open(&path).unwrap();
        writer
            .execute_batch(
                "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
            )
            .unwrap();
        drop(writer);
        assert!(!wal_file(&path).exists(), "checkpointed on close");
        let connection = open_with(&path, ReadOnlyMode::Immutable).unwrap();
        let count: i64 = connection
            .query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(count, 1);
    }
}
