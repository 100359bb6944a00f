//! Fetch-then-compute: the one place where a source's day stats become
//! diagnostics. The CLI and the dashboard both call these functions, so they
//! show the same numbers.

pub mod alerts;
pub mod approval;
pub mod clv;
pub mod comparisons;
pub mod doctor;
pub mod doctor_features;
pub mod doctor_report;
pub mod game_day;
pub mod promote;
pub mod registry_changes;
pub mod roles;
pub mod systems_strip;
pub mod warehouse_setup;

use crate::config::Thresholds;
use crate::diagnostics::gap::{self, GapReport};
use crate::diagnostics::{self, DayIndex};
use crate::model::rows::ExperimentRow;
use crate::model::{DayStatsBundle, Diagnostics};
use crate::source::{DayStatsQuery, Source};
use anyhow::{Result, bail};
use chrono::{NaiveDate, Utc};

/// The loaded config and the opened source: what every command and the
/// dashboard run against.
pub struct Context {
    pub config: crate::config::Config,
    pub source: std::sync::Arc<dyn Source>,
}

/// Checks that `system` has predictions; the error lists the systems that do.
pub async fn check_system(source: &dyn Source, system: &str) -> Result<()> {
    let systems = source.systems().await?;
    // The list may leave out a system silent for a long time (BigQuery lists
    // the last year's); one with graded rows at all is still accepted.
    if !systems.iter().any(|known| known == system)
        && source.latest_date(Some(system)).await?.is_none()
    {
        if systems.is_empty() {
            bail!("no predictions in the source at all");
        }
        bail!(
            "unknown system `{system}` (systems with predictions: {})",
            systems.join(", ")
        );
    }
    Ok(())
}

/// The latest date with graded rows of `system` (`None` before any): the
/// CLI's default date, and the date the dashboard opens on and follows.
pub async fn latest_date(source: &dyn Source, system: &str) -> Result<Option<NaiveDate>> {
    source.latest_date(Some(system)).await
}

/// The analysis date when none is given: the latest date with graded rows.
pub async fn default_date(source: &dyn Source, system: &str) -> Result<NaiveDate> {
    match latest_date(source, system).await? {
        Some(date) => Ok(date),
        None => bail!("no graded predictions for `{system}`"),
    }
}

/// Fetches what `from ..= to` needs for `systems`, in one query: the
/// lookback of the windows, and the drift detector's history from its start.
pub async fn fetch_range(
    source: &dyn Source,
    from: NaiveDate,
    to: NaiveDate,
    systems: Option<Vec<String>>,
    thresholds: &Thresholds,
) -> Result<DayStatsBundle> {
    let start =
        diagnostics::fetch_start(from, thresholds).min(diagnostics::detector_start(thresholds));
    let query = DayStatsQuery::new(start, to, systems, thresholds);
    let mut bundle = source.day_stats(&query).await?;
    game_day::attach_pregame(source, &mut bundle, from, to, &thresholds.line_sources).await?;
    bundle.promotions = promotion_marks(source, thresholds).await;
    Ok(bundle)
}

/// Each system's current promotion (metrics.md section 19), from the
/// registry; none when it cannot be read (the rest of the figures do not
/// depend on it, so a registry fault never blinds a command: it is logged).
pub async fn promotion_marks(
    source: &dyn Source,
    thresholds: &Thresholds,
) -> Vec<crate::model::experiment::PromotionMark> {
    let read = async {
        let (rows, events) = source.promotion_history().await?;
        anyhow::Ok(crate::registry::promotion::promotion_marks(
            &rows,
            &events,
            &thresholds.production_system,
        ))
    };
    read.await.unwrap_or_else(|error| {
        tracing::warn!("since promotion: the registry did not read: {error:#}");
        Vec::new()
    })
}

/// Finds an experiment by id, unique id prefix, or name.
pub fn find_experiment<'a>(
    experiments: &'a [ExperimentRow],
    selector: &str,
) -> Result<&'a ExperimentRow> {
    if let Some(found) = experiments.iter().find(|e| e.experiment_id == selector) {
        return Ok(found);
    }
    let named: Vec<&ExperimentRow> = experiments
        .iter()
        .filter(|e| e.experiment_name == selector)
        .collect();
    match named.as_slice() {
        [one] => return Ok(one),
        [] => {}
        many => bail!(
            "{} experiments share the name `{selector}` ({}): give the id",
            many.len(),
            many.iter()
                .map(|e| format!("{} {}", e.experiment_id, e.status))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
    let matches: Vec<&ExperimentRow> = experiments
        .iter()
        .filter(|e| !selector.is_empty() && e.experiment_id.starts_with(selector))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => bail!("no experiment with id, id prefix or name `{selector}`"),
        many => bail!(
            "`{selector}` matches {} experiments ({}); give more of the id",
            many.len(),
            many.iter()
                .map(|e| e.experiment_name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The production system an experiment is compared with: `--system`, else its
/// config's `target_system`, else the configured production system.
pub fn target_system(experiment: &ExperimentRow, system: Option<&str>, production: &str) -> String {
    system.map_or_else(
        || crate::registry::promotion::target_system(experiment, production),
        str::to_string,
    )
}

/// The backtest-vs-production analysis of `experiment` against `system` over
/// its evaluation period: one query per side.
pub async fn gap(
    source: &dyn Source,
    experiment: &ExperimentRow,
    system: &str,
    thresholds: &Thresholds,
) -> Result<GapReport> {
    let period = experiment.eval_period.as_ref();
    let (Some(from), Some(to)) = (
        period.and_then(|p| p.start_date),
        period.and_then(|p| p.end_date),
    ) else {
        bail!(
            "experiment {} has no evaluation period",
            experiment.experiment_name
        );
    };
    let rules = crate::model::rows::BetRules {
        edge_threshold: thresholds.edge_threshold.get(),
        line_sources: thresholds.line_sources.clone(),
    };
    let backtest = source
        .backtest_rows(&experiment.experiment_id, &rules)
        .await?;
    let production = source.production_rows(system, from, to, &rules).await?;
    Ok(gap::analyse(&backtest, &production, thresholds))
}

/// One day's diagnostics for one system.
pub async fn diagnose_day(
    source: &dyn Source,
    date: NaiveDate,
    system: &str,
    thresholds: &Thresholds,
) -> Result<Diagnostics> {
    let bundle = fetch_range(
        source,
        date,
        date,
        Some(vec![system.to_string()]),
        thresholds,
    )
    .await?;
    let index = DayIndex::new(&bundle);
    Ok(diagnostics::diagnose(
        &index,
        system,
        date,
        thresholds,
        Utc::now(),
    ))
}

/// One day's diagnostics for each `(system, date)`, from one fetch of all
/// the systems over the dates' span (one pass over the rows, not one each).
pub async fn diagnose_days(
    source: &dyn Source,
    days: &[(String, NaiveDate)],
    thresholds: &Thresholds,
) -> Result<Vec<Diagnostics>> {
    let (Some(from), Some(to)) = (
        days.iter().map(|(_, date)| *date).min(),
        days.iter().map(|(_, date)| *date).max(),
    ) else {
        return Ok(Vec::new());
    };
    let systems: Vec<String> = days.iter().map(|(system, _)| system.clone()).collect();
    let bundle = fetch_range(source, from, to, Some(systems), thresholds).await?;
    let index = DayIndex::new(&bundle);
    let now = Utc::now();
    let mut all = Vec::with_capacity(days.len());
    for (system, date) in days {
        let mut d = diagnostics::diagnose(&index, system, *date, thresholds, now);
        d.clv = day_clv(source, system, *date, thresholds).await;
        all.push(d);
    }
    Ok(all)
}

/// Closing line value of `system` over the window ending at `date`; `None`
/// when its query fails (logged): the close never blinds the day's figures.
pub async fn day_clv(
    source: &dyn Source,
    system: &str,
    date: NaiveDate,
    thresholds: &Thresholds,
) -> Option<crate::model::clv::ClvReport> {
    let (from, to) = clv::window_of(date, thresholds);
    clv::clv_report(source, system, from, to, thresholds)
        .await
        .map_err(|error| tracing::warn!("closing line value of {system} not read: {error:#}"))
        .ok()
}

/// Diagnostics for every game date of each of `systems` in `from ..= to`,
/// from one fetch of them all; system by system, dates in order.
pub async fn diagnose_game_dates_of(
    source: &dyn Source,
    from: NaiveDate,
    to: NaiveDate,
    systems: &[String],
    thresholds: &Thresholds,
) -> Result<Vec<Diagnostics>> {
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let bundle = fetch_range(source, from, to, Some(systems.to_vec()), thresholds).await?;
    let index = DayIndex::new(&bundle);
    let now = Utc::now();
    Ok(systems
        .iter()
        .flat_map(|system| {
            diagnostics::diagnose_game_dates(&index, system, from, to, thresholds, now)
        })
        .collect())
}

/// The persisted diagnostics of `from ..= to`, one row per (date, system):
/// a legacy row without a system reads as the production system's, and
/// where the production system also has a row of its own for that date the
/// more recently computed one is shown (`--persist` writes that one).
pub async fn history(
    source: &dyn Source,
    from: NaiveDate,
    to: NaiveDate,
    system: Option<&str>,
    production: &str,
) -> Result<Vec<crate::model::diagnostics::DiagnosticsRow>> {
    let rows = source
        .diagnostics_history(from, to, system, production)
        .await?;
    Ok(one_per_date_and_system(rows))
}

/// Keeps the most recently computed row of each (date, system), in order.
pub fn one_per_date_and_system(
    rows: Vec<crate::model::diagnostics::DiagnosticsRow>,
) -> Vec<crate::model::diagnostics::DiagnosticsRow> {
    let mut kept: Vec<crate::model::diagnostics::DiagnosticsRow> = Vec::with_capacity(rows.len());
    for row in rows {
        match kept
            .iter_mut()
            .rev()
            .take_while(|other| other.game_date == row.game_date)
            .find(|other| other.system_id == row.system_id)
        {
            Some(other) if other.computed_at < row.computed_at => *other = row,
            Some(_) => {}
            None => kept.push(row),
        }
    }
    kept
}

/// Diagnostics for every game date of `system` in `from ..= to`, from one fetch.
pub async fn diagnose_game_dates(
    source: &dyn Source,
    from: NaiveDate,
    to: NaiveDate,
    system: &str,
    thresholds: &Thresholds,
) -> Result<Vec<Diagnostics>> {
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let bundle = fetch_range(source, from, to, Some(vec![system.to_string()]), thresholds).await?;
    let index = DayIndex::new(&bundle);
    Ok(diagnostics::diagnose_game_dates(
        &index,
        system,
        from,
        to,
        thresholds,
        Utc::now(),
    ))
}
