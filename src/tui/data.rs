//! The fetch tasks behind `Effect::Fetch`: they run on the async layer, call
//! the same library functions as the CLI, and answer with a payload.

use super::action::{
    ComparisonData, DRILL_DAYS, DashboardData, ExperimentsData, Fetch, GapData, Payload, Selection,
    SplitsData, TonightData, VersusData,
};
use crate::config::Thresholds;
use crate::diagnostics::{self, DayIndex, coverage, drift};
use crate::model::DayStatsBundle;
use crate::service;
use crate::service::systems_strip;
use crate::source::{DayStatsQuery, Source};
use anyhow::Result;
use chrono::{DateTime, Days, NaiveDate, Utc};
use std::collections::HashSet;

/// Calendar days of history the trend charts and sparklines show.
pub const TREND_DAYS: u64 = 60;

/// The selection's diagnostics and its trend, from one fetch of its system.
pub async fn load_dashboard(
    source: &dyn Source,
    selection: &Selection,
    production_system: &str,
    thresholds: &Thresholds,
) -> Result<DashboardData> {
    let bytes_before = source.bytes_processed();
    let billed_before = source.bytes_billed();
    let version = source.data_version().await?;
    let systems = source.systems().await?;
    // Read on every fetch, refreshes included, for the dashboard to follow
    // (on BigQuery the systems' look-up just made answers it).
    let latest_date = service::latest_date(source, &selection.system).await?;
    let start = trend_start(selection.date);
    // Every system in the one fetch: the systems strip is computed from the
    // same rows as the selected system's figures.
    let bundle = service::fetch_range(source, start, selection.date, None, thresholds).await?;
    let now = service::game_day::clock();
    let mut dashboard = build_dashboard(&bundle, selection, thresholds, now);
    // The same closing line value as `diag` (one query).
    dashboard.diagnostics.clv =
        service::day_clv(source, &selection.system, selection.date, thresholds).await;
    let shadows = service::roles::registry_roles(source).await?.shadows;
    let order = systems_strip::strip_order(&systems, production_system, &shadows);
    dashboard.glance = systems_strip::build(&bundle, &order, selection.date, thresholds, now);
    // The same figures as `courtside alerts`, at the volume of the day stats
    // just fetched (no extra query); each scenario is simulated once.
    if let Some(volume) = service::alerts::volume_of(&DayIndex::new(&bundle), &selection.system) {
        dashboard.odds = service::alerts::alert_figures(
            source,
            &selection.system,
            Some(volume),
            None,
            thresholds,
        )
        .await
        .ok();
    }
    dashboard.systems = systems;
    dashboard.latest_date = latest_date;
    dashboard.version = version;
    dashboard.bytes_processed = source
        .bytes_processed()
        .zip(bytes_before)
        .map(|(after, before)| after.saturating_sub(before));
    dashboard.billed_total = source.bytes_billed();
    dashboard.bytes_billed = dashboard
        .billed_total
        .zip(billed_before)
        .map(|(after, before)| after.saturating_sub(before));
    Ok(dashboard)
}

/// The first date of the trend window ending at `date`.
pub fn trend_start(date: NaiveDate) -> NaiveDate {
    date.checked_sub_days(Days::new(TREND_DAYS - 1))
        .unwrap_or(date)
}

/// The calendar days of the trend window ending at `end`.
fn trend_days(end: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    trend_start(end)
        .iter_days()
        .take_while(move |day| *day <= end)
}

/// Each trend day of `system`: `Some(value)` on its game dates, `None` otherwise.
fn trend<T>(
    index: &DayIndex,
    system: &str,
    end: NaiveDate,
    value: impl Fn(NaiveDate) -> T,
) -> Vec<(NaiveDate, Option<T>)> {
    let game_dates: HashSet<_> = index.dates(system).into_iter().collect();
    trend_days(end)
        .map(|day| (day, game_dates.contains(&day).then(|| value(day))))
        .collect()
}

/// Computes the selected system's dashboard from fetched day stats (pure).
pub fn build_dashboard(
    bundle: &DayStatsBundle,
    selection: &Selection,
    thresholds: &Thresholds,
    now: DateTime<Utc>,
) -> DashboardData {
    let index = DayIndex::new(bundle);
    let system = &selection.system;
    let diagnose = |day| diagnostics::diagnose(&index, system, day, thresholds, now);
    let clock = coverage::GapClock {
        now,
        rules: &thresholds.game_day,
    };
    DashboardData {
        selection: selection.clone(),
        systems: vec![system.clone()],
        diagnostics: diagnose(selection.date),
        series: vec![(
            system.clone(),
            trend(&index, system, selection.date, diagnose),
        )],
        day_kinds: trend_days(selection.date)
            .map(|day| (day, coverage::day_kind(&index, system, day, clock)))
            .collect(),
        detector: diagnostics::detector(&index, system, selection.date, thresholds).map(
            |(report, path)| {
                let start = trend_start(selection.date);
                let shown = path.into_iter().filter(|day| day.game_date >= start);
                (report, shown.collect())
            },
        ),
        odds: None,
        days: drill_days(&index, std::slice::from_ref(system), selection.date, clock),
        bytes_processed: None,
        bytes_billed: None,
        billed_total: None,
        latest_date: None,
        version: None,
        glance: Vec::new(),
        silences: Ok(Vec::new()),
        last_change: Ok(None),
    }
}

/// Adds to a dashboard payload the selected system's silences running at
/// `now` (kept by the source) and its last change from the timeline `watch`
/// keeps in the store `state` (none without one).
pub async fn add_silences(
    payload: &mut Payload,
    source: &dyn crate::source::Source,
    state: Option<&std::path::Path>,
    now: DateTime<Utc>,
) {
    let Payload::Dashboard(data) = payload else {
        return;
    };
    let system = data.selection.system.clone();
    data.silences = source
        .silences()
        .await
        .map(|all| crate::model::silence::active_of(all, &system, now))
        .map_err(|error| format!("silences unreadable: {error:#}"));
    if let Some(state) = state {
        data.last_change = crate::source::embedded::recent_events(state, &system)
            .map(|events| crate::model::silence::last_change_sentence(&events))
            .map_err(|error| format!("the alert timeline is unreadable: {error:#}"));
    }
}

/// The last [`DRILL_DAYS`] days of `systems` ending at `date`, in counts.
fn drill_days(
    index: &DayIndex,
    systems: &[String],
    date: NaiveDate,
    clock: coverage::GapClock,
) -> Vec<crate::model::detector::DayCounts> {
    let start = date
        .checked_sub_days(Days::new(DRILL_DAYS - 1))
        .unwrap_or(date);
    start
        .iter_days()
        .take_while(|day| *day <= date)
        .flat_map(|day| {
            systems
                .iter()
                .map(move |system| coverage::day_counts(index, system, day, clock))
        })
        .collect()
}

/// The other systems' 7-day hit rates over the trend window, from one fetch.
pub async fn load_comparison(
    source: &dyn Source,
    selection: &Selection,
    thresholds: &Thresholds,
) -> Result<ComparisonData> {
    let version = source.data_version().await?;
    let shadows = service::roles::registry_roles(source).await?.shadows;
    let others = service::roles::others(&source.systems().await?, &selection.system, &shadows);
    if others.is_empty() {
        return Ok(ComparisonData {
            selection: selection.clone(),
            series: Vec::new(),
            on_date: Vec::new(),
            days: Vec::new(),
            version,
        });
    }
    // A 7-day window needs only the six days before the trend starts.
    let from = trend_start(selection.date)
        .checked_sub_days(Days::new(6))
        .unwrap_or(selection.date);
    let query = DayStatsQuery::new(from, selection.date, Some(others.clone()), thresholds);
    let mut bundle = source.day_stats(&query).await?;
    service::game_day::attach_pregame(
        source,
        &mut bundle,
        from,
        selection.date,
        &thresholds.line_sources,
    )
    .await?;
    let mut comparison = build_comparison(&bundle, selection, &others, thresholds);
    comparison.version = version;
    Ok(comparison)
}

/// Computes the comparison rows from fetched day stats (pure).
pub fn build_comparison(
    bundle: &DayStatsBundle,
    selection: &Selection,
    systems: &[String],
    thresholds: &Thresholds,
) -> ComparisonData {
    let index = DayIndex::new(bundle);
    let series = systems
        .iter()
        .map(|system| {
            let rate = |day| drift::hit_rate(&index, system, day, 7, thresholds);
            (system.clone(), trend(&index, system, selection.date, rate))
        })
        .collect();
    // The figure of the selected date, game day or not: the same window
    // `diag --date` pools (empty once a system's data has ended).
    let on_date = systems
        .iter()
        .map(|system| {
            let rate = drift::hit_rate(&index, system, selection.date, 7, thresholds);
            (system.clone(), rate)
        })
        .collect();
    ComparisonData {
        selection: selection.clone(),
        series,
        on_date,
        // Only "not graded" reads the clock (games final past the grace).
        days: drill_days(
            &index,
            systems,
            selection.date,
            coverage::GapClock {
                now: service::game_day::clock(),
                rules: &thresholds.game_day,
            },
        ),
        version: None,
    }
}

/// Tonight's slate: today in the config's time zone at the game-day clock,
/// so at local midnight the tab moves to the new game date by itself.
pub async fn load_tonight(source: &dyn Source, thresholds: &Thresholds) -> Result<TonightData> {
    let now = service::game_day::clock();
    let rules = &thresholds.game_day;
    let today = rules.today(now);
    let slate = service::game_day::slate(source, rules, today, now).await?;
    let before_games = matches!(
        slate.phase,
        crate::model::game_day::SlatePhase::NoGames | crate::model::game_day::SlatePhase::Pregame
    );
    let last_night = match today.pred_opt() {
        Some(yesterday) if before_games => {
            Some(service::game_day::slate(source, rules, yesterday, now).await?)
                .filter(|night| !night.games.is_empty())
        }
        _ => None,
    };
    Ok(TonightData { slate, last_night })
}

/// The registry, its audit trail, and which experiments have a backtest.
pub async fn load_experiments(
    source: &dyn Source,
    thresholds: &Thresholds,
) -> Result<ExperimentsData> {
    let version = source.data_version().await?;
    let fingerprints = source
        .backtest_fingerprints(&thresholds.line_sources)
        .await?;
    let experiments = source.experiments().await?;
    let events = source.experiment_events(None).await?;
    Ok(ExperimentsData {
        experiments,
        events,
        // What the source left out (a missing table), one line each.
        notes: source.notes(),
        with_backtest: fingerprints
            .iter()
            .map(|f| f.experiment_id.clone())
            .collect(),
        fingerprints,
        version,
    })
}

/// The backtest-vs-production analysis of one experiment.
pub async fn load_gap(
    source: &dyn Source,
    experiment_id: &str,
    production_system: &str,
    thresholds: &Thresholds,
) -> Result<GapData> {
    let version = source.data_version().await?;
    let experiments = source.experiments().await?;
    let experiment = service::find_experiment(&experiments, experiment_id)?;
    let system = service::target_system(experiment, None, production_system);
    let report = service::gap(source, experiment, &system, thresholds).await?;
    let period = experiment
        .eval_period
        .map(|p| {
            format!(
                "{} to {}",
                p.start_date.map_or("?".to_string(), |d| d.to_string()),
                p.end_date.map_or("?".to_string(), |d| d.to_string())
            )
        })
        .unwrap_or_default();
    Ok(GapData {
        experiment_id: experiment.experiment_id.clone(),
        experiment_name: experiment.experiment_name.clone(),
        system,
        eval_period: period,
        report,
        version,
    })
}

/// The selected system against `challenger` (default: a shadow system, else
/// another system): the 30 days ending at the date, or the challenger
/// experiment's evaluation period; the same function as `courtside versus`.
pub async fn load_versus(
    source: &dyn Source,
    selection: &Selection,
    challenger: Option<&str>,
    judging: service::comparisons::Judging<'_>,
) -> Result<VersusData> {
    let version = source.data_version().await?;
    let challenger = match challenger.filter(|chosen| *chosen != selection.system) {
        Some(chosen) => chosen.to_string(),
        None => {
            let systems = source.systems().await?;
            let shadows = service::roles::registry_roles(source).await?.shadows;
            match service::roles::default_challenger(&systems, &selection.system, &shadows) {
                Some(found) => found,
                None => anyhow::bail!("no other system to compare {} with", selection.system),
            }
        }
    };
    let experiments = source.experiments().await?;
    let (a, _) =
        service::comparisons::resolve_side(source, &experiments, &selection.system).await?;
    let (b, experiment) =
        service::comparisons::resolve_side(source, &experiments, &challenger).await?;
    let (from, to) = match experiment {
        Some(_) => {
            service::comparisons::versus_window(
                source,
                [(&a, None), (&b, experiment.as_ref())],
                None,
                None,
            )
            .await?
        }
        None => (
            selection
                .date
                .checked_sub_days(Days::new(service::comparisons::VERSUS_DAYS - 1))
                .unwrap_or(selection.date),
            selection.date,
        ),
    };
    let report = service::comparisons::versus_of(source, judging, a, b, from, to).await?;
    Ok(VersusData {
        selection: selection.clone(),
        challenger,
        report,
        version,
    })
}

/// The selected system's splits over the configured days ending at the
/// date; the same function as `courtside splits`.
pub async fn load_splits(
    source: &dyn Source,
    selection: &Selection,
    thresholds: &Thresholds,
) -> Result<SplitsData> {
    let version = source.data_version().await?;
    let report = service::comparisons::splits(
        source,
        thresholds,
        &selection.system,
        selection.date,
        thresholds.splits_days.0,
    )
    .await?;
    Ok(SplitsData {
        selection: selection.clone(),
        report,
        version,
    })
}

/// One fetch of the dashboard, as the runtime and `courtside snapshot` run it.
pub async fn load(
    what: Fetch,
    source: &dyn Source,
    selection: &Selection,
    experiment: Option<&str>,
    production_system: &str,
    judging: service::comparisons::Judging<'_>,
) -> Result<Payload> {
    let thresholds = judging.thresholds;
    Ok(match what {
        Fetch::Dashboard => Payload::Dashboard(Box::new(
            load_dashboard(source, selection, production_system, thresholds).await?,
        )),
        Fetch::Comparison => Payload::Comparison(Box::new(
            load_comparison(source, selection, thresholds).await?,
        )),
        Fetch::Experiments => {
            Payload::Experiments(Box::new(load_experiments(source, thresholds).await?))
        }
        Fetch::Gap => match experiment {
            Some(id) => Payload::Gap(Box::new(
                load_gap(source, id, production_system, thresholds).await?,
            )),
            None => anyhow::bail!("no experiment chosen"),
        },
        Fetch::Versus => Payload::Versus(Box::new(
            load_versus(source, selection, experiment, judging).await?,
        )),
        Fetch::Splits => {
            Payload::Splits(Box::new(load_splits(source, selection, thresholds).await?))
        }
        Fetch::Tonight => Payload::Tonight(Box::new(load_tonight(source, thresholds).await?)),
    })
}
