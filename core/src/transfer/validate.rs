//! Row checks beyond the column types: NOT NULL columns, the vocabulary
//! courtside's queries depend on, and duplicate natural keys (within the
//! imported files and against the rows already in the store). Pure: the
//! store hands in its existing keys. `line_source` takes any value: the
//! configured `line_sources` decide its kind when rows are read, and a value
//! no list names is a named finding there (metrics.md section 1, Rev. 3),
//! never a reason to refuse the team's rows.

use super::error::Origin;
use crate::model::vocab::{
    AlertLevel, BiasDirection, DriftSeverity, PrimaryCause, SharpnessStatus,
};
use crate::source::canonical::{key_text, shown};
use crate::source::domains;
use crate::source::embedded::KeyHolder;
use crate::source::tables::{ColumnKind, TableKind};
use serde_json::Value;
use std::collections::HashMap;

/// Experiment statuses as the registry writes them (the store's queries
/// compare them exactly, so `Completed` would be misread).
pub const STATUSES: [&str; 6] = [
    "pending",
    "running",
    "completed",
    "failed",
    "promoted",
    "archived",
];

const RECOMMENDATIONS: [&str; 3] = ["OVER", "UNDER", "PASS"];

/// The values a column may hold.
#[derive(Debug, Clone, Copy)]
enum Vocabulary {
    /// Exactly these spellings: the store's SQL compares them as they are.
    Exact(&'static [&'static str]),
    /// What the diagnostics reader understands (written and legacy forms, any
    /// case), described for the message.
    Read(fn(&str) -> bool, &'static str),
}

fn sharpness_status(text: &str) -> bool {
    // `NO_DATA` is an old spelling of "no status" (read as null).
    SharpnessStatus::parse(text).is_some() || text.trim().eq_ignore_ascii_case("no_data")
}

fn drift_severity(text: &str) -> bool {
    DriftSeverity::parse(text).is_some()
}

fn bias_direction(text: &str) -> bool {
    // The team's class writes UNKNOWN for a bias it could not compute.
    BiasDirection::parse(text).is_some() || text.trim().eq_ignore_ascii_case("unknown")
}

fn primary_cause(text: &str) -> bool {
    PrimaryCause::parse(text).is_some()
}

fn alert_level(text: &str) -> bool {
    AlertLevel::parse(text).is_some()
}

fn vocabulary(table: TableKind, column: &str) -> Option<Vocabulary> {
    use TableKind::*;
    use Vocabulary::{Exact, Read};
    match (table, column) {
        (PredictionAccuracy | BacktestPredictions, "recommendation") => {
            Some(Exact(&RECOMMENDATIONS))
        }
        // `experiment_type` is free text in the team's table (data-contract.md
        // Rev. 3): any type is read.
        (Experiments, "status") | (ExperimentEvents, "from_status" | "to_status") => {
            Some(Exact(&STATUSES))
        }
        (Diagnostics, "sharpness_status") => Some(Read(
            sharpness_status,
            "dull, normal, sharp, razor_sharp (or SOFT, NORMAL, SHARP, VERY_SHARP, NO_DATA)",
        )),
        (Diagnostics, "drift_severity") => Some(Read(
            drift_severity,
            "none, mild, moderate, severe (or LOW, MEDIUM, HIGH, CRITICAL)",
        )),
        (Diagnostics, "bias_direction") => {
            Some(Read(bias_direction, "over, under, neutral (or UNKNOWN)"))
        }
        (Diagnostics, "primary_cause") => Some(Read(
            primary_cause,
            "none, vegas_sharpness, model_drift, data_quality, sample_size, normal_variance \
             (or VEGAS_SHARP, MODEL_DRIFT, DATA_QUALITY, NORMAL_VARIANCE)",
        )),
        (Diagnostics, "alert_level") => Some(Read(
            alert_level,
            "healthy, info, warning, critical, emergency (or ok)",
        )),
        _ => None,
    }
}

/// Checks NOT NULL columns and vocabularies of a type-correct row. The error
/// is the offending column's index and the message.
pub fn check_row(table: TableKind, row: &[Value]) -> Result<(), (usize, String)> {
    for (index, (column, value)) in table.columns().iter().zip(row).enumerate() {
        if let Some(number) = value.as_f64()
            && let Some(domain) = domains::domain(table, column.name)
            && let Some(message) = domains::outside(&domain, number)
        {
            return Err((index, message));
        }
        if table == TableKind::Experiments && column.name == "results_json" && !value.is_null() {
            crate::registry::results::check_value(value).map_err(|message| (index, message))?;
        }
        let text = match value {
            Value::Null if column.required => {
                return Err((
                    index,
                    "required (NOT NULL) but missing or empty".to_string(),
                ));
            }
            Value::String(text) if column.kind == ColumnKind::String => text,
            _ => continue,
        };
        if column.required && text.is_empty() {
            return Err((index, "required (NOT NULL) but empty".to_string()));
        }
        if table == TableKind::Experiments
            && column.name == "experiment_name"
            && let Some(problem) = crate::model::experiment::name_problem(text)
        {
            return Err((index, problem));
        }
        match vocabulary(table, column.name) {
            Some(Vocabulary::Exact(allowed)) if !allowed.contains(&text.as_str()) => {
                return Err((
                    index,
                    format!("{} is not one of {}", shown(text), allowed.join(", ")),
                ));
            }
            Some(Vocabulary::Read(known, described)) if !known(text) => {
                return Err((index, format!("{} is not one of {described}", shown(text))));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Where the keys of an import are remembered: the store's temporary key
/// table on a real import (flat memory), a map in tests.
pub trait KeyIndex {
    /// Records `key` as first seen at `origin`; when it was recorded before,
    /// who holds it.
    fn record(&mut self, key: &str, origin: &Origin) -> anyhow::Result<Option<KeyHolder>>;
}

/// An in-memory [`KeyIndex`] (small imports and tests).
#[derive(Debug, Default)]
pub struct MemoryKeys {
    seen: HashMap<String, Option<Origin>>,
}

impl MemoryKeys {
    /// Adds the key of a row already in the store (see [`key_text`]).
    pub fn add_existing(&mut self, key: String) {
        self.seen.insert(key, None);
    }
}

impl KeyIndex for MemoryKeys {
    fn record(&mut self, key: &str, origin: &Origin) -> anyhow::Result<Option<KeyHolder>> {
        Ok(match self.seen.get(key) {
            Some(None) => Some(KeyHolder::Store),
            Some(Some(first)) => Some(KeyHolder::Row {
                file: first.file.to_string(),
                line: first.line,
            }),
            None => {
                self.seen.insert(key.to_string(), Some(origin.clone()));
                None
            }
        })
    }
}

/// Refuses a second row with the same key, naming where the first one is.
#[derive(Debug)]
pub struct KeyTracker {
    table: TableKind,
    key_columns: Vec<usize>,
    exempt_column: Option<usize>,
}

impl KeyTracker {
    pub fn new(table: TableKind) -> KeyTracker {
        KeyTracker {
            table,
            key_columns: table
                .key()
                .iter()
                .filter_map(|column| table.column_index(column))
                .collect(),
            exempt_column: table
                .key_exempt_column()
                .and_then(|column| table.column_index(column)),
        }
    }

    /// Records `row`'s key in `index`, or fails when a row seen before or a
    /// row of the store has it. Rows exempt from the key (superseded
    /// predictions) pass.
    pub fn check(
        &self,
        index: &mut dyn KeyIndex,
        origin: &Origin,
        row: &[Value],
    ) -> anyhow::Result<()> {
        let exempt = self
            .exempt_column
            .and_then(|index| row.get(index))
            .is_some_and(|value| value == &Value::Bool(true));
        if exempt {
            return Ok(());
        }
        let values: Vec<&Value> = self
            .key_columns
            .iter()
            .filter_map(|index| row.get(*index))
            .collect();
        let key = key_text(values.iter().copied());
        let where_else = match index.record(&key, origin)? {
            None => return Ok(()),
            Some(KeyHolder::Store) => format!("a row of the store's {} has it", self.table),
            Some(KeyHolder::Row { file, line }) => format!("first on {file}:{line}"),
        };
        let described = self
            .table
            .key()
            .iter()
            .zip(&values)
            .map(|(column, value)| match value {
                Value::String(text) => format!("{column}={}", shown(text)),
                other => format!("{column}={}", shown(&other.to_string())),
            })
            .collect::<Vec<_>>()
            .join(", ");
        Err(origin
            .error(None, format!("duplicate key {described} ({where_else})"))
            .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::lifecycle::Status;
    use serde_json::json;
    use std::sync::Arc;

    fn row(table: TableKind, values: &[(&str, Value)]) -> Vec<Value> {
        let mut row = vec![Value::Null; table.columns().len()];
        for (name, value) in values {
            row[table.column_index(name).unwrap()] = value.clone();
        }
        row
    }

    fn prediction(extra: &[(&str, Value)]) -> Vec<Value> {
        let mut values = vec![
            ("player_lookup", json!("lebronjames")),
            ("game_id", json!("20260105_LAL_BOS")),
            ("game_date", json!("2026-01-05")),
            ("system_id", json!("catboost_v8")),
        ];
        values.extend(extra.iter().cloned());
        row(TableKind::PredictionAccuracy, &values)
    }

    fn origin(file: &str, line: u64) -> Origin {
        Origin {
            file: Arc::from(file),
            line,
        }
    }

    #[test]
    fn statuses_match_the_lifecycle() {
        let lifecycle: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(lifecycle, STATUSES);
    }

    #[test]
    fn required_columns_must_be_present_and_non_empty() {
        let table = TableKind::PredictionAccuracy;
        assert_eq!(check_row(table, &prediction(&[])), Ok(()));
        let mut missing = prediction(&[]);
        missing[2] = Value::Null;
        assert_eq!(check_row(table, &missing).map_err(|e| e.0), Err(2));
        let mut empty = prediction(&[]);
        empty[0] = json!("");
        assert_eq!(check_row(table, &empty).map_err(|e| e.0), Err(0));
    }

    #[test]
    fn vocabularies_the_queries_compare_exactly() {
        let table = TableKind::PredictionAccuracy;
        assert!(check_row(table, &prediction(&[("recommendation", json!("OVER"))])).is_ok());
        let (column, message) =
            check_row(table, &prediction(&[("recommendation", json!("over"))])).unwrap_err();
        assert_eq!(table.columns()[column].name, "recommendation");
        assert_eq!(message, "`over` is not one of OVER, UNDER, PASS");
        // The team's whole line-source vocabulary, and a value no list
        // names (read as `unknown` and named, never refused).
        for source in [
            "ACTUAL_PROP",
            "ODDS_API",
            "BETTINGPROS",
            "VEGAS_BACKFILL",
            "ESTIMATED_AVG",
            "NO_PROP_LINE",
            "NO_VEGAS_DATA",
            "ODDS_API_V2",
        ] {
            assert!(check_row(table, &prediction(&[("line_source", json!(source))])).is_ok());
        }
        let diagnostics = TableKind::Diagnostics;
        let bias = |value: &str| {
            row(
                diagnostics,
                &[
                    ("game_date", json!("2026-01-05")),
                    ("computed_at", json!("2026-01-05T10:00:00Z")),
                    ("alert_triggered", json!(false)),
                    ("alert_level", json!("ok")),
                    ("bias_direction", json!(value)),
                ],
            )
        };
        assert!(check_row(diagnostics, &bias("UNKNOWN")).is_ok());
        assert!(check_row(diagnostics, &bias("sideways")).is_err());
        assert!(check_row(table, &prediction(&[("line_bookmaker", json!("ANY"))])).is_ok());

        let events = TableKind::ExperimentEvents;
        let event = |to: &str| {
            row(
                events,
                &[
                    ("experiment_id", json!("e1")),
                    ("at", json!("2026-01-05T10:00:00Z")),
                    ("to_status", json!(to)),
                ],
            )
        };
        assert!(check_row(events, &event("running")).is_ok());
        assert!(check_row(events, &event("Running")).is_err());
    }

    #[test]
    fn diagnostics_accept_the_legacy_vocabulary() {
        let table = TableKind::Diagnostics;
        let day = |extra: &[(&str, Value)]| {
            let mut values = vec![
                ("game_date", json!("2026-01-05")),
                ("computed_at", json!("2026-01-06T07:00:00Z")),
                ("alert_triggered", json!(false)),
                ("alert_level", json!("OK")),
            ];
            values.extend(extra.iter().cloned());
            row(table, &values)
        };
        for (column, value) in [
            ("sharpness_status", "VERY_SHARP"),
            ("sharpness_status", "NO_DATA"),
            ("sharpness_status", "razor_sharp"),
            ("drift_severity", "CRITICAL"),
            ("drift_severity", "mild"),
            ("bias_direction", "Over"),
            ("primary_cause", "VEGAS_SHARP"),
            ("primary_cause", "sample_size"),
            ("alert_level", "Critical"),
        ] {
            assert_eq!(
                check_row(table, &day(&[(column, json!(value))])),
                Ok(()),
                "{column}={value}"
            );
        }
        let (column, _) = check_row(table, &day(&[("alert_level", json!("PURPLE"))])).unwrap_err();
        assert_eq!(table.columns()[column].name, "alert_level");
        assert!(check_row(table, &day(&[("drift_severity", json!("extreme"))])).is_err());
    }

    #[test]
    fn duplicates_name_both_lines_and_superseded_rows_are_exempt() {
        let tracker = KeyTracker::new(TableKind::PredictionAccuracy);
        let keys = &mut MemoryKeys::default();
        let first = prediction(&[]);
        assert!(tracker.check(keys, &origin("a.csv", 2), &first).is_ok());
        let superseded = prediction(&[("is_superseded_prediction", json!(true))]);
        assert!(
            tracker
                .check(keys, &origin("a.csv", 3), &superseded)
                .is_ok()
        );
        assert!(
            tracker
                .check(keys, &origin("a.csv", 4), &superseded)
                .is_ok()
        );
        let error = tracker
            .check(keys, &origin("b.csv", 9), &first)
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "b.csv:9: duplicate key player_lookup=`lebronjames`, game_id=`20260105_LAL_BOS`, \
             system_id=`catboost_v8`, line_value=`null` (first on a.csv:2)"
        );
    }

    #[test]
    fn duplicates_of_store_rows_and_null_equals_empty() {
        let table = TableKind::Diagnostics;
        let tracker = KeyTracker::new(table);
        let keys = &mut MemoryKeys::default();
        keys.add_existing(key_text([&json!("2026-01-05"), &Value::Null]));
        let mut day = vec![Value::Null; table.columns().len()];
        day[0] = json!("2026-01-05");
        day[30] = json!("");
        let error = tracker
            .check(keys, &origin("d.ndjson", 3), &day)
            .unwrap_err();
        assert!(error.to_string().contains("store"), "{error}");
        day[30] = json!("catboost_v8");
        assert!(tracker.check(keys, &origin("d.ndjson", 4), &day).is_ok());
    }
}
