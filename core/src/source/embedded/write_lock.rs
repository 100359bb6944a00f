//! Taking the store's write lock for an import. A store connection waits at
//! most its busy timeout (10 s) for a lock and then fails with "database is
//! locked", which suits reads; an import instead waits its turn behind
//! another writer for as long as that one takes, says once that it waits,
//! and never fails merely because the lock is held.

use rusqlite::{Connection, ErrorCode, Transaction, TransactionBehavior};
use std::time::Duration;

/// The busy timeout of the store's connections, put back once the lock is held.
const USUAL_WAIT: Duration = Duration::from_secs(10);

/// A wait this short for the lock goes unmentioned.
const QUIET_WAIT: Duration = Duration::from_secs(1);

/// How long one attempt waits for the lock before trying again, silently.
const ATTEMPT_WAIT: Duration = Duration::from_secs(60);

/// An IMMEDIATE transaction on `connection`, once no other writer holds the
/// lock. `on_wait` is called once, when the lock is not free within a
/// second. Any failure but a busy store is returned at once.
pub fn begin_immediate<'c>(
    connection: &'c Connection,
    on_wait: &dyn Fn(),
) -> rusqlite::Result<Transaction<'c>> {
    connection.busy_timeout(QUIET_WAIT)?;
    let mut waiting = false;
    let transaction = loop {
        match Transaction::new_unchecked(connection, TransactionBehavior::Immediate) {
            Ok(transaction) => break transaction,
            Err(error) if is_busy(&error) => {
                if !waiting {
                    waiting = true;
                    on_wait();
                    connection.busy_timeout(ATTEMPT_WAIT)?;
                }
            }
            Err(error) => return Err(error),
        }
    };
    connection.busy_timeout(USUAL_WAIT)?;
    Ok(transaction)
}

/// Whether `error` is another connection holding the lock.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, _) if failure.code == ErrorCode::DatabaseBusy
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;
    use std::time::Instant;

    #[test]
    fn a_writer_waits_past_the_busy_timeout_for_the_lock_and_says_so_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite");
        let setup = Connection::open(&path).unwrap();
        setup
            .execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER);")
            .unwrap();
        let (locked, lock_held) = std::sync::mpsc::channel();
        let holder = {
            let path = path.clone();
            std::thread::spawn(move || {
                let connection = Connection::open(&path).unwrap();
                connection
                    .execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
                    .unwrap();
                locked.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(2500));
                connection.execute_batch("COMMIT").unwrap();
            })
        };
        lock_held.recv().unwrap();
        let waits = Cell::new(0);
        let started = Instant::now();
        let transaction = begin_immediate(&setup, &|| waits.set(waits.get() + 1)).unwrap();
        assert!(started.elapsed() >= Duration::from_secs(2));
        assert_eq!(waits.get(), 1, "said once");
        transaction.execute("INSERT INTO t VALUES (2)", []).unwrap();
        transaction.commit().unwrap();
        holder.join().unwrap();
        let rows: i64 = setup
            .query_row("SELECT COUNT(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 2);
    }

    #[test]
    fn a_free_lock_is_taken_without_a_word() {
        let dir = tempfile::tempdir().unwrap();
        let connection = Connection::open(dir.path().join("s.sqlite")).unwrap();
        let waits = Cell::new(0);
        let transaction = begin_immediate(&connection, &|| waits.set(waits.get() + 1)).unwrap();
        transaction.commit().unwrap();
        assert_eq!(waits.get(), 0);
    }
}
