//! A write's last check before its commit. SQLite reads only the pages a
//! statement passes through, so rows can go into a table one of whose index
//! pages is damaged without a word (measured: `import` into such a store
//! inserted its rows and exited 0). `PRAGMA quick_check` of the written
//! table and its indexes, inside the writing transaction, finds the damage
//! first, and the caller rolls back. It reads every page of that table once
//! (about what the import's own key scan reads); the other tables are not
//! read.

use anyhow::{Result, bail};
use rusqlite::Connection;
use std::path::Path;

/// How many of `quick_check`'s findings a refusal quotes.
const QUOTED: usize = 3;

/// Checks `table` (a contract name, never user input) and its indexes as
/// the open transaction on `connection` sees them; `path` names the store.
pub fn check_table(connection: &Connection, table: &str, path: &Path) -> Result<()> {
    let mut statement = connection.prepare(&format!("PRAGMA main.quick_check({table})"))?;
    let findings = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    if findings.iter().all(|finding| finding == "ok") {
        return Ok(());
    }
    let quoted: Vec<&str> = findings
        .iter()
        .take(QUOTED)
        .map(|finding| finding.trim())
        .collect();
    bail!(
        "{}: database disk image is malformed ({} in {table} or its indexes: {}); the change was rolled back and nothing was written",
        path.display(),
        if findings.len() == 1 {
            "1 problem".to_string()
        } else {
            format!("{} problems", findings.len())
        },
        quoted.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sound_table_passes() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE t (x); CREATE INDEX t_x ON t (x); INSERT INTO t VALUES (1);",
            )
            .unwrap();
        check_table(&connection, "t", Path::new("s.sqlite")).unwrap();
    }
}
