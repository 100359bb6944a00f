//! Which tables and columns a source has, for the features that can do
//! without some of them (data-contract.md Rev. 3, "Tables courtside writes,
//! on a warehouse that does not have them yet").
//!
//! Three things live here, each reused by `doctor`:
//! - [`TableMissing`], the one typed error for "the table (or the column a
//!   statement names) is not there": BigQuery's `notFound` "Not found:
//!   Table …" and SQLite's "no such table" / "no such column". Every other
//!   failure stays what it was; [`is_missing`] tells them apart.
//! - [`Notes`], the one-line reasons a source keeps when it answered without
//!   something (the CLI prints them on stderr, the dashboard shows them).
//! - [`DIAGNOSTICS_ADDED`], the columns courtside adds to the team's
//!   `performance_diagnostics_daily`, and what a read or write does without them.
//!
//! The `Source` trait's `table_columns` (the table's column names, `None`
//! when it does not exist) and `notes` are declared in `source/mod.rs`.

use anyhow::Result;
use std::sync::Mutex;

/// The fix every "missing" note names.
pub const SETUP_FIX: &str = "run `courtside setup --apply`";

/// A statement failed because a table (or a column it names) does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableMissing {
    /// The engine's own message, one line.
    pub message: String,
}

impl std::fmt::Display for TableMissing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TableMissing {}

/// BigQuery's answer for a table that is not there: reason `notFound` and a
/// message starting "Not found: Table" (or "Not found: Dataset", which holds
/// none of its tables either; the emulator writes "table:" in lower case).
/// Anything else is not a missing table.
pub fn bigquery_says_missing(reason: &str, message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    reason == "notFound"
        && (message.starts_with("not found: table") || message.starts_with("not found: dataset"))
}

/// SQLite's message for a missing table or column.
fn sqlite_says_missing(message: &str) -> bool {
    message.starts_with("no such table") || message.starts_with("no such column")
}

/// Whether `error` says a table or column is missing (and nothing else).
pub fn is_missing(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.is::<TableMissing>()
            || matches!(
                cause.downcast_ref::<rusqlite::Error>(),
                Some(rusqlite::Error::SqliteFailure(_, Some(message))) if sqlite_says_missing(message)
            )
    })
}

/// The one-line reasons a source answered without something, in the order
/// they first happened, each once.
#[derive(Debug, Default)]
pub struct Notes(Mutex<Vec<String>>);

impl Notes {
    /// Keeps `note` unless it is kept already.
    pub fn push(&self, note: impl Into<String>) {
        let note = note.into();
        if let Ok(mut notes) = self.0.lock()
            && !notes.contains(&note)
        {
            notes.push(note);
        }
    }

    /// Every note so far.
    pub fn all(&self) -> Vec<String> {
        self.0.lock().map(|notes| notes.clone()).unwrap_or_default()
    }

    /// `result`, or `T::default()` with `note()` kept when it failed only
    /// because a table is missing; any other failure is returned as it is.
    pub fn or_missing<T: Default>(
        &self,
        result: Result<T>,
        note: impl FnOnce() -> String,
    ) -> Result<T> {
        match result {
            Err(error) if is_missing(&error) => {
                tracing::info!("{error:#}");
                self.push(note());
                Ok(T::default())
            }
            other => other,
        }
    }
}

/// The reason for an optional table's absence, in the words every front end uses.
pub fn missing_table_note(table: &str, without: &str) -> String {
    format!("{without}: {table} is missing ({SETUP_FIX})")
}

/// The note of a registry change written without its audit event.
pub fn no_audit_trail_note(events_table: &str) -> String {
    format!("no audit trail: {events_table} is missing ({SETUP_FIX})")
}

/// The note of a list read without `backtest_predictions`.
pub fn no_backtest_note(backtest_table: &str) -> String {
    missing_table_note(backtest_table, "no backtest rows table")
}

/// `(column, BigQuery type)` courtside adds to the team's
/// `performance_diagnostics_daily` (data-contract.md, Rev. 2): reads fill
/// them with NULL when absent (a row without `system_id` is the production
/// system's), and `--persist` needs them all.
pub const DIAGNOSTICS_ADDED: [(&str, &str); 6] = [
    ("system_id", "STRING"),
    ("coverage", "FLOAT64"),
    ("missing_dates_7d", "INT64"),
    ("cusum_stat", "FLOAT64"),
    ("cusum_threshold", "FLOAT64"),
    ("cusum_alarm", "BOOL"),
];

/// The added columns `present` lacks (names compared without case).
pub fn diagnostics_missing(present: &[String]) -> Vec<&'static str> {
    DIAGNOSTICS_ADDED
        .iter()
        .map(|(column, _)| *column)
        .filter(|column| !present.iter().any(|have| have.eq_ignore_ascii_case(column)))
        .collect()
}

/// Why `--persist` wrote nothing to a diagnostics table without courtside's
/// columns. Writing the team's columns only would replace the rows their own
/// diagnostics job writes for the same date, and rows of other systems could
/// not be told apart without `system_id`: so nothing is written until the
/// columns are added.
pub fn persist_refused_note(table: &str, missing: &[&str]) -> String {
    format!(
        "not persisted: {table} lacks {} ({SETUP_FIX}, which adds them with ALTER TABLE … ADD COLUMN IF NOT EXISTS)",
        missing.join(", ")
    )
}

/// Why `history` shows the team's columns only.
pub fn history_note(table: &str, missing: &[&str]) -> String {
    format!(
        "history shows the team's columns only: {table} lacks {} ({SETUP_FIX})",
        missing.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_missing_table_or_column_counts_as_missing() {
        let missing = anyhow::Error::new(TableMissing {
            message: "Not found: Table p:d.t".into(),
        })
        .context("reading t");
        assert!(is_missing(&missing));
        assert!(!is_missing(&anyhow::anyhow!("Not found: Table p:d.t")));
        let sqlite = |message: &str| {
            anyhow::Error::new(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(1),
                Some(message.to_string()),
            ))
        };
        assert!(is_missing(&sqlite("no such table: backtest_predictions")));
        assert!(is_missing(&sqlite("no such column: system_id")));
        assert!(!is_missing(&sqlite("database is locked")));
        assert!(bigquery_says_missing(
            "notFound",
            "Not found: Table p:d.t was not found"
        ));
        assert!(!bigquery_says_missing("notFound", "Not found: Job p:j"));
        assert!(!bigquery_says_missing("invalidQuery", "Not found: Table"));
    }

    #[test]
    fn notes_keep_each_reason_once_and_pass_other_errors() {
        let notes = Notes::default();
        let missing: Result<Vec<u8>> = Err(TableMissing {
            message: "gone".into(),
        }
        .into());
        assert_eq!(
            notes.or_missing(missing, || "a".into()).unwrap(),
            Vec::<u8>::new()
        );
        notes.push("a");
        assert_eq!(notes.all(), vec!["a".to_string()]);
        let other: Result<Vec<u8>> = Err(anyhow::anyhow!("boom"));
        assert!(notes.or_missing(other, || "b".into()).is_err());
        assert_eq!(notes.all().len(), 1);
    }

    #[test]
    fn the_team_table_lacks_all_six_added_columns() {
        let team: Vec<String> = ["game_date", "alert_level"].map(String::from).to_vec();
        assert_eq!(diagnostics_missing(&team).len(), 6);
        let ours: Vec<String> = DIAGNOSTICS_ADDED
            .iter()
            .map(|(c, _)| c.to_string())
            .collect();
        assert!(diagnostics_missing(&ours).is_empty());
    }
}
