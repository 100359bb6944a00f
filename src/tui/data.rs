//! The fetch tasks behind `Effect::Fetch`: they run on the async layer, call
//! the same library functions as the CLI, and answer with a payload.

use super::action::{DashboardData, ExperimentsData, Selection};
use crate::config::Thresholds;
use crate::diagnostics::{self, DayIndex};
use crate::model::DayStatsBundle;
use crate::service;
use crate::source::Source;
use anyhow::Result;
use chrono::{DateTime, Days, NaiveDate, Utc};
use std::collections::HashSet;

/// Calendar days of history the trend charts and sparklines show.
pub const TREND_DAYS: u64 = 60;

/// The selection's diagnostics and every system's trend, from one fetch.
pub async fn load_dashboard(
    source: &dyn Source,
    selection: &Selection,
    thresholds: &Thresholds,
) -> Result<DashboardData> {
    let systems = source.systems().await?;
    let start = trend_start(selection.date);
    let version = source.data_version().await?;
    let bundle = service::fetch_range(source, start, selection.date, None, thresholds).await?;
    let mut dashboard = build_dashboard(&bundle, selection, systems, thresholds, Utc::now());
    dashboard.version = version;
    Ok(dashboard)
}

/// The first date of the trend window ending at `date`.
pub fn trend_start(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(TREND_DAYS - 1))
        .unwrap_or(date)
}

/// Computes the dashboard from fetched day stats (pure; the tests use it directly).
pub fn build_dashboard(
    bundle: &DayStatsBundle,
    selection: &Selection,
    systems: Vec<String>,
    thresholds: &Thresholds,
    now: DateTime<Utc>,
) -> DashboardData {
    let start = trend_start(selection.date);
    let index = DayIndex::new(bundle);
    let diagnostics =
        diagnostics::diagnose(&index, &selection.system, selection.date, thresholds, now);
    let series = systems
        .iter()
        .map(|system| {
            let game_dates: HashSet<_> = index.dates(system).into_iter().collect();
            let days = start
                .iter_days()
                .take_while(|day| *day <= selection.date)
                .map(|day| {
                    let value = game_dates
                        .contains(&day)
                        .then(|| diagnostics::diagnose(&index, system, day, thresholds, now));
                    (day, value)
                })
                .collect();
            (system.clone(), days)
        })
        .collect();
    DashboardData {
        selection: selection.clone(),
        systems,
        diagnostics,
        series,
        version: None,
    }
}

/// The registry and its audit trail.
pub async fn load_experiments(source: &dyn Source) -> Result<ExperimentsData> {
    let version = source.data_version().await?;
    Ok(ExperimentsData {
        experiments: source.experiments().await?,
        events: source.experiment_events(None).await?,
        version,
    })
}
