//! A table column as the specs of [`super::tables`] and
//! [`super::pregame_tables`] declare it: its name, BigQuery type and NOT
//! NULL flag.

/// A column's BigQuery type, which decides its canonical JSON form
/// (see [`crate::transfer::value`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    String,
    Int64,
    Float64,
    Numeric,
    Bool,
    Date,
    Timestamp,
    Json,
    /// `ARRAY<STRING>` (`ml_experiments.tags`).
    StringArray,
    /// `STRUCT<start_date DATE, end_date DATE, samples INT64>`
    /// (`ml_experiments.train_period` / `eval_period`).
    Period,
}

impl ColumnKind {
    /// The type as the BigQuery DDL spells it, for messages.
    pub fn sql_type(self) -> &'static str {
        match self {
            ColumnKind::String => "STRING",
            ColumnKind::Int64 => "INT64",
            ColumnKind::Float64 => "FLOAT64",
            ColumnKind::Numeric => "NUMERIC",
            ColumnKind::Bool => "BOOL",
            ColumnKind::Date => "DATE",
            ColumnKind::Timestamp => "TIMESTAMP",
            ColumnKind::Json => "JSON",
            ColumnKind::StringArray => "ARRAY<STRING>",
            ColumnKind::Period => "STRUCT<start_date DATE, end_date DATE, samples INT64>",
        }
    }
}

/// One column of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    /// `NOT NULL` in the contract: an import row must have a non-empty value.
    pub required: bool,
}

impl Column {
    /// `created_at` has `DEFAULT CURRENT_TIMESTAMP()`: a NULL imported into the
    /// embedded store becomes the time of the import.
    pub fn defaults_to_now(&self) -> bool {
        self.name == "created_at"
    }
}

pub(super) const fn req(name: &'static str, kind: ColumnKind) -> Column {
    Column {
        name,
        kind,
        required: true,
    }
}

pub(super) const fn opt(name: &'static str, kind: ColumnKind) -> Column {
    Column {
        name,
        kind,
        required: false,
    }
}
