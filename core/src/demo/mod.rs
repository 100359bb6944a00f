//! The deterministic demo dataset: three seasons of a synthetic league whose
//! numbers tell the team's story (a January where the market sharpens, a month
//! of model drift, a week of broken shot zones, dates missing from production,
//! experiments with a backtest whose population is larger than production's,
//! and in `plant` a shadow system, a soft bookmaker and an UNDER-biased system).
//! It writes through the embedded store like any import.

mod experiments;
mod game_day;
mod league;
mod legacy;
pub mod plant;
pub mod story;
mod team_experiments;
pub mod warehouse;

use crate::model::rows::{BacktestRow, FeatureStoreRow, PlayerGameRow, PredictionRow};
use crate::source::embedded::{EmbeddedStore, StoreWriter};
use crate::stats::rng::Rng;
use crate::stats::round_to;
use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use league::{League, PlayerGame};

/// The seed of the demo dataset (the team's session number).
pub const DEMO_SEED: u64 = 56;

/// What to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seasons ending with 2025-26 (1 to 5).
    pub seasons: u32,
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            seasons: 3,
            seed: DEMO_SEED,
        }
    }
}

/// What was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub first_date: NaiveDate,
    pub last_date: NaiveDate,
    pub game_days: usize,
    pub prediction_rows: usize,
    pub player_game_rows: usize,
    pub backtest_rows: usize,
    pub experiments: usize,
}

/// The regular-season dates of the season starting in `year`.
fn season_days(year: i32) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(year, 10, 22).unwrap_or(NaiveDate::MIN);
    let end = NaiveDate::from_ymd_opt(year + 1, 4, 12).unwrap_or(NaiveDate::MIN);
    (start, end)
}

/// No games on these days: Thanksgiving-ish, Christmas Eve, the All-Star break.
fn is_off_day(day: NaiveDate) -> bool {
    let (month, dom) = (day.month(), day.day());
    (month == 12 && dom == 24)
        || (month == 2 && (13..=18).contains(&dom))
        || (month == 11 && dom == 27)
}

/// Builds the demo dataset in one transaction: into an empty store, or with
/// `replace` over whatever the store holds (all or nothing).
pub fn build(store: &EmbeddedStore, options: DemoOptions, replace: bool) -> Result<DemoSummary> {
    build_reporting(store, options, replace, &mut |_| {})
}

/// How far a demo build is, for a progress line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BuildProgress {
    /// Calendar days of the seasons written, of all of them; the day being
    /// written and its season (`2025` is 2025-26), the `season`th of `seasons`.
    Days {
        done: u32,
        total: u32,
        day: NaiveDate,
        season_year: i32,
        season: u32,
        seasons: u32,
    },
    /// The rows are in; the indexes are being built.
    Indexing,
}

/// [`build`], telling `report` how far it is (every calendar day, then the
/// index builds).
pub fn build_reporting(
    store: &EmbeddedStore,
    options: DemoOptions,
    replace: bool,
    report: &mut dyn FnMut(BuildProgress),
) -> Result<DemoSummary> {
    if !(1..=5).contains(&options.seasons) {
        bail!("--seasons must be between 1 and 5, got {}", options.seasons);
    }
    if !replace && !store.is_empty()? {
        bail!(
            "{}: the store already holds data; use `courtside demo --reset` to replace it",
            store.path().display()
        );
    }
    let root = Rng::new(options.seed);
    let mut league = League::new(&mut root.derive("league"));
    let gap = experiments::gap_experiment_window();

    let mut connection = store.connect()?;
    // One pass of writes: a rollback journal writes each new page once
    // (WAL would write it twice, to the log and back); WAL again after.
    connection.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
    // The index builds sort in memory instead of spilling to temp files.
    connection.execute_batch("PRAGMA temp_store = MEMORY")?;
    let transaction = connection.transaction()?;
    let writer = StoreWriter::new(&transaction);
    if replace {
        writer.clear_all()?;
    }
    // Indexes built once the rows are in; no insert notes a changed date.
    let aside = crate::source::embedded::set_aside(&transaction)?;
    let mut summary = DemoSummary {
        first_date: NaiveDate::MAX,
        last_date: NaiveDate::MIN,
        game_days: 0,
        prediction_rows: 0,
        player_game_rows: 0,
        backtest_rows: 0,
        experiments: 0,
    };
    let mut backtest_totals = experiments::BacktestTotals {
        bets: 0,
        hits: 0,
        sum_abs_error: 0.0,
        rows: 0,
    };
    let last_season = 2025;
    let years = (last_season + 1 - options.seasons as i32)..=last_season;
    let total: u32 = years
        .clone()
        .map(|year| {
            let (start, end) = season_days(year);
            (end - start).num_days() as u32 + 1
        })
        .sum();
    let mut done = 0;
    for (season, year) in (1..).zip(years) {
        league.new_season(&mut root.derive(&format!("season-{year}")));
        let (start, end) = season_days(year);
        for day in start.iter_days().take_while(|day| *day <= end) {
            done += 1;
            report(BuildProgress::Days {
                done,
                total,
                day,
                season_year: year,
                season,
                seasons: options.seasons,
            });
            let mut rng = root.derive(&format!("day-{day}"));
            if is_off_day(day) || rng.chance(0.06) {
                continue;
            }
            let games = league.play_day(&mut rng, day);
            let (mut predictions, player_games, features, backtest, ungraded) =
                day_rows(&mut rng, &games, day, gap);
            plant::plant(
                &mut root.derive(&format!("plant-{day}")),
                day,
                &mut predictions,
            );
            warehouse::shape(
                &mut root.derive(&format!("warehouse-{day}")),
                day,
                &mut predictions,
            );
            if story::no_lines_night(day) {
                game_day::without_lines(&mut predictions);
            }
            if game_day::covered(day) {
                let night = game_day::night(
                    &mut root.derive(&format!("game-day-{day}")),
                    day,
                    &games,
                    &predictions,
                    &ungraded,
                );
                night.write(&writer)?;
                game_day::late_grading(day, &mut predictions);
            }
            writer.player_games(&player_games)?;
            writer.predictions(&predictions)?;
            writer.feature_rows(&features)?;
            writer.backtest_rows(&backtest)?;
            for row in &backtest {
                backtest_totals.rows += 1;
                if let (Some(predicted), Some(actual)) = (row.predicted_points, row.actual_points) {
                    backtest_totals.sum_abs_error += (predicted - actual as f64).abs();
                }
                let is_bet = matches!(row.recommendation.as_deref(), Some("OVER" | "UNDER"))
                    && row.prediction_correct.is_some()
                    && matches!((row.predicted_points, row.line_value), (Some(p), Some(l)) if (p - l).abs() >= 3.0);
                if is_bet {
                    backtest_totals.bets += 1;
                    backtest_totals.hits += i64::from(row.prediction_correct == Some(true));
                }
            }
            summary.first_date = summary.first_date.min(day);
            summary.last_date = summary.last_date.max(day);
            summary.game_days += 1;
            summary.prediction_rows += predictions.len();
            summary.player_game_rows += player_games.len();
            summary.backtest_rows += backtest.len();
        }
    }
    summary.experiments =
        experiments::write(&writer, &mut root.derive("experiments"), &backtest_totals)?
            + team_experiments::write(&writer, &mut root.derive("team-experiments"))?;
    // The team's own class's rows of the last season's first November week.
    legacy::write(&writer)?;
    writer.set_meta("demo", "true")?;
    writer.set_meta("demo_seed", &options.seed.to_string())?;
    writer.set_meta("demo_seasons", &options.seasons.to_string())?;
    report(BuildProgress::Indexing);
    aside.put_back(&transaction)?;
    transaction.commit()?;
    connection.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))?;
    Ok(summary)
}

type DayRows = (
    Vec<PredictionRow>,
    Vec<PlayerGameRow>,
    Vec<FeatureStoreRow>,
    Vec<BacktestRow>,
    // Predictions made and never graded (the January grading gap).
    Vec<PredictionRow>,
);

fn day_rows(
    rng: &mut Rng,
    games: &[PlayerGame],
    day: NaiveDate,
    gap: (NaiveDate, NaiveDate),
) -> DayRows {
    let mut predictions = Vec::new();
    let mut player_games = Vec::new();
    let mut features = Vec::new();
    let mut backtest = Vec::new();
    let mut ungraded = Vec::new();
    let broken = story::shot_zones_broken(day);
    for game in games {
        player_games.push(game.summary_row(rng, broken));
        if game.played {
            features.push(FeatureStoreRow {
                player_lookup: game.player_lookup.clone(),
                game_id: game.game_id.clone(),
                game_date: day,
                has_vegas_line: Some(true),
                feature_quality_score: Some(round_to(rng.gauss(88.0, 4.0).clamp(0.0, 100.0), 2)),
                feature_version: Some("v2.3".to_string()),
            });
        }
        for system in story::SYSTEMS {
            let predicted = match system {
                "xgboost_v7" => true,
                _ => game.in_production_slate,
            };
            let gap = (system == story::PRODUCTION_SYSTEM)
                .then(|| story::production_gap(day))
                .flatten();
            if predicted && gap != Some(story::ProductionGap::NotPredicted) {
                let behaviour = story::behaviour(system, day);
                let row = game.prediction_row(rng, system, &behaviour, broken);
                if gap == Some(story::ProductionGap::NotGraded) {
                    ungraded.push(row);
                    continue;
                }
                if rng.chance(0.02) {
                    predictions.push(game.superseded_copy(rng, &row));
                }
                predictions.push(row);
            }
        }
        if game.played && (gap.0..=gap.1).contains(&day) {
            backtest.push(experiments::backtest_row(rng, game));
        }
    }
    (predictions, player_games, features, backtest, ungraded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_reports_every_day_in_order_then_the_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(&dir.path().join("demo.sqlite")).unwrap();
        let mut reports = Vec::new();
        let options = DemoOptions {
            seasons: 1,
            ..DemoOptions::default()
        };
        build_reporting(&store, options, false, &mut |progress| {
            reports.push(progress)
        })
        .unwrap();
        let (start, end) = season_days(2025);
        let total = (end - start).num_days() as u32 + 1;
        assert_eq!(reports.len() as u32, total + 1);
        for (index, report) in reports[..total as usize].iter().enumerate() {
            assert_eq!(
                *report,
                BuildProgress::Days {
                    done: index as u32 + 1,
                    total,
                    day: start + chrono::Days::new(index as u64),
                    season_year: 2025,
                    season: 1,
                    seasons: 1,
                }
            );
        }
        assert_eq!(reports.last(), Some(&BuildProgress::Indexing));
    }
}
