//! Runs the shared Splits and Versus statements (`source::pushdown`) on the
//! embedded store: parameters bound by name, answers read by column name.

use super::columns::date_text;
use crate::source::pushdown::{Cells, SqlValue, Statement};
use anyhow::{Context, Result};
use rusqlite::types::Value;
use rusqlite::{Connection, Row};

/// A row of an answer, read by column name.
struct SqliteCells<'a, 'b>(&'a Row<'b>);

impl Cells for SqliteCells<'_, '_> {
    fn text(&self, column: &str) -> Result<String> {
        Ok(self.0.get::<_, Option<String>>(column)?.unwrap_or_default())
    }

    fn count(&self, column: &str) -> Result<u64> {
        let value: Option<i64> = self.0.get(column)?;
        u64::try_from(value.unwrap_or(0)).with_context(|| format!("{column}: negative count"))
    }

    fn float(&self, column: &str) -> Result<f64> {
        Ok(self.0.get::<_, Option<f64>>(column)?.unwrap_or(0.0))
    }
}

fn bound(value: &SqlValue) -> Value {
    match value {
        SqlValue::Text(text) => Value::Text(text.clone()),
        SqlValue::Float(number) => Value::Real(*number),
        SqlValue::Date(date) => Value::Text(date_text(*date)),
    }
}

/// Runs `statement` and maps every row of its answer.
pub fn run<T>(
    connection: &Connection,
    statement: &Statement,
    mut map: impl FnMut(&dyn Cells) -> Result<T>,
) -> Result<Vec<T>> {
    let mut prepared = connection.prepare(&statement.sql)?;
    let values: Vec<(String, Value)> = statement
        .params
        .iter()
        .map(|(name, value)| (format!("@{name}"), bound(value)))
        .collect();
    let named: Vec<(&str, &dyn rusqlite::ToSql)> = values
        .iter()
        .map(|(name, value)| (name.as_str(), value as &dyn rusqlite::ToSql))
        .collect();
    let mut rows = prepared.query(named.as_slice())?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(map(&SqliteCells(row))?);
    }
    Ok(out)
}
