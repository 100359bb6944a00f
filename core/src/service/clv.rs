//! Closing line value of a system over a window (metrics.md section 18):
//! one query of the bets with their closes, then the report. The CLI's
//! `clv`, `diag --json`'s `clv` and the Overview all come from here.

use crate::config::Thresholds;
use crate::diagnostics::clv;
use crate::model::clv::ClvReport;
use crate::source::Source;
use crate::source::clv_sql::ClvQuery;
use anyhow::Result;
use chrono::{Days, NaiveDate};

/// The window a day's CLV covers: the `splits_days` (30) days ending at `date`.
pub fn window_of(date: NaiveDate, thresholds: &Thresholds) -> (NaiveDate, NaiveDate) {
    let days = u64::from(thresholds.splits_days.0.max(1));
    let from = date.checked_sub_days(Days::new(days - 1)).unwrap_or(date);
    (from, date)
}

/// The report of `system` over `from ..= to`.
pub async fn clv_report(
    source: &dyn Source,
    system: &str,
    from: NaiveDate,
    to: NaiveDate,
    thresholds: &Thresholds,
) -> Result<ClvReport> {
    let query = ClvQuery {
        system: system.to_string(),
        from,
        to,
        edge_threshold: thresholds.edge_threshold.get(),
    };
    let bets = source.clv_bets(&query).await?;
    Ok(clv::report(system, from, to, bets.as_deref(), thresholds))
}
