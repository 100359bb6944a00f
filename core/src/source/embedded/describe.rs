//! One table of the store as it really is, for `doctor` and `setup`: found or
//! not, its columns from `pragma_table_info` (SQLite has no partitions), and a
//! profile of the rows of a date window; and the changes of `setup --apply`
//! in one transaction. Table and column names come only from the contract;
//! dates reach SQL as parameters.

use super::columns::date_text;
use crate::source::schema::Dialect;
use crate::source::setup_ddl::SetupStep;
use crate::source::table_shape::{
    FoundColumn, Partitioning, TableProfile, TableShape, date_column, vocabulary_columns,
};
use crate::source::tables::TableKind;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// Whether the store has a table called `name`.
fn table_exists(connection: &Connection, name: &str) -> Result<bool> {
    let count: i64 = connection.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        params![name],
        |row| row.get(0),
    )?;
    Ok(count > 0)
}

fn columns(connection: &Connection, name: &str) -> Result<Vec<FoundColumn>> {
    let mut statement =
        connection.prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?1)")?;
    let found = statement
        .query_map(params![name], |row| {
            Ok(FoundColumn {
                name: row.get(0)?,
                type_name: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                required: row.get::<_, i64>(2)? != 0,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found)
}

/// `table` as the store has it, with the rows of `window` profiled.
pub(super) fn describe(
    connection: &Connection,
    table: TableKind,
    window: Option<(NaiveDate, NaiveDate)>,
) -> Result<TableShape> {
    let name = table.name();
    if !table_exists(connection, name)? {
        return Ok(TableShape::missing(table, name, Dialect::Sqlite));
    }
    let mut shape = TableShape::missing(table, name, Dialect::Sqlite);
    shape.exists = true;
    shape.columns = columns(connection, name)?;
    shape.partitioning = Partitioning::NotApplicable;
    if let Some(window) = window
        && shape.column(date_column(table)).is_some()
    {
        match profile(connection, &shape, window) {
            Ok(found) => shape.profile = Some(found),
            Err(error) => shape.profile_error = Some(format!("{error:#}")),
        }
    }
    Ok(shape)
}

/// Counts the rows of `window` by the vocabulary columns the table has.
fn profile(
    connection: &Connection,
    shape: &TableShape,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<TableProfile> {
    let table = shape.table;
    let vocabulary: Vec<&str> = vocabulary_columns(table)
        .iter()
        .copied()
        .filter(|column| shape.column(column).is_some())
        .collect();
    // Timestamps are ISO text: their first ten characters are the date.
    let day = match date_column(table) {
        "game_date" => "game_date".to_string(),
        other => format!("substr({other}, 1, 10)"),
    };
    let selected: String = vocabulary
        .iter()
        .map(|column| format!("CAST({column} AS TEXT), "))
        .collect();
    let grouped = if vocabulary.is_empty() {
        String::new()
    } else {
        format!(" GROUP BY {}", vocabulary.join(", "))
    };
    // Names are the contract's constants, never input.
    let sql = format!(
        "SELECT {selected}COUNT(*), MAX({day}) FROM {name} WHERE {day} BETWEEN ?1 AND ?2{grouped}",
        name = table.name()
    );
    let mut statement = connection.prepare(&sql)?;
    let mut rows = statement.query(params![date_text(from), date_text(to)])?;
    let mut found = TableProfile {
        from: Some(from),
        to: Some(to),
        ..TableProfile::default()
    };
    while let Some(row) = rows.next()? {
        let count: i64 = row.get(vocabulary.len())?;
        let count = u64::try_from(count).unwrap_or_default();
        let latest: Option<String> = row.get(vocabulary.len() + 1)?;
        let latest = latest.and_then(|text| text.get(..10)?.parse::<NaiveDate>().ok());
        found.rows += count;
        found.latest = found.latest.max(latest);
        for (index, column) in vocabulary.iter().enumerate() {
            let value: Option<String> = row.get(index)?;
            found.add(column, value, count);
        }
    }
    found.values.sort();
    Ok(found)
}

/// Runs `steps` in one transaction; a column already there is skipped.
pub(super) fn apply(
    connection: &mut Connection,
    steps: &[SetupStep],
    names: &crate::config::TableNames,
) -> Result<()> {
    let transaction = connection.transaction()?;
    for step in steps {
        if let SetupStep::AddColumn(table, column) = step {
            let present = columns(&transaction, table.name())?
                .iter()
                .any(|found| found.name.eq_ignore_ascii_case(column.name));
            if present {
                continue;
            }
        }
        transaction
            .execute_batch(&step.statement(Dialect::Sqlite, names))
            .with_context(|| step.summary())?;
    }
    transaction.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_table_is_described_and_profiled() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(
                "CREATE TABLE prediction_accuracy (player_lookup TEXT NOT NULL, game_date TEXT NOT NULL,
                   line_source TEXT, recommendation TEXT, referee_adjustment REAL);
                 INSERT INTO prediction_accuracy VALUES
                   ('a', '2026-01-10', 'ACTUAL_PROP', 'OVER', NULL),
                   ('b', '2026-01-11', 'MYSTERY', 'UNDER', NULL),
                   ('c', '2025-01-11', 'OLD', 'UNDER', NULL);",
            )
            .unwrap();
        let window = (
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
        );
        let shape = describe(&connection, TableKind::PredictionAccuracy, Some(window)).unwrap();
        assert!(shape.exists);
        assert!(shape.column("player_lookup").unwrap().required);
        let profile = shape.profile.unwrap();
        assert_eq!(profile.rows, 2);
        assert_eq!(profile.latest, NaiveDate::from_ymd_opt(2026, 1, 11));
        assert!(
            profile
                .values
                .contains(&("line_source".into(), Some("MYSTERY".into()), 1))
        );
        let missing = describe(&connection, TableKind::BacktestPredictions, None).unwrap();
        assert!(!missing.exists);
    }
}
