//! The columns courtside reads from the contract's tables, and naming those
//! a store lacks: a newer schema is read only while it still has them all
//! (`ownership.rs`), and a query that meets a renamed or dropped column says
//! which table lost which column instead of SQLite's bare "no such column".
//!
//! A table the store does not have is not counted here (each feature says
//! what it does without it), nor are the diagnostics columns courtside adds
//! to the team's table (read as NULL where they are missing).

use crate::source::presence::DIAGNOSTICS_ADDED;
use crate::source::tables::TableKind;
use rusqlite::{Connection, params};

/// The column names of `table`, `None` when the store has no such table.
fn columns_of(connection: &Connection, table: &str) -> rusqlite::Result<Option<Vec<String>>> {
    let mut statement =
        connection.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let columns = statement
        .query_map(params![table], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((!columns.is_empty()).then_some(columns))
}

/// Whether a store may lack `column` of `table` and still be read.
fn optional(table: TableKind, column: &str) -> bool {
    table == TableKind::Diagnostics && DIAGNOSTICS_ADDED.iter().any(|(name, _)| *name == column)
}

/// `table.column` of every column courtside reads that a table of the
/// store lacks, in the contract's order.
pub fn missing(connection: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut missing = Vec::new();
    for table in TableKind::ALL {
        let Some(present) = columns_of(connection, table.name())? else {
            continue;
        };
        for column in table.columns() {
            let there = present
                .iter()
                .any(|have| have.eq_ignore_ascii_case(column.name));
            if !there && !optional(table, column.name) {
                missing.push(format!("{}.{}", table.name(), column.name));
            }
        }
    }
    Ok(missing)
}

/// `table.column` for each table of the store that courtside reads
/// `column` from and that lacks it.
pub fn lacking(connection: &Connection, column: &str) -> rusqlite::Result<Vec<String>> {
    let mut lacking = Vec::new();
    for table in TableKind::ALL {
        if !table
            .columns()
            .iter()
            .any(|spec| spec.name.eq_ignore_ascii_case(column))
        {
            continue;
        }
        let Some(present) = columns_of(connection, table.name())? else {
            continue;
        };
        if !present.iter().any(|have| have.eq_ignore_ascii_case(column)) {
            lacking.push(format!("{}.{column}", table.name()));
        }
    }
    Ok(lacking)
}

/// The column SQLite's "no such column: X" names (`p.system_id` gives
/// `system_id`), if that is what `message` says.
pub fn named_in(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("no such column: ")?;
    let name = rest.split_whitespace().next()?;
    let name = name.rsplit('.').next().unwrap_or(name);
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_column_is_named_with_its_table() {
        let connection = Connection::open_in_memory().unwrap();
        let columns: Vec<&str> = TableKind::PredictionAccuracy
            .columns()
            .iter()
            .map(|column| column.name)
            .map(|name| {
                if name == "predicted_points" {
                    "predicted_pts"
                } else {
                    name
                }
            })
            .collect();
        connection
            .execute_batch(&format!(
                "CREATE TABLE prediction_accuracy ({});
                 CREATE TABLE performance_diagnostics_daily (game_date TEXT);",
                columns.join(", ")
            ))
            .unwrap();
        let missing = missing(&connection).unwrap();
        assert!(
            missing.contains(&"prediction_accuracy.predicted_points".to_string()),
            "{missing:?}"
        );
        assert!(
            !missing.iter().any(|m| m.ends_with(".system_id")),
            "the added diagnostics columns may be missing: {missing:?}"
        );
        assert_eq!(
            lacking(&connection, "predicted_points").unwrap(),
            ["prediction_accuracy.predicted_points"]
        );
        assert_eq!(
            named_in("no such column: p.predicted_points"),
            Some("predicted_points")
        );
        assert_eq!(named_in("no such table: x"), None);
    }
}
