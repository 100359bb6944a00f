//! A full disk, said plainly. SQLite reports one in two ways: SQLITE_FULL
//! ("database or disk is full") when it notices itself, and SQLITE_IOERR
//! ("disk I/O error") when the operating system refuses a write with
//! ENOSPC. Both become one line, "PATH: the disk is full (no space left to
//! write the store); nothing was written", in place of the driver's words
//! (which go to the log).

use rusqlite::{Connection, ErrorCode};
use std::fmt;
use std::path::{Path, PathBuf};

/// A write to the store refused for want of disk space.
#[derive(Debug)]
pub struct DiskFull {
    pub path: PathBuf,
}

impl fmt::Display for DiskFull {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{}: the disk is full (no space left to write the store); nothing was written",
            self.path.display()
        )
    }
}

impl std::error::Error for DiskFull {}

/// The operating system's error number of the connection's last failed
/// file operation (ENOSPC for a full disk), when there is one.
pub fn system_errno(connection: &Connection) -> Option<i32> {
    // SAFETY: the handle is the live connection's; sqlite3_system_errno
    // only reads one field of it, on the thread that owns the connection.
    let errno = unsafe { rusqlite::ffi::sqlite3_system_errno(connection.handle()) };
    (errno != 0).then_some(errno)
}

/// `error` as [`DiskFull`] when it is SQLite's (or the file system's) report
/// of a full disk for the store at `path`; otherwise `error` unchanged.
/// `errno` is [`system_errno`] of the connection that failed, when at hand;
/// without it a "disk I/O error" counts as a full disk when the store's
/// folder has (almost) no space left.
pub fn explain(error: anyhow::Error, path: &Path, errno: Option<i32>) -> anyhow::Error {
    if error.downcast_ref::<DiskFull>().is_some() || !is_disk_full(&error, path, errno) {
        return error;
    }
    tracing::warn!("{}: disk full: {error:#}", path.display());
    anyhow::Error::new(DiskFull {
        path: path.to_path_buf(),
    })
}

/// Whether some cause of `error` says the disk is full.
fn is_disk_full(error: &anyhow::Error, path: &Path, errno: Option<i32>) -> bool {
    error.chain().any(|cause| {
        if let Some(rusqlite::Error::SqliteFailure(failure, message)) = cause.downcast_ref() {
            return match failure.code {
                ErrorCode::DiskFull => true,
                ErrorCode::SystemIoFailure => match errno {
                    Some(errno) => means_no_space(errno),
                    None => no_space_left(path),
                },
                _ => message
                    .as_deref()
                    .is_some_and(|text| text.contains("database or disk is full")),
            };
        }
        cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::raw_os_error)
            .is_some_and(means_no_space)
    })
}

/// Whether an operating-system error number means "no space left".
fn means_no_space(errno: i32) -> bool {
    if cfg!(windows) {
        // ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
        errno == 39 || errno == 112
    } else {
        // ENOSPC on Linux, macOS and the BSDs
        errno == 28
    }
}

/// Below this many free bytes in the store's folder, a write that failed
/// for an unknown reason is taken for a full disk.
const NEARLY_FULL_BYTES: u128 = 1 << 20;

/// Whether the file system holding the store has (almost) no space left
/// for this user.
#[cfg(target_os = "linux")]
fn no_space_left(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let folder = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(name) = std::ffi::CString::new(folder.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: statvfs fills a plain struct; all zeroes is a valid value of it.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `name` is a NUL-terminated path and `stats` a writable struct
    // of the type statvfs expects.
    if unsafe { libc::statvfs(name.as_ptr(), &mut stats) } != 0 {
        return false;
    }
    u128::from(stats.f_bavail) * u128::from(stats.f_frsize) < NEARLY_FULL_BYTES
}

/// Free space is not looked up here: only SQLite's word counts.
#[cfg(not(target_os = "linux"))]
fn no_space_left(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn failure(code: i32, message: &str) -> anyhow::Error {
        anyhow::Error::new(rusqlite::Error::SqliteFailure(
            ffi::Error::new(code),
            Some(message.to_string()),
        ))
    }

    const SAID: &str =
        "/data/s.sqlite: the disk is full (no space left to write the store); nothing was written";

    #[test]
    fn a_full_disk_is_said_plainly_whichever_way_sqlite_reports_it() {
        let path = Path::new("/data/s.sqlite");
        let full = explain(
            failure(ffi::SQLITE_FULL, "database or disk is full"),
            path,
            None,
        );
        assert_eq!(format!("{full:#}"), SAID);
        // Under the import's context of a row, too.
        let in_a_row = failure(ffi::SQLITE_FULL, "database or disk is full")
            .context("pa.csv:12: cannot insert the row");
        assert_eq!(format!("{:#}", explain(in_a_row, path, None)), SAID);
        // The operating system's ENOSPC behind a "disk I/O error".
        if !cfg!(windows) {
            let io = explain(
                failure(ffi::SQLITE_IOERR_WRITE, "disk I/O error"),
                path,
                Some(28),
            );
            assert_eq!(format!("{io:#}"), SAID);
            // Said once, however often explained.
            assert_eq!(format!("{:#}", explain(io, path, Some(28))), SAID);
        }
        assert_eq!(format!("{:#}", explain(full, path, None)), SAID);
    }

    #[test]
    fn other_failures_keep_their_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        // Another I/O error, on a disk with room; a busy store.
        for (code, message, errno) in [
            (ffi::SQLITE_IOERR_WRITE, "disk I/O error", Some(5)),
            (ffi::SQLITE_BUSY, "database is locked", None),
        ] {
            let kept = explain(failure(code, message), &path, errno);
            assert!(kept.downcast_ref::<DiskFull>().is_none(), "{kept:#}");
            assert_eq!(kept.to_string(), message);
        }
        let plain = explain(anyhow::anyhow!("x.csv:3: not a date"), &path, None);
        assert_eq!(format!("{plain:#}"), "x.csv:3: not a date");
    }
}
