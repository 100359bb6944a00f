//! Canonical rows (see [`crate::transfer`]) in and out of the embedded store:
//! the generic insert behind `courtside import` and the table reads behind
//! `export_rows`. Table and column names come only from the static specs of
//! [`crate::source::tables`]; every value is an SQL parameter. Values are
//! stored exactly as the typed writers store them (dates `YYYY-MM-DD`,
//! timestamps RFC 3339 UTC to the millisecond, booleans 0/1, JSON as text).

use super::columns::timestamp_text;
use super::store::EmbeddedStore;
use super::writer::StoreWriter;
use crate::source::canonical::{
    CanonicalRow, float_value, key_text, parse_date, parse_text, parse_timestamp, period_text,
};
use crate::source::tables::{ColumnKind, TableKind};
use anyhow::{Result, anyhow};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{CachedStatement, Connection};
use serde_json::Value;

/// A column's stored value in canonical form.
fn from_sql(kind: ColumnKind, value: ValueRef<'_>) -> Result<Value, String> {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    match (kind, value) {
        (_, ValueRef::Null) => Ok(Value::Null),
        (ColumnKind::String, ValueRef::Text(bytes)) => Ok(Value::String(text(bytes))),
        (ColumnKind::String, ValueRef::Integer(number)) => Ok(Value::String(number.to_string())),
        (ColumnKind::String, ValueRef::Real(number)) => Ok(Value::String(number.to_string())),
        (ColumnKind::Int64, ValueRef::Integer(number)) => Ok(Value::from(number)),
        (ColumnKind::Float64 | ColumnKind::Numeric, ValueRef::Real(number)) => {
            float_value(number).ok_or_else(|| format!("{number} is not a finite number"))
        }
        (ColumnKind::Float64 | ColumnKind::Numeric, ValueRef::Integer(number)) => {
            float_value(number as f64).ok_or_else(|| format!("{number} is not a finite number"))
        }
        (ColumnKind::Bool, ValueRef::Integer(number)) => Ok(Value::Bool(number != 0)),
        (ColumnKind::Int64 | ColumnKind::Bool, ValueRef::Real(number)) => {
            parse_text(kind, &number.to_string())
        }
        (_, ValueRef::Text(bytes)) => parse_text(kind, &text(bytes)),
        (_, other) => Err(format!(
            "holds {} where {} was expected",
            other.data_type(),
            kind.sql_type()
        )),
    }
}

/// A canonical value as the SQL value the store keeps.
fn to_sql(kind: ColumnKind, value: &Value) -> Result<SqlValue, String> {
    let mismatch = || format!("{value} does not fit {}", kind.sql_type());
    Ok(match (kind, value) {
        (_, Value::Null) => SqlValue::Null,
        (ColumnKind::String, Value::String(text)) => SqlValue::Text(text.clone()),
        (ColumnKind::Int64, Value::Number(number)) => {
            SqlValue::Integer(number.as_i64().ok_or_else(mismatch)?)
        }
        (ColumnKind::Float64 | ColumnKind::Numeric, Value::Number(number)) => {
            SqlValue::Real(number.as_f64().ok_or_else(mismatch)?)
        }
        (ColumnKind::Bool, Value::Bool(flag)) => SqlValue::Integer(i64::from(*flag)),
        (ColumnKind::Date, Value::String(text)) if parse_date(text).is_some() => {
            SqlValue::Text(text.clone())
        }
        (ColumnKind::Timestamp, Value::String(text)) => {
            SqlValue::Text(timestamp_text(parse_timestamp(text).ok_or_else(mismatch)?))
        }
        (ColumnKind::Json, value) => SqlValue::Text(value.to_string()),
        (ColumnKind::StringArray, value @ Value::Array(_)) => SqlValue::Text(value.to_string()),
        (ColumnKind::Period, value @ Value::Object(_)) => SqlValue::Text(period_text(value)),
        _ => return Err(mismatch()),
    })
}

/// Every row of `table` in canonical form, in [`TableKind::export_order`]
/// (then by insertion), so that an export re-imported into an empty store
/// exports the same text and BigQuery exports the same rows in the same order.
pub fn export_rows(connection: &Connection, table: TableKind) -> Result<Vec<CanonicalRow>> {
    let columns = table.columns();
    let sql = format!(
        "SELECT {} FROM {} ORDER BY {}, rowid",
        table.column_list(),
        table.name(),
        table.export_order().join(", ")
    );
    let mut statement = connection.prepare(&sql)?;
    let mut rows = statement.query([])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(columns.len());
        for (index, column) in columns.iter().enumerate() {
            let value = from_sql(column.kind, row.get_ref(index)?).map_err(|message| {
                anyhow!(
                    "{table}.{} (row {} of the export): {message}",
                    column.name,
                    out.len() + 1
                )
            })?;
            values.push(value);
        }
        out.push(values);
    }
    Ok(out)
}

/// Why a row was not inserted.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A value does not fit its column (the column is named).
    #[error("{message}")]
    Value {
        column: &'static str,
        message: String,
    },
    /// The row does not have the table's columns.
    #[error("{values} values for {columns} columns")]
    Shape { values: usize, columns: usize },
    #[error("cannot insert into {table}: {source}")]
    Store {
        table: TableKind,
        source: rusqlite::Error,
    },
}

/// Who holds a key an imported row repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyHolder {
    /// A row already in the store.
    Store,
    /// An earlier row of this import.
    Row { file: String, line: u64 },
}

/// Inserts canonical rows into one table inside a writer's transaction.
pub struct TableLoader<'t> {
    table: TableKind,
    transaction: &'t rusqlite::Transaction<'t>,
    statement: CachedStatement<'t>,
    rows: usize,
}

impl<'t> StoreWriter<'t> {
    /// A loader for `table`.
    pub fn table_loader(&self, table: TableKind) -> Result<TableLoader<'t>> {
        let transaction: &'t rusqlite::Transaction<'t> = self.transaction;
        let placeholders = table
            .columns()
            .iter()
            .enumerate()
            .map(|(index, column)| {
                if column.defaults_to_now() {
                    format!(
                        "COALESCE(?{}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                        index + 1
                    )
                } else {
                    format!("?{}", index + 1)
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({placeholders})",
            table.name(),
            table.column_list()
        );
        Ok(TableLoader {
            table,
            transaction,
            statement: transaction.prepare_cached(&sql)?,
            rows: 0,
        })
    }
}

impl TableLoader<'_> {
    /// Starts the import's key index: a temporary table on disk (never in
    /// memory, so a file of any size imports in flat memory) holding the key
    /// (see [`key_text`]) of every row already in the table, rows exempt from
    /// the key (superseded predictions) left out.
    pub fn index_stored_keys(&mut self) -> Result<()> {
        self.transaction.execute_batch(
            "PRAGMA temp_store = FILE;
             CREATE TEMP TABLE IF NOT EXISTS courtside_import_keys (
                 key TEXT PRIMARY KEY, file TEXT, line INTEGER) WITHOUT ROWID;
             DELETE FROM temp.courtside_import_keys;",
        )?;
        let table = self.table;
        let key = table.key();
        let exempt = table
            .key_exempt_column()
            .map(|column| format!(" WHERE COALESCE({column}, 0) = 0"))
            .unwrap_or_default();
        let sql = format!("SELECT {} FROM {}{exempt}", key.join(", "), table.name());
        let kinds: Vec<ColumnKind> = key
            .iter()
            .filter_map(|name| table.column_index(name))
            .map(|index| table.columns()[index].kind)
            .collect();
        let mut statement = self.transaction.prepare(&sql)?;
        let mut insert = self
            .transaction
            .prepare("INSERT OR IGNORE INTO temp.courtside_import_keys (key) VALUES (?1)")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let mut values = Vec::with_capacity(kinds.len());
            for (index, kind) in kinds.iter().enumerate() {
                values.push(
                    from_sql(*kind, row.get_ref(index)?)
                        .map_err(|message| anyhow!("{table} in the store: {message}"))?,
                );
            }
            insert.execute([key_text(&values)])?;
        }
        Ok(())
    }

    /// Records `key` as first seen at `file:line`; when it was recorded
    /// before, who holds it.
    pub fn record_key(&mut self, key: &str, file: &str, line: u64) -> Result<Option<KeyHolder>> {
        let mut insert = self.transaction.prepare_cached(
            "INSERT OR IGNORE INTO temp.courtside_import_keys (key, file, line) VALUES (?1, ?2, ?3)",
        )?;
        if insert.execute(rusqlite::params![key, file, line as i64])? == 1 {
            return Ok(None);
        }
        let mut holder = self
            .transaction
            .prepare_cached("SELECT file, line FROM temp.courtside_import_keys WHERE key = ?1")?;
        let (file, line): (Option<String>, Option<i64>) =
            holder.query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(Some(match (file, line) {
            (Some(file), Some(line)) => KeyHolder::Row {
                file,
                line: line as u64,
            },
            _ => KeyHolder::Store,
        }))
    }

    /// Inserts one checked row.
    pub fn insert(&mut self, row: &[Value]) -> Result<(), LoadError> {
        let columns = self.table.columns();
        if row.len() != columns.len() {
            return Err(LoadError::Shape {
                values: row.len(),
                columns: columns.len(),
            });
        }
        let values = columns
            .iter()
            .zip(row)
            .map(|(column, value)| {
                to_sql(column.kind, value).map_err(|message| LoadError::Value {
                    column: column.name,
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.statement
            .execute(rusqlite::params_from_iter(values))
            .map_err(|source| LoadError::Store {
                table: self.table,
                source,
            })?;
        self.rows += 1;
        Ok(())
    }

    /// Rows inserted so far.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

impl EmbeddedStore {
    /// Runs `load` with a loader for `table` in one IMMEDIATE transaction,
    /// committed only when `load` succeeds and the table and its indexes
    /// pass `quick_check` (`integrity.rs`): a failure anywhere, a damaged
    /// page included, leaves the store as it was. Returns `load`'s value and the rows inserted. The
    /// transaction waits its turn behind another writer however long that
    /// takes (`on_wait` is called once when it has to); a full disk is said
    /// as such.
    pub fn import<T>(
        &self,
        table: TableKind,
        on_wait: &dyn Fn(),
        load: impl FnOnce(&mut TableLoader<'_>) -> Result<T>,
    ) -> Result<(T, usize)> {
        let connection = self.connect()?;
        import_on(&connection, table, self.path(), on_wait, load).map_err(|error| {
            let errno = super::io_errors::system_errno(&connection);
            super::io_errors::explain(error, self.path(), errno)
        })
    }
}

/// [`EmbeddedStore::import`] on one connection.
fn import_on<T>(
    connection: &Connection,
    table: TableKind,
    path: &std::path::Path,
    on_wait: &dyn Fn(),
    load: impl FnOnce(&mut TableLoader<'_>) -> Result<T>,
) -> Result<(T, usize)> {
    let transaction = super::write_lock::begin_immediate(connection, on_wait)?;
    let result = {
        let writer = StoreWriter::new(&transaction);
        let mut loader = writer.table_loader(table)?;
        let value = load(&mut loader)?;
        (value, loader.rows())
    };
    super::integrity::check_table(&transaction, table.name(), path)?;
    transaction.commit()?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stored_values_convert_both_ways() {
        let cases = [
            (ColumnKind::String, json!("x"), SqlValue::Text("x".into())),
            (ColumnKind::Int64, json!(7), SqlValue::Integer(7)),
            (ColumnKind::Numeric, json!(25.3), SqlValue::Real(25.3)),
            (ColumnKind::Bool, json!(true), SqlValue::Integer(1)),
            (
                ColumnKind::Date,
                json!("2026-01-05"),
                SqlValue::Text("2026-01-05".into()),
            ),
            (
                ColumnKind::Timestamp,
                json!("2026-01-05T10:00:00Z"),
                SqlValue::Text("2026-01-05T10:00:00.000Z".into()),
            ),
            (
                ColumnKind::StringArray,
                json!(["a"]),
                SqlValue::Text("[\"a\"]".into()),
            ),
            (
                ColumnKind::Period,
                json!({"start_date": "2026-01-01", "end_date": null, "samples": 5}),
                SqlValue::Text(r#"{"start_date":"2026-01-01","end_date":null,"samples":5}"#.into()),
            ),
        ];
        for (kind, canonical, stored) in cases {
            assert_eq!(to_sql(kind, &canonical), Ok(stored.clone()), "{kind:?}");
            let value_ref = match &stored {
                SqlValue::Text(text) => ValueRef::Text(text.as_bytes()),
                SqlValue::Integer(number) => ValueRef::Integer(*number),
                SqlValue::Real(number) => ValueRef::Real(*number),
                _ => ValueRef::Null,
            };
            assert_eq!(from_sql(kind, value_ref), Ok(canonical), "{kind:?}");
        }
        assert!(to_sql(ColumnKind::Int64, &json!("7")).is_err());
        assert!(from_sql(ColumnKind::Int64, ValueRef::Blob(b"x")).is_err());
        // Sub-millisecond digits are beyond the store's precision.
        assert_eq!(
            to_sql(ColumnKind::Timestamp, &json!("2026-01-05T10:00:00.123456Z")),
            Ok(SqlValue::Text("2026-01-05T10:00:00.123Z".into()))
        );
    }
}
