//! A table as the warehouse really has it, for `doctor` and `setup`: found or
//! not, its columns with their types as the warehouse spells them, its
//! physical partitioning, and (when asked) a profile of recent rows: the
//! count, the latest date and the values of its vocabulary columns. The
//! sources fill it ([`crate::source::Source::describe_table`]); what the
//! shape means for each command is judged in `service::doctor`.

use super::schema::Dialect;
use super::tables::{ColumnKind, TableKind};
use chrono::NaiveDate;
use serde::Serialize;

/// One column as found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundColumn {
    pub name: String,
    /// The type as the warehouse spells it (`STRING`, `INT64`, `FLOAT64`,
    /// `ARRAY<STRING>`, `STRUCT`; SQLite's declared type, `TEXT`, `REAL`…).
    pub type_name: String,
    /// `REQUIRED` / `NOT NULL`.
    pub required: bool,
}

/// How the table is partitioned, as its metadata says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Partitioning {
    /// By a column (`field`), or by ingestion time when `field` is `None`.
    ByTime {
        field: Option<String>,
        require_filter: bool,
    },
    /// Partitioned by an integer range (courtside's date filters do not prune it).
    ByRange { field: String },
    /// Not partitioned: a date filter does not reduce the bytes scanned.
    Unpartitioned,
    /// The store has no partitions (SQLite).
    NotApplicable,
}

/// The rows of a date window: how many, the latest date, and for each
/// vocabulary column the values present with their counts.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct TableProfile {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub rows: u64,
    pub latest: Option<NaiveDate>,
    /// `(column, value (None: NULL), rows)`, by column then value.
    pub values: Vec<(String, Option<String>, u64)>,
}

impl TableProfile {
    /// Adds `count` rows to `(column, value)`.
    pub fn add(&mut self, column: &str, value: Option<String>, count: u64) {
        match self
            .values
            .iter_mut()
            .find(|(c, v, _)| c == column && *v == value)
        {
            Some(entry) => entry.2 += count,
            None => self.values.push((column.to_string(), value, count)),
        }
    }
}

/// What [`crate::source::Source::describe_table`] answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableShape {
    #[serde(serialize_with = "table_name")]
    pub table: TableKind,
    /// The name as configured (`dataset.table`; the embedded store's table).
    pub name: String,
    #[serde(serialize_with = "dialect_name")]
    pub dialect: Dialect,
    pub exists: bool,
    pub columns: Vec<FoundColumn>,
    pub partitioning: Partitioning,
    /// The recent rows, when a window was asked for and the table and its
    /// date column exist.
    pub profile: Option<TableProfile>,
    /// Why the profile is missing although asked for (a query failed).
    pub profile_error: Option<String>,
}

impl TableShape {
    /// A table that is not there.
    pub fn missing(table: TableKind, name: &str, dialect: Dialect) -> TableShape {
        TableShape {
            table,
            name: name.to_string(),
            dialect,
            exists: false,
            columns: Vec::new(),
            partitioning: Partitioning::NotApplicable,
            profile: None,
            profile_error: None,
        }
    }

    /// The found column called `name`.
    pub fn column(&self, name: &str) -> Option<&FoundColumn> {
        self.columns
            .iter()
            .find(|column| column.name.eq_ignore_ascii_case(name))
    }
}

fn table_name<S: serde::Serializer>(table: &TableKind, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(table.name())
}

fn dialect_name<S: serde::Serializer>(dialect: &Dialect, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(dialect.name())
}

/// The column a table's rows are dated by (and partitioned by, in the
/// contract): `game_date`, the registry's `created_at`, the trail's `at`.
pub fn date_column(table: TableKind) -> &'static str {
    match table {
        TableKind::Experiments => "created_at",
        TableKind::ExperimentEvents => "at",
        _ => "game_date",
    }
}

/// The columns whose values the doctor counts (their vocabularies are the
/// contract's).
pub fn vocabulary_columns(table: TableKind) -> &'static [&'static str] {
    match table {
        TableKind::PredictionAccuracy => &["line_source", "recommendation"],
        TableKind::Experiments => &["status", "experiment_type"],
        _ => &[],
    }
}

/// Whether a column found as `found` reads as the contract's `expected`:
/// numbers read as numbers (NUMERIC, BIGNUMERIC and FLOAT64 alike, an
/// INT64 where a fraction is expected), everything else must match.
pub fn compatible(dialect: Dialect, expected: ColumnKind, found: &str) -> bool {
    let found = found.trim().to_ascii_uppercase();
    match dialect {
        Dialect::Bigquery => {
            let base = found.split('(').next().unwrap_or_default().trim();
            match expected {
                ColumnKind::String => base == "STRING",
                ColumnKind::Int64 => matches!(base, "INT64" | "INTEGER"),
                ColumnKind::Float64 | ColumnKind::Numeric => matches!(
                    base,
                    "FLOAT64" | "FLOAT" | "NUMERIC" | "BIGNUMERIC" | "INT64" | "INTEGER"
                ),
                ColumnKind::Bool => matches!(base, "BOOL" | "BOOLEAN"),
                ColumnKind::Date => base == "DATE",
                ColumnKind::Timestamp => base == "TIMESTAMP",
                // A JSON column may be kept as its text.
                ColumnKind::Json => matches!(base, "JSON" | "STRING"),
                ColumnKind::StringArray => base == "ARRAY<STRING>",
                ColumnKind::Period => base.starts_with("STRUCT") || base == "RECORD",
            }
        }
        // SQLite keeps any value in any column; the declared type's
        // affinity is what a query gets back.
        Dialect::Sqlite => {
            let numeric = ["INT", "REAL", "FLOA", "DOUB", "NUM", "DEC", "BOOL"];
            let is_numeric = numeric.iter().any(|part| found.contains(part));
            match expected {
                ColumnKind::Int64
                | ColumnKind::Float64
                | ColumnKind::Numeric
                | ColumnKind::Bool => is_numeric,
                _ => !is_numeric || found.is_empty(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_numbers_and_text_does_not() {
        let bq = Dialect::Bigquery;
        assert!(compatible(bq, ColumnKind::Numeric, "FLOAT64"));
        assert!(compatible(bq, ColumnKind::Float64, "NUMERIC"));
        assert!(compatible(bq, ColumnKind::Numeric, "NUMERIC(5, 1)"));
        assert!(compatible(bq, ColumnKind::Int64, "INTEGER"));
        assert!(!compatible(bq, ColumnKind::Int64, "STRING"));
        assert!(!compatible(bq, ColumnKind::String, "INT64"));
        assert!(!compatible(bq, ColumnKind::Int64, "FLOAT64"));
        assert!(compatible(bq, ColumnKind::Bool, "BOOLEAN"));
        assert!(compatible(bq, ColumnKind::Period, "STRUCT"));
        let lite = Dialect::Sqlite;
        assert!(compatible(lite, ColumnKind::Float64, "REAL"));
        assert!(compatible(lite, ColumnKind::Bool, "INTEGER"));
        assert!(compatible(lite, ColumnKind::Date, "TEXT"));
        assert!(!compatible(lite, ColumnKind::String, "INTEGER"));
        assert!(!compatible(lite, ColumnKind::Int64, "TEXT"));
    }
}
