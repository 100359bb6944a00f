//! The changes `courtside setup` makes to a warehouse, and the DDL of each in
//! both dialects: create one of the tables courtside writes (the text of
//! `schemas/`, under the configured name), or add one of courtside's columns
//! to `performance_diagnostics_daily`. What is printed is what is run; table
//! names come only from the validated config, column names and types only
//! from the contract.

use super::schema::{BIGQUERY, Dialect, SQLITE};
use super::tables::{Column, ColumnKind, TableKind};
use crate::config::TableNames;

/// The columns courtside added to the team's `performance_diagnostics_daily`
/// (data-contract.md: `system_id`, then Rev. 2's five).
pub const ADDED_DIAGNOSTICS_COLUMNS: [&str; 6] = [
    "system_id",
    "coverage",
    "missing_dates_7d",
    "cusum_stat",
    "cusum_threshold",
    "cusum_alarm",
];

/// Whether courtside writes `table` (and so `setup` may create it).
pub fn courtside_writes(table: TableKind) -> bool {
    matches!(
        table,
        TableKind::Diagnostics
            | TableKind::Experiments
            | TableKind::ExperimentEvents
            | TableKind::BacktestPredictions
    )
}

/// One change of `setup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupStep {
    /// `CREATE TABLE IF NOT EXISTS` with the contract's columns.
    CreateTable(TableKind),
    /// `ALTER TABLE ... ADD COLUMN IF NOT EXISTS` of one contract column.
    AddColumn(TableKind, Column),
    /// `CREATE TABLE IF NOT EXISTS` of courtside's silences
    /// (`tables.silences`; not a contract table).
    CreateSilences,
}

impl SetupStep {
    /// `create ml_experiment_events`, `add performance_diagnostics_daily.coverage`.
    pub fn summary(&self) -> String {
        match self {
            SetupStep::CreateTable(table) => format!("create table {table}"),
            SetupStep::AddColumn(table, column) => format!("add column {table}.{}", column.name),
            SetupStep::CreateSilences => "create table courtside_silences".to_string(),
        }
    }

    /// The statement(s) of this change in `dialect`, without a final `;`.
    /// On SQLite a created table brings its indexes and triggers.
    pub fn statement(&self, dialect: Dialect, names: &TableNames) -> String {
        match (self, dialect) {
            (SetupStep::CreateTable(table), Dialect::Bigquery) => {
                let defaults = TableNames::default();
                let default = table.table_name(&defaults).qualified();
                let configured = table.table_name(names).qualified();
                ddl_text(BIGQUERY, *table).replace(
                    &format!("EXISTS {default} ("),
                    &format!("EXISTS `{configured}` ("),
                )
            }
            (SetupStep::CreateTable(table), Dialect::Sqlite) => ddl_text(SQLITE, *table),
            (SetupStep::AddColumn(table, column), Dialect::Bigquery) => format!(
                "ALTER TABLE `{}` ADD COLUMN IF NOT EXISTS {} {}",
                table.table_name(names).qualified(),
                column.name,
                column.kind.sql_type()
            ),
            (SetupStep::CreateSilences, Dialect::Bigquery) => {
                ddl_file(BIGQUERY, "13_courtside_silences.sql").replace(
                    &format!("EXISTS {} (", TableNames::default().silences.qualified()),
                    &format!("EXISTS `{}` (", names.silences.qualified()),
                )
            }
            (SetupStep::CreateSilences, Dialect::Sqlite) => {
                ddl_file(SQLITE, "17_courtside_silences.sql")
            }
            // SQLite has no IF NOT EXISTS here: the store checks first.
            (SetupStep::AddColumn(table, column), Dialect::Sqlite) => format!(
                "ALTER TABLE {} ADD COLUMN {} {}",
                table.name(),
                column.name,
                sqlite_type(column.kind)
            ),
        }
    }
}

/// The DDL file of `table` without its comment lines and final `;`.
fn ddl_text(files: &[(&str, &str)], table: TableKind) -> String {
    let index = TableKind::ALL
        .iter()
        .position(|kind| *kind == table)
        .unwrap_or_default();
    without_comments(files.get(index).map(|(_, sql)| *sql).unwrap_or_default())
}

/// The DDL file `file` of `files` without its comment lines and final `;`.
fn ddl_file(files: &[(&str, &str)], file: &str) -> String {
    let text = files
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, sql)| *sql)
        .unwrap_or_default();
    without_comments(text)
}

/// `text` without its comment lines and final `;`.
fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .trim_end_matches(';')
        .to_string()
}

/// The SQLite type of a contract column (as `schemas/sqlite/` declares it).
pub fn sqlite_type(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Int64 | ColumnKind::Bool => "INTEGER",
        ColumnKind::Float64 | ColumnKind::Numeric => "REAL",
        _ => "TEXT",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TableName;

    fn column(name: &str) -> Column {
        let index = TableKind::Diagnostics.column_index(name).unwrap();
        TableKind::Diagnostics.columns()[index]
    }

    #[test]
    fn statements_use_the_configured_names_and_contract_types() {
        let names = TableNames {
            experiment_events: TableName::parse("proj.team_ds.audit").unwrap(),
            ..TableNames::default()
        };
        let create = SetupStep::CreateTable(TableKind::ExperimentEvents);
        let text = create.statement(Dialect::Bigquery, &names);
        assert!(
            text.starts_with("CREATE TABLE IF NOT EXISTS `proj.team_ds.audit` ("),
            "{text}"
        );
        assert!(!text.contains("--") && !text.ends_with(';'), "{text}");
        let add = SetupStep::AddColumn(TableKind::Diagnostics, column("cusum_alarm"));
        assert_eq!(
            add.statement(Dialect::Bigquery, &names),
            "ALTER TABLE `nba_orchestration.performance_diagnostics_daily` ADD COLUMN IF NOT EXISTS cusum_alarm BOOL"
        );
        assert_eq!(
            add.statement(Dialect::Sqlite, &names),
            "ALTER TABLE performance_diagnostics_daily ADD COLUMN cusum_alarm INTEGER"
        );
        let sqlite = SetupStep::CreateTable(TableKind::BacktestPredictions)
            .statement(Dialect::Sqlite, &names);
        assert!(sqlite.starts_with("CREATE TABLE IF NOT EXISTS backtest_predictions ("));
    }

    #[test]
    fn the_added_columns_are_contract_columns() {
        for name in ADDED_DIAGNOSTICS_COLUMNS {
            assert!(
                TableKind::Diagnostics.column_index(name).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn the_silences_table_is_created_under_its_configured_name() {
        let names = TableNames {
            silences: TableName::parse("proj.ops.quiet").unwrap(),
            ..TableNames::default()
        };
        let create = SetupStep::CreateSilences;
        assert_eq!(create.summary(), "create table courtside_silences");
        let text = create.statement(Dialect::Bigquery, &names);
        assert!(
            text.starts_with("CREATE TABLE IF NOT EXISTS `proj.ops.quiet` ("),
            "{text}"
        );
        assert!(
            text.contains("comment STRING NOT NULL") && !text.contains("--"),
            "{text}"
        );
        let sqlite = create.statement(Dialect::Sqlite, &names);
        assert!(
            sqlite.starts_with("CREATE TABLE IF NOT EXISTS courtside_silences ("),
            "{sqlite}"
        );
    }
}
