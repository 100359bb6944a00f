//! Fetch-then-compute: the one place where a source's day stats become
//! diagnostics. The CLI and the dashboard both call these functions, so they
//! show the same numbers.

use crate::config::Thresholds;
use crate::diagnostics::{self, DayIndex};
use crate::model::{DayStatsBundle, Diagnostics};
use crate::source::{DayStatsQuery, Source};
use anyhow::{Result, bail};
use chrono::{NaiveDate, Utc};

/// Checks that `system` has predictions; the error lists the systems that do.
pub async fn check_system(source: &dyn Source, system: &str) -> Result<()> {
    let systems = source.systems().await?;
    if !systems.iter().any(|known| known == system) {
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

/// The analysis date when none is given: the latest date with graded rows.
pub async fn default_date(source: &dyn Source, system: &str) -> Result<NaiveDate> {
    match source.latest_date(Some(system)).await? {
        Some(date) => Ok(date),
        None => bail!("no graded predictions for `{system}`"),
    }
}

/// Fetches what `from ..= to` needs (with the lookback) for `systems`, in one query.
pub async fn fetch_range(
    source: &dyn Source,
    from: NaiveDate,
    to: NaiveDate,
    systems: Option<Vec<String>>,
    thresholds: &Thresholds,
) -> Result<DayStatsBundle> {
    let query = DayStatsQuery::new(
        diagnostics::fetch_start(from, thresholds),
        to,
        systems,
        thresholds,
    );
    source.day_stats(&query).await
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
