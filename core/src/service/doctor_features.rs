//! The doctor's verdict on each command and dashboard tab, from the table
//! checks and the day stats: `works`, `works without` a named piece, or
//! `fails`, each with the exact fix (the DDL `courtside setup` would run, or
//! the config line to write). What each feature needs is listed here, in one
//! place.

use super::doctor_report::{DataFindings, Feature, FeatureStatus, Fix, FixKind, TableCheck};
use crate::config::TableNames;
use crate::model::LineSources;
use crate::source::schema::Dialect;
use crate::source::setup_ddl::{ADDED_DIAGNOSTICS_COLUMNS, SetupStep, courtside_writes};
use crate::source::tables::TableKind;

/// The fixes named so far, each once.
#[derive(Debug, Default)]
pub struct Fixes {
    pub list: Vec<Fix>,
}

impl Fixes {
    fn add(&mut self, kind: FixKind, text: String) -> usize {
        if let Some(found) = self.list.iter().find(|fix| fix.text == text) {
            return found.id;
        }
        let id = self.list.len() + 1;
        self.list.push(Fix { id, kind, text });
        id
    }
}

/// What the verdicts are made from.
pub struct Inputs<'a> {
    pub tables: &'a [TableCheck],
    pub data: &'a DataFindings,
    pub names: &'a TableNames,
    pub dialect: Dialect,
    pub line_sources: &'a LineSources,
}

/// One verdict under construction.
struct Verdict {
    status: FeatureStatus,
    reasons: Vec<String>,
    fixes: Vec<usize>,
}

impl Verdict {
    fn new() -> Verdict {
        Verdict {
            status: FeatureStatus::Works,
            reasons: Vec::new(),
            fixes: Vec::new(),
        }
    }

    fn note(&mut self, status: FeatureStatus, reason: String, fix: Option<usize>) {
        self.status = self.status.max(status);
        if !self.reasons.contains(&reason) {
            self.reasons.push(reason);
        }
        if let Some(fix) = fix.filter(|fix| !self.fixes.contains(fix)) {
            self.fixes.push(fix);
        }
    }
}

impl Inputs<'_> {
    fn check(&self, table: TableKind) -> Option<&TableCheck> {
        self.tables.iter().find(|check| check.table == table.name())
    }

    fn usable(&self, table: TableKind) -> bool {
        self.check(table).is_some_and(TableCheck::usable)
    }

    /// The fix for a table that is not there: `setup`'s CREATE for courtside's
    /// tables, else the config line that points at the team's.
    fn table_fix(&self, table: TableKind, fixes: &mut Fixes) -> usize {
        if courtside_writes(table) {
            let sql = SetupStep::CreateTable(table).statement(self.dialect, self.names);
            fixes.add(FixKind::Ddl, format!("{sql};"))
        } else {
            let key = self
                .check(table)
                .map_or(table.name().to_string(), |c| c.config_key.clone());
            fixes.add(
                FixKind::Config,
                format!("tables.{key}: DATASET.TABLE    # where your {table} lives"),
            )
        }
    }

    /// `table` must be there; else the verdict fails.
    fn need(&self, verdict: &mut Verdict, table: TableKind, fixes: &mut Fixes) {
        if !self.usable(table) {
            let reason = self
                .check(table)
                .and_then(|c| c.error.clone())
                .unwrap_or_else(|| "not found".to_string());
            let fix = self.table_fix(table, fixes);
            verdict.note(
                FeatureStatus::Fails,
                format!("no {table} ({reason})"),
                Some(fix),
            );
        }
    }

    /// Without `table` the feature works without `what`.
    fn want(&self, verdict: &mut Verdict, table: TableKind, what: &str, fixes: &mut Fixes) {
        if !self.usable(table) {
            let fix = self.table_fix(table, fixes);
            verdict.note(
                FeatureStatus::WorksWithout,
                format!("{what} (no {table})"),
                Some(fix),
            );
        }
    }

    /// courtside's diagnostics columns the table lacks, and their fix.
    fn diagnostics_columns(&self, fixes: &mut Fixes) -> Option<(Vec<&'static str>, usize)> {
        let check = self.check(TableKind::Diagnostics).filter(|c| c.usable())?;
        let lacking = check.lacking(&ADDED_DIAGNOSTICS_COLUMNS);
        if lacking.is_empty() {
            return None;
        }
        let statements: Vec<String> = lacking
            .iter()
            .filter_map(|name| {
                let index = TableKind::Diagnostics.column_index(name)?;
                let column = TableKind::Diagnostics.columns()[index];
                Some(
                    SetupStep::AddColumn(TableKind::Diagnostics, column)
                        .statement(self.dialect, self.names)
                        + ";",
                )
            })
            .collect();
        Some((lacking, fixes.add(FixKind::Ddl, statements.join("\n"))))
    }

    /// The day-stats commands: `prediction_accuracy`, the day stats, the tiers
    /// from `player_game_summary`, and the line sources mapped.
    fn day_pass(&self, verdict: &mut Verdict, fixes: &mut Fixes) {
        self.need(verdict, TableKind::PredictionAccuracy, fixes);
        if let Some(error) = &self.data.day_stats_error {
            let fix = (!self.usable(TableKind::PlayerGameSummary))
                .then(|| self.table_fix(TableKind::PlayerGameSummary, fixes));
            verdict.note(
                FeatureStatus::Fails,
                format!("the day stats fail: {error}"),
                fix,
            );
            return;
        }
        self.want(
            verdict,
            TableKind::PlayerGameSummary,
            "player tiers and shot-zone completeness",
            fixes,
        );
        if !self.data.unknown_line_sources.is_empty() {
            let values: Vec<String> = self
                .data
                .unknown_line_sources
                .iter()
                .map(|(value, rows)| format!("{value} ({rows} rows)"))
                .collect();
            let fix = fixes.add(FixKind::Config, self.line_sources_line());
            verdict.note(
                FeatureStatus::WorksWithout,
                format!(
                    "unmapped line_source {}: left out of every line-kind figure \
                     (the fix lists it as a real line; put it under estimated or \
                     none if it is one of those)",
                    values.join(", ")
                ),
                Some(fix),
            );
        }
    }

    /// The config line that maps the unmapped line sources, as actual lines
    /// (the reason says to move each to `estimated` or `none` if that is
    /// what it is).
    fn line_sources_line(&self) -> String {
        let mut actual = self.line_sources.actual.clone();
        actual.extend(self.data.unknown_line_sources.keys().cloned());
        format!(
            "line_sources: {{actual: [{}], estimated: [{}], none: [{}]}}",
            actual.join(", "),
            self.line_sources.estimated.join(", "),
            self.line_sources.none.join(", ")
        )
    }
}

/// Every command and tab with its verdict, and the fixes they name.
pub fn features(inputs: &Inputs) -> (Vec<Feature>, Vec<Fix>) {
    use TableKind::*;
    let mut fixes = Fixes::default();
    let mut out = Vec::new();
    let mut push = |name: &str, verdict: Verdict| {
        out.push(Feature {
            name: name.to_string(),
            status: verdict.status,
            reasons: verdict.reasons,
            fixes: verdict.fixes,
        });
    };
    for name in [
        "diag, backfill, watch, alerts",
        "splits",
        "tabs 1 Overview, 2 Sharpness, 3 Drift, 7 Splits (and snapshot)",
    ] {
        let mut verdict = Verdict::new();
        inputs.day_pass(&mut verdict, &mut fixes);
        push(name, verdict);
    }
    let mut persist = Verdict::new();
    inputs.need(&mut persist, Diagnostics, &mut fixes);
    if let Some((lacking, fix)) = inputs.diagnostics_columns(&mut fixes) {
        persist.note(
            FeatureStatus::Fails,
            format!("{} lacks {}", Diagnostics, lacking.join(", ")),
            Some(fix),
        );
    }
    if let Some(check) = inputs.check(Diagnostics)
        && !check.extra_required.is_empty()
    {
        persist.note(
            FeatureStatus::Fails,
            format!(
                "{} has NOT NULL columns courtside does not write: {}",
                Diagnostics,
                check.extra_required.join(", ")
            ),
            None,
        );
    }
    push("diag/backfill/watch --persist", persist);
    let mut history = Verdict::new();
    inputs.need(&mut history, Diagnostics, &mut fixes);
    if let Some((lacking, fix)) = inputs.diagnostics_columns(&mut fixes) {
        history.note(
            FeatureStatus::WorksWithout,
            format!(
                "courtside's columns ({}): the team's columns only",
                lacking.join(", ")
            ),
            Some(fix),
        );
    }
    push("history", history);
    // Game day (metrics.md 5b and 17, Rev. 3): every table optional, each
    // named with what it adds.
    let mut game_day = Verdict::new();
    for (table, what) in [
        (
            PlayerPropPredictions,
            "the slate and the coverage verdict (not predicted, not graded, no lines)",
        ),
        (Schedule, "games, tip-offs and the pre-game rules"),
        (
            LineSnapshots,
            "players with a line from the books, line ages",
        ),
        (
            SlateContext,
            "the slate's players and the `not on the slate` reason",
        ),
    ] {
        inputs.want(&mut game_day, table, what, &mut fixes);
    }
    push("slate, tab 8 Tonight, watch's game-day rules", game_day);
    let mut read = Verdict::new();
    inputs.need(&mut read, Experiments, &mut fixes);
    inputs.want(
        &mut read,
        BacktestPredictions,
        "population fingerprints",
        &mut fixes,
    );
    push("exp list, best, compare", read.clone_verdict());
    inputs.want(&mut read, ExperimentEvents, "the audit trail", &mut fixes);
    push("exp show, tab 4 Experiments", read);
    let mut trail = Verdict::new();
    inputs.need(&mut trail, ExperimentEvents, &mut fixes);
    push("exp history", trail);
    let mut change = Verdict::new();
    inputs.need(&mut change, Experiments, &mut fixes);
    inputs.want(
        &mut change,
        ExperimentEvents,
        "an audit trail: status changes go unrecorded",
        &mut fixes,
    );
    push(
        "exp register, start, complete, fail, promote, archive",
        change.clone_verdict(),
    );
    inputs.want(
        &mut change,
        BacktestPredictions,
        "backtest rows",
        &mut fixes,
    );
    push("exp import", change);
    let mut approve = Verdict::new();
    inputs.need(&mut approve, Experiments, &mut fixes);
    inputs.need(&mut approve, ExperimentEvents, &mut fixes);
    push("exp approve, rollback", approve);
    let mut gap = Verdict::new();
    for table in [PredictionAccuracy, Experiments, BacktestPredictions] {
        inputs.need(&mut gap, table, &mut fixes);
    }
    push("gap, tab 5 Backtest gap", gap);
    let mut versus = Verdict::new();
    inputs.need(&mut versus, PredictionAccuracy, &mut fixes);
    inputs.want(
        &mut versus,
        BacktestPredictions,
        "experiments as a side",
        &mut fixes,
    );
    push("versus, tab 6 Versus", versus);
    (out, fixes.list)
}

impl Verdict {
    fn clone_verdict(&self) -> Verdict {
        Verdict {
            status: self.status,
            reasons: self.reasons.clone(),
            fixes: self.fixes.clone(),
        }
    }
}
