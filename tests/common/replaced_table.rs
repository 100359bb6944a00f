//! Another tool replacing `prediction_accuracy` under a running courtside,
//! as pandas' `to_sql(..., if_exists="replace")` does (DROP, CREATE,
//! INSERT), and a copy of the store no running process has read, for the
//! figures a fresh pass gives.
#![allow(dead_code)]

use std::path::Path;

/// Replaces `prediction_accuracy` in `store` by a plain copy of it (no
/// triggers, no indexes) whose results from `since` on are flipped.
pub fn replace_flipping_results(store: &Path, since: &str) {
    let connection = rusqlite::Connection::open(store).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE replacement AS SELECT * FROM prediction_accuracy;
             DROP TABLE prediction_accuracy;
             CREATE TABLE prediction_accuracy AS SELECT * FROM replacement;
             DROP TABLE replacement;",
        )
        .unwrap();
    connection
        .execute(
            "UPDATE prediction_accuracy SET prediction_correct = 1 - prediction_correct
             WHERE game_date >= ?1",
            [since],
        )
        .unwrap();
}

/// A copy of `store` at `copy`, made with `VACUUM INTO`.
pub fn copy_of(store: &Path, copy: &Path) {
    rusqlite::Connection::open(store)
        .unwrap()
        .execute("VACUUM INTO ?1", [copy.to_str().unwrap()])
        .unwrap();
}
