//! Brings a store made by an earlier version up to the current schema: the
//! columns added since (metrics.md Rev. 2, sections 5b and 11) are added in
//! place, every existing row kept (its new columns read as missing).

use rusqlite::{Connection, params};

/// `(table, column, SQLite type)` added after the first release, or that
/// the team's own `performance_diagnostics_daily` lacks (`system_id`: their
/// rows are one per date; data-contract.md Rev. 3).
const ADDED_COLUMNS: [(&str, &str, &str); 8] = [
    ("performance_diagnostics_daily", "system_id", "TEXT"),
    ("performance_diagnostics_daily", "coverage", "REAL"),
    (
        "performance_diagnostics_daily",
        "missing_dates_7d",
        "INTEGER",
    ),
    ("performance_diagnostics_daily", "cusum_stat", "REAL"),
    ("performance_diagnostics_daily", "cusum_threshold", "REAL"),
    ("performance_diagnostics_daily", "cusum_alarm", "INTEGER"),
    ("courtside_alert_outbox", "sending_since", "TEXT"),
    ("courtside_alert_outbox", "resent", "INTEGER"),
];

/// Adds each missing column; returns `table.column` of those it added.
pub fn add_missing_columns(connection: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut added = Vec::new();
    for (table, column, kind) in ADDED_COLUMNS {
        // A table that is not there is not created here (see `open_existing`).
        let table_exists: i64 = connection.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            params![table],
            |row| row.get(0),
        )?;
        if table_exists == 0 {
            continue;
        }
        let present: i64 = connection.query_row(
            "SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2",
            params![table, column],
            |row| row.get(0),
        )?;
        if present == 0 {
            // Names and types are the constants above, never user input.
            connection.execute_batch(&format!("ALTER TABLE {table} ADD COLUMN {column} {kind}"))?;
            added.push(format!("{table}.{column}"));
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_from_before_gets_the_new_columns_and_keeps_its_rows() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE performance_diagnostics_daily (game_date TEXT, alert_level TEXT);
                 INSERT INTO performance_diagnostics_daily VALUES ('2026-01-20', 'warning');",
            )
            .unwrap();
        let added = add_missing_columns(&connection).unwrap();
        assert_eq!(added.len(), 6, "{added:?}");
        let (level, coverage): (String, Option<f64>) = connection
            .query_row(
                "SELECT alert_level, coverage FROM performance_diagnostics_daily",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!((level.as_str(), coverage), ("warning", None));
        // A second open adds nothing.
        assert!(add_missing_columns(&connection).unwrap().is_empty());
    }
}
