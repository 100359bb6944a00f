//! `courtside setup`: what this warehouse lacks for every feature to work,
//! as DDL (`CREATE TABLE IF NOT EXISTS` for the tables courtside writes,
//! `ALTER TABLE ... ADD COLUMN IF NOT EXISTS` for its diagnostics columns),
//! nothing for what is there; with `apply`, run through the source and
//! checked again, so a second run changes nothing and says so.

use super::Context;
use super::doctor::dialect;
use crate::source::schema::Dialect;
use crate::source::setup_ddl::{ADDED_DIAGNOSTICS_COLUMNS, SetupStep, courtside_writes};
use crate::source::table_shape::compatible;
use crate::source::tables::TableKind;
use anyhow::Result;
use serde::Serialize;

/// One change with its statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedChange {
    /// `create table ml_experiment_events`, `add column …`.
    pub change: String,
    pub statement: String,
}

/// What `setup` found, would do or did.
#[derive(Debug, Clone, Serialize)]
pub struct SetupReport {
    pub source: String,
    #[serde(serialize_with = "dialect_name")]
    pub dialect: Dialect,
    /// `--apply` was given.
    pub apply: bool,
    /// The changes to make (dry run) or made (apply).
    pub changes: Vec<PlannedChange>,
    /// Changes still missing after applying (should be none).
    pub remaining: Vec<PlannedChange>,
    /// What setup does not change: the team's tables not found, a column
    /// of another type.
    pub notes: Vec<String>,
}

fn dialect_name<S: serde::Serializer>(dialect: &Dialect, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(dialect.name())
}

/// The steps this warehouse needs, and what setup leaves alone.
pub async fn plan(context: &Context) -> Result<(Vec<SetupStep>, Vec<String>)> {
    let source = context.source.as_ref();
    let mut steps = Vec::new();
    let mut notes = Vec::new();
    for (table, (key, _)) in TableKind::ALL
        .into_iter()
        .zip(context.config.tables.entries())
    {
        let shape = source.describe_table(table, None).await?;
        if !shape.exists {
            if courtside_writes(table) {
                steps.push(SetupStep::CreateTable(table));
            } else {
                notes.push(format!(
                    "{} ({}) not found: it is the team's table, setup does not create it; \
                     set tables.{key} in the config if it lives elsewhere",
                    table.name(),
                    shape.name
                ));
            }
            continue;
        }
        if table != TableKind::Diagnostics {
            continue;
        }
        for column in table.columns() {
            if !ADDED_DIAGNOSTICS_COLUMNS.contains(&column.name) {
                continue;
            }
            match shape.column(column.name) {
                None => steps.push(SetupStep::AddColumn(table, *column)),
                Some(found) if !compatible(shape.dialect, column.kind, &found.type_name) => notes
                    .push(format!(
                        "{}.{} is {}, not {}: setup does not change a column's type",
                        table.name(),
                        column.name,
                        found.type_name,
                        column.kind.sql_type()
                    )),
                Some(_) => {}
            }
        }
    }
    // Silences: `courtside silence` writes them (on BigQuery, shared by
    // everyone who watches the warehouse).
    if source
        .table_columns(&context.config.tables.silences)
        .await?
        .is_none()
    {
        steps.push(SetupStep::CreateSilences);
    }
    Ok((steps, notes))
}

fn planned(context: &Context, steps: &[SetupStep]) -> Vec<PlannedChange> {
    let dialect = dialect(context);
    steps
        .iter()
        .map(|step| PlannedChange {
            change: step.summary(),
            statement: step.statement(dialect, &context.config.tables),
        })
        .collect()
}

/// Plans, and with `apply` runs the plan and plans again to confirm.
pub async fn run(context: &Context, apply: bool) -> Result<SetupReport> {
    let (steps, notes) = plan(context).await?;
    let mut report = SetupReport {
        source: context.source.info().label,
        dialect: dialect(context),
        apply,
        changes: planned(context, &steps),
        remaining: Vec::new(),
        notes,
    };
    if apply && !steps.is_empty() {
        context.source.apply_setup(&steps).await?;
        let (left, _) = plan(context).await?;
        report.remaining = planned(context, &left);
    }
    Ok(report)
}
