//! Game day (metrics.md sections 5b and 17, Rev. 3): the pre-game days a
//! diagnostics fetch carries, and the slate of a date. The CLI (`slate`,
//! `watch`) and the dashboard's Tonight tab call these, so they show the
//! same numbers.

use crate::config::Config;
use crate::diagnostics;
use crate::model::DayStatsBundle;
use crate::model::game_day::Slate;
use crate::source::Source;
use anyhow::Result;
use chrono::{DateTime, Days, NaiveDate, Utc};

/// Days before a diagnosed range whose gaps the 7-day window names.
const WINDOW_BEFORE_DAYS: u64 = 7;

/// Adds the pre-game days of `from ..= to` (and the week before, which the
/// 7-day window's missing dates look at) to `bundle`; nothing without the
/// tables.
pub async fn attach_pregame(
    source: &dyn Source,
    bundle: &mut DayStatsBundle,
    from: NaiveDate,
    to: NaiveDate,
    line_sources: &crate::model::LineSources,
) -> Result<()> {
    let start = from
        .checked_sub_days(Days::new(WINDOW_BEFORE_DAYS))
        .unwrap_or(from);
    bundle.pregame = source.pregame_days(start, to, line_sources).await?;
    if let Some(pregame) = bundle.pregame.as_mut() {
        let registered = source.model_registry().await?.unwrap_or_default();
        pregame.first_days.extend(
            registered
                .into_iter()
                .filter_map(|model| Some((model.model_id, model.created_on?))),
        );
    }
    Ok(())
}

/// The game date `now` falls on in the config's time zone.
pub fn today(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    config.game_day.today(now)
}

pub use crate::config::game_day::clock;

/// The systems a slate lists: the enabled models of `model_registry`, else
/// the systems with predictions or graded rows in the 7 days to the date.
async fn slate_systems(source: &dyn Source, recent: &[String]) -> Result<Vec<String>> {
    let enabled: Vec<String> = source
        .model_registry()
        .await?
        .unwrap_or_default()
        .into_iter()
        .filter(|model| model.enabled == Some(true))
        .map(|model| model.model_id)
        .collect();
    let mut systems = if enabled.is_empty() {
        recent.to_vec()
    } else {
        enabled
    };
    systems.sort();
    systems.dedup();
    Ok(systems)
}

/// The slate of `date` as it stood at `now`.
pub async fn slate(
    source: &dyn Source,
    rules: &crate::config::GameDay,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Slate> {
    let inputs = source.slate_inputs(date, now).await?;
    let systems = slate_systems(source, &inputs.recent_systems).await?;
    Ok(diagnostics::slate::slate(
        date, now, &inputs, &systems, rules,
    ))
}
