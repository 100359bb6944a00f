//! What `courtside doctor` found, as plain data (the CLI prints it as text or
//! JSON): each configured table against the contract (found, missing and
//! mistyped columns, extra columns that matter, partitioning, the recent
//! rows' vocabulary with the unmapped values named), the data findings of the
//! day stats, each command and tab with its verdict, the fixes, and the
//! queries it took with their bytes.

use crate::model::LineSources;
use crate::model::experiment::{EXPERIMENT_TYPES, Status};
use crate::source::setup_ddl::courtside_writes;
use crate::source::table_shape::{Partitioning, TableShape, compatible, date_column};
use crate::source::tables::TableKind;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct DoctorReport {
    /// `bigquery: project` or `embedded: path`.
    pub source: String,
    pub today: NaiveDate,
    pub tables: Vec<TableCheck>,
    pub data: DataFindings,
    pub features: Vec<Feature>,
    pub fixes: Vec<Fix>,
    pub queries: Vec<QueryLine>,
    /// 0: everything works; 1: something works only without a piece; 2: something fails.
    pub exit_code: i32,
}

/// One contract column the table lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingColumn {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: String,
    pub required: bool,
}

/// A column whose type does not read as the contract's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeMismatch {
    pub column: String,
    pub expected: String,
    pub found: String,
}

/// How a value of a vocabulary column stands against the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueVerdict {
    Known,
    /// Not in the configured mapping or the contract's list: a finding.
    Unmapped,
    /// Outside the documented list but accepted (experiment types): a warning.
    Undocumented,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueCount {
    pub column: String,
    /// `None`: NULL.
    pub value: Option<String>,
    pub rows: u64,
    pub verdict: ValueVerdict,
}

/// One configured table against the contract.
#[derive(Debug, Clone, Serialize)]
pub struct TableCheck {
    /// The contract's name.
    pub table: String,
    /// The config key that names it (`tables.KEY`).
    pub config_key: String,
    /// The configured name.
    pub name: String,
    pub exists: bool,
    /// Why the table could not be read at all.
    pub error: Option<String>,
    pub missing_columns: Vec<MissingColumn>,
    pub type_mismatches: Vec<TypeMismatch>,
    /// Columns beyond the contract's (courtside reads none of them).
    pub extra_columns: Vec<String>,
    /// Extra NOT NULL columns of a table courtside writes: its inserts fail.
    pub extra_required: Vec<String>,
    pub partitioning: Option<Partitioning>,
    /// What the partitioning means for courtside's queries, when it matters.
    pub partition_note: Option<String>,
    pub window: Option<(NaiveDate, NaiveDate)>,
    pub rows_in_window: Option<u64>,
    /// The latest date of the window's rows, and its age in days.
    pub latest: Option<NaiveDate>,
    pub age_days: Option<i64>,
    pub vocabulary: Vec<ValueCount>,
    pub profile_error: Option<String>,
}

impl TableCheck {
    /// Whether courtside can read the table at all.
    pub fn usable(&self) -> bool {
        self.exists && self.error.is_none()
    }

    /// Of `columns`, those missing or of a type that does not read.
    pub fn lacking<'a>(&self, columns: &[&'a str]) -> Vec<&'a str> {
        columns
            .iter()
            .copied()
            .filter(|name| {
                self.missing_columns.iter().any(|c| c.name == *name)
                    || self.type_mismatches.iter().any(|c| c.column == *name)
            })
            .collect()
    }

    /// The unmapped values of `column` with their rows.
    pub fn unmapped(&self, column: &str) -> Vec<&ValueCount> {
        self.vocabulary
            .iter()
            .filter(|v| v.column == column && v.verdict == ValueVerdict::Unmapped)
            .collect()
    }
}

/// What the day stats of the window say about the rows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataFindings {
    pub window: Option<(NaiveDate, NaiveDate)>,
    /// The latest graded date of `prediction_accuracy` and its age in days.
    pub latest_graded: Option<NaiveDate>,
    pub age_days: Option<i64>,
    /// Rows of one bet left out for the one that counts (metrics.md §1 Rev. 3).
    pub duplicate_rows: u64,
    pub duplicate_system_days: usize,
    /// Counted rows whose `line_source` no configured list names.
    pub unknown_line_sources: BTreeMap<String, u64>,
    /// Why the day stats could not be computed (every pass-based command fails).
    pub day_stats_error: Option<String>,
}

/// A command's or tab's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureStatus {
    Works,
    WorksWithout,
    Fails,
}

impl FeatureStatus {
    pub fn exit_code(self) -> i32 {
        match self {
            FeatureStatus::Works => 0,
            FeatureStatus::WorksWithout => 1,
            FeatureStatus::Fails => 2,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FeatureStatus::Works => "works",
            FeatureStatus::WorksWithout => "works without",
            FeatureStatus::Fails => "fails",
        }
    }
}

/// One command or tab.
#[derive(Debug, Clone, Serialize)]
pub struct Feature {
    /// `diag`, `exp history`, `tab 4 Experiments`, …
    pub name: String,
    pub status: FeatureStatus,
    /// What is missing (works without) or why it fails.
    pub reasons: Vec<String>,
    /// Ids of [`DoctorReport::fixes`].
    pub fixes: Vec<usize>,
}

/// How to fix something: a DDL statement (`courtside setup` runs it) or a config line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub id: usize,
    #[serde(rename = "kind")]
    pub kind: FixKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixKind {
    Ddl,
    Config,
}

/// One query the doctor ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryLine {
    pub tables: String,
    pub bytes: Option<u64>,
    pub dry_run: bool,
}

/// The table's shape against the contract, the vocabulary judged.
pub fn check_table(
    shape: &TableShape,
    config_key: &str,
    today: NaiveDate,
    line_sources: &LineSources,
) -> TableCheck {
    let table = shape.table;
    let mut check = TableCheck {
        table: table.name().to_string(),
        config_key: config_key.to_string(),
        name: shape.name.clone(),
        exists: shape.exists,
        error: None,
        missing_columns: Vec::new(),
        type_mismatches: Vec::new(),
        extra_columns: Vec::new(),
        extra_required: Vec::new(),
        partitioning: shape.exists.then(|| shape.partitioning.clone()),
        partition_note: None,
        window: shape.profile.as_ref().and_then(|p| p.from.zip(p.to)),
        rows_in_window: shape.profile.as_ref().map(|p| p.rows),
        latest: shape.profile.as_ref().and_then(|p| p.latest),
        age_days: None,
        vocabulary: Vec::new(),
        profile_error: shape.profile_error.clone(),
    };
    if !shape.exists {
        return check;
    }
    check.age_days = check.latest.map(|latest| (today - latest).num_days());
    for column in table.columns() {
        match shape.column(column.name) {
            None => check.missing_columns.push(MissingColumn {
                name: column.name.to_string(),
                type_name: column.kind.sql_type().to_string(),
                required: column.required,
            }),
            Some(found) if !compatible(shape.dialect, column.kind, &found.type_name) => {
                check.type_mismatches.push(TypeMismatch {
                    column: column.name.to_string(),
                    expected: column.kind.sql_type().to_string(),
                    found: found.type_name.clone(),
                })
            }
            Some(_) => {}
        }
    }
    for found in &shape.columns {
        if table.column_index(&found.name).is_none() {
            check.extra_columns.push(found.name.clone());
            if found.required && courtside_writes(table) {
                check.extra_required.push(found.name.clone());
            }
        }
    }
    check.partition_note = partition_note(table, &shape.partitioning);
    if let Some(profile) = &shape.profile {
        check.vocabulary = profile
            .values
            .iter()
            .map(|(column, value, rows)| ValueCount {
                column: column.clone(),
                value: value.clone(),
                rows: *rows,
                verdict: verdict(column, value.as_deref(), line_sources),
            })
            .collect();
    }
    check
}

/// The value's standing: line sources against the configured mapping,
/// recommendations against OVER/UNDER/PASS, statuses against the six, and
/// experiment types against the six documented (others only a warning).
fn verdict(column: &str, value: Option<&str>, line_sources: &LineSources) -> ValueVerdict {
    let Some(value) = value else {
        return ValueVerdict::Known;
    };
    let known = match column {
        "line_source" => line_sources.is_listed(value),
        "recommendation" => ["OVER", "UNDER", "PASS"].contains(&value),
        "status" => Status::ALL.iter().any(|s| s.as_str() == value),
        "experiment_type" => {
            return if EXPERIMENT_TYPES.contains(&value) {
                ValueVerdict::Known
            } else {
                ValueVerdict::Undocumented
            };
        }
        _ => true,
    };
    if known {
        ValueVerdict::Known
    } else {
        ValueVerdict::Unmapped
    }
}

/// What the physical partitioning means for courtside's filtered queries.
fn partition_note(table: TableKind, partitioning: &Partitioning) -> Option<String> {
    let expected = date_column(table);
    match partitioning {
        Partitioning::Unpartitioned => Some(format!(
            "not partitioned: courtside's {expected} filters do not reduce the bytes scanned"
        )),
        Partitioning::ByTime {
            field: Some(field), ..
        } if field != expected => Some(format!(
            "partitioned by {field}, not {expected}: courtside's {expected} filters do not prune"
        )),
        Partitioning::ByTime { field: None, .. } => Some(format!(
            "partitioned by ingestion time: courtside's {expected} filters do not prune"
        )),
        Partitioning::ByRange { field } => Some(format!(
            "range-partitioned by {field}: courtside's {expected} filters do not prune"
        )),
        _ => None,
    }
}
