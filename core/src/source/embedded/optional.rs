//! The embedded store's side of `source::presence` and the model registry:
//! which tables and columns the file has, the diagnostics history read with
//! the columns that are there, and `model_registry`'s roles. Nothing here
//! creates or alters a table.

use super::columns::date_text;
use super::rows::{history_row, named_by, stored_row_error};
use super::store::EmbeddedStore;
use crate::model::diagnostics::DiagnosticsRow;
use crate::source::model_registry::{COLUMNS, RegistryModel};
use crate::source::presence::{self, DIAGNOSTICS_ADDED};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, params};

/// The diagnostics table's name in the store.
const DIAGNOSTICS: &str = "performance_diagnostics_daily";
/// `model_registry`'s name in the store.
const MODEL_REGISTRY: &str = "model_registry";

/// The column names of `table`, or `None` when there is no such table.
pub(super) fn columns_of(
    connection: &Connection,
    table: &str,
) -> rusqlite::Result<Option<Vec<String>>> {
    let mut statement =
        connection.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let columns = statement
        .query_map(params![table], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok((!columns.is_empty()).then_some(columns))
}

/// The key of a diagnostics row in a history read: `game_date` and
/// `system_id` (the SELECT list keeps the table's column order).
const HISTORY_KEY: [usize; 2] = [0, 29];

/// The rows of `decoded` that read. A stored row that does not is left out
/// and named in `notes` (table, key, column, value; the first few, the rest
/// counted); any other failure is returned.
fn readable_rows<T>(
    decoded: impl Iterator<Item = rusqlite::Result<T>>,
    notes: &presence::Notes,
) -> rusqlite::Result<Vec<T>> {
    const NAMED: usize = crate::model::day_stats::SkippedRows::EXAMPLES;
    let mut rows = Vec::new();
    let mut left_out = 0usize;
    for row in decoded {
        match row {
            Ok(row) => rows.push(row),
            Err(error) => {
                let Some(named) = stored_row_error(&error) else {
                    return Err(error);
                };
                left_out += 1;
                if left_out <= NAMED {
                    notes.push(format!("{named}; the row is left out"));
                }
            }
        }
    }
    if left_out > NAMED {
        notes.push(format!(
            "… and {} more stored rows that do not read left out",
            left_out - NAMED
        ));
    }
    Ok(rows)
}

/// The SELECT list of a diagnostics read: every column but `created_at`, the
/// added ones the table lacks as NULL; and those it lacks.
fn history_columns(present: &[String]) -> (String, Vec<&'static str>) {
    let missing = presence::diagnostics_missing(present);
    let list: Vec<String> = crate::source::tables::TableKind::Diagnostics
        .columns_except(&["created_at"])
        .into_iter()
        .map(|column| {
            if missing.contains(&column) {
                format!("NULL AS {column}")
            } else {
                column.to_string()
            }
        })
        .collect();
    (list.join(", "), missing)
}

impl EmbeddedStore {
    /// The columns of `table`, `None` when the store has no such table.
    pub(super) async fn columns_in(&self, table: String) -> Result<Option<Vec<String>>> {
        self.blocking(move |connection| Ok(columns_of(connection, &table)?))
            .await
    }

    /// The diagnostics rows of `from ..= to`, with courtside's added
    /// columns read as NULL where the table (the team's own) lacks them.
    pub(super) async fn history_rows(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        system: Option<&str>,
        legacy_system: &str,
    ) -> Result<Vec<DiagnosticsRow>> {
        let system = system.map(str::to_string);
        let legacy_system = legacy_system.to_string();
        let notes = self.notes.clone();
        self.blocking(move |connection| {
            let Some(present) = columns_of(connection, DIAGNOSTICS)? else {
                notes.push(presence::missing_table_note(DIAGNOSTICS, "no history"));
                return Ok(Vec::new());
            };
            let (columns, missing) = history_columns(&present);
            if !missing.is_empty() {
                notes.push(presence::history_note(DIAGNOSTICS, &missing));
            }
            let system_id = if missing.contains(&"system_id") {
                "NULL"
            } else {
                "system_id"
            };
            // Column names are the contract's constants; values are parameters.
            let sql = format!(
                "SELECT {columns} FROM {DIAGNOSTICS}
                 WHERE game_date BETWEEN ?1 AND ?2
                   AND (?3 IS NULL OR COALESCE({system_id}, ?4) = ?3)
                 ORDER BY game_date, {system_id}"
            );
            let mut statement = connection.prepare(&sql)?;
            let decoded = statement.query_map(
                params![date_text(from), date_text(to), system, legacy_system],
                named_by(DIAGNOSTICS, &HISTORY_KEY, |row| {
                    history_row(row, &legacy_system)
                }),
            )?;
            Ok(readable_rows(decoded, &notes)?)
        })
        .await
    }

    /// Whether `--persist` must write nothing (the table lacks courtside's
    /// columns; see [`presence::persist_refused_note`]); keeps the note.
    pub(super) async fn persist_refused(&self) -> Result<bool> {
        let missing = self.diagnostics_lacks().await?;
        if !missing.is_empty() {
            self.notes
                .push(presence::persist_refused_note(DIAGNOSTICS, &missing));
        }
        Ok(!missing.is_empty())
    }

    /// The diagnostics table's added columns it lacks (all six when the
    /// table is not there either: nothing of it can be written).
    async fn diagnostics_lacks(&self) -> Result<Vec<&'static str>> {
        let present = self
            .blocking(|connection| Ok(columns_of(connection, DIAGNOSTICS)?))
            .await?;
        Ok(match present {
            Some(columns) => presence::diagnostics_missing(&columns),
            None => DIAGNOSTICS_ADDED
                .iter()
                .map(|(column, _)| *column)
                .collect(),
        })
    }

    /// `model_registry`'s rows, newest first; `None` without the table.
    pub(super) async fn registry_rows(&self) -> Result<Option<Vec<RegistryModel>>> {
        self.blocking(|connection| {
            if columns_of(connection, MODEL_REGISTRY)?.is_none() {
                return Ok(None);
            }
            // Names are the constants of `model_registry::COLUMNS`.
            let sql = format!(
                "SELECT {} FROM {MODEL_REGISTRY} ORDER BY created_at DESC, rowid DESC",
                COLUMNS.join(", ")
            );
            let mut statement = connection.prepare(&sql)?;
            let rows = statement
                .query_map([], |row| {
                    Ok(RegistryModel {
                        model_id: row.get(0)?,
                        status: row.get(1)?,
                        is_production: row.get(2)?,
                        enabled: row.get(3)?,
                        created_on: row
                            .get::<_, Option<String>>(4)
                            .ok()
                            .flatten()
                            .and_then(|text| text.get(..10).and_then(|day| day.parse().ok())),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(rows))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_table_reads_its_own_columns_and_null_for_ours() {
        let connection = Connection::open_in_memory().unwrap();
        connection
            .execute_batch(&format!(
                "CREATE TABLE {DIAGNOSTICS} (game_date TEXT, alert_level TEXT)"
            ))
            .unwrap();
        let present = columns_of(&connection, DIAGNOSTICS).unwrap().unwrap();
        let (list, missing) = history_columns(&present);
        assert!(list.contains("NULL AS system_id") && list.contains("alert_level"));
        assert_eq!(missing.len(), 6);
        assert_eq!(columns_of(&connection, "nothing_here").unwrap(), None);
    }
}
