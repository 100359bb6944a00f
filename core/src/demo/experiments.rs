//! The demo's experiment registry: ~25 experiments across every status, with
//! configs, results, lineage and audit events, and the backtest of the
//! experiment built to reproduce the team's backtest-vs-production gap.

use super::league::{PlayerGame, grade, predicted_points};
use super::story;
use crate::model::experiment::Status;
use crate::model::rows::{BacktestRow, ExperimentEvent, ExperimentRow, Period};
use crate::source::embedded::StoreWriter;
use crate::stats::rng::Rng;
use crate::stats::round_to;
use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

/// The experiment whose backtest reproduces the team's 49% vs 57% case.
pub const GAP_EXPERIMENT: &str = "JAN_DEC_WALKFORWARD_V9";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The gap experiment's evaluation period.
pub fn gap_experiment_window() -> (NaiveDate, NaiveDate) {
    (date(2026, 1, 1), date(2026, 1, 31))
}

/// A stable id for the gap experiment, so its backtest rows can be written first.
fn gap_experiment_id() -> String {
    "5f0c2a9e-1b7d-4c3a-9e52-0a4d6b8c1e57".to_string()
}

/// A backtest row of the gap experiment. The backtest draws from the feature
/// store (every player who played, every date), so it holds production's rows
/// plus bench players production skips and the dates production missed; its
/// estimated lines grade worse than real ones.
pub fn backtest_row(rng: &mut Rng, game: &PlayerGame) -> BacktestRow {
    let shared = game.in_production_slate && !story::missing_from_production(game.game_date);
    let base = story::behaviour(story::PRODUCTION_SYSTEM, game.game_date);
    let hit = match (shared, game.line_source) {
        (true, "ACTUAL_PROP") => 0.565,
        (true, _) => 0.505,
        (false, _) => 0.43,
    };
    let behaviour = story::Behaviour { hit, ..base };
    let predicted = predicted_points(rng, game, &behaviour);
    let (recommendation, correct) = grade(predicted, game.line, game.points);
    BacktestRow {
        experiment_id: gap_experiment_id(),
        player_lookup: game.player_lookup.clone(),
        game_id: game.game_id.clone(),
        game_date: game.game_date,
        predicted_points: Some(predicted),
        line_value: game.line,
        line_source: Some(game.line_source.to_string()),
        actual_points: Some(game.points),
        recommendation: Some(recommendation.to_string()),
        prediction_correct: correct,
    }
}

struct Spec {
    name: &'static str,
    kind: &'static str,
    status: &'static str,
    parent: Option<&'static str>,
    hypothesis: &'static str,
    tags: &'static [&'static str],
    /// `(hit rate 0-1, mae, roi, samples)`; `None` for experiments without results.
    results: Option<(f64, f64, f64, i64)>,
    dirty: bool,
    eval: (NaiveDate, NaiveDate),
}

fn specs() -> Vec<Spec> {
    let jan = gap_experiment_window();
    let feb = (date(2026, 2, 1), date(2026, 2, 15));
    let dec = (date(2025, 12, 1), date(2025, 12, 31));
    let mar = (date(2026, 3, 1), date(2026, 3, 31));
    let apr = (date(2026, 4, 1), date(2026, 4, 12));
    let spec = |name, kind, status, parent, hypothesis, tags, results, eval| Spec {
        name,
        kind,
        status,
        parent,
        hypothesis,
        tags,
        results,
        dirty: false,
        eval,
    };
    let mut specs = vec![
        spec(
            "V6_CATBOOST_LEGACY",
            "walk_forward",
            "archived",
            None,
            "The 2024 CatBoost baseline",
            &["legacy"][..],
            Some((0.538, 4.61, 0.027, 8120)),
            dec,
        ),
        spec(
            "V7_XGB_LEGACY",
            "walk_forward",
            "archived",
            Some("V6_CATBOOST_LEGACY"),
            "XGBoost matches CatBoost with less tuning",
            &["legacy", "xgboost"],
            Some((0.545, 4.52, 0.040, 8410)),
            dec,
        ),
        spec(
            "V8_PRODUCTION_BASELINE",
            "walk_forward",
            "promoted",
            Some("V6_CATBOOST_LEGACY"),
            "CatBoost v8 with recency weights beats v6",
            &["production", "catboost"],
            Some((0.571, 4.21, 0.090, 9840)),
            dec,
        ),
        spec(
            GAP_EXPERIMENT,
            "walk_forward",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "Training through December improves January",
            &["january-2026", "walk-forward"],
            None,
            jan,
        ),
        spec(
            "FEB_2026_RECENCY_60",
            "walk_forward",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "60-day half-life improves February predictions",
            &["february-2026", "recency-test"],
            Some((0.583, 4.15, 0.113, 2210)),
            feb,
        ),
        spec(
            "FEB_2026_RECENCY_30",
            "walk_forward",
            "completed",
            Some("FEB_2026_RECENCY_60"),
            "A shorter 30-day half-life reacts faster",
            &["february-2026", "recency-test"],
            Some((0.562, 4.19, 0.073, 2190)),
            feb,
        ),
        spec(
            "FEB_2026_RECENCY_90",
            "walk_forward",
            "failed",
            Some("FEB_2026_RECENCY_60"),
            "A longer 90-day half-life is steadier",
            &["february-2026", "recency-test"],
            None,
            feb,
        ),
        spec(
            "ENSEMBLE_CB_XGB_V1",
            "ensemble",
            "completed",
            None,
            "Averaging CatBoost and XGBoost reduces variance",
            &["ensemble"],
            Some((0.566, 4.18, 0.081, 4620)),
            jan,
        ),
        spec(
            "ENSEMBLE_CB_XGB_V2",
            "ensemble",
            "completed",
            Some("ENSEMBLE_CB_XGB_V1"),
            "Weighting by recent MAE beats equal weights",
            &["ensemble"],
            Some((0.574, 4.16, 0.096, 4610)),
            jan,
        ),
        spec(
            "ENSEMBLE_STACKED_V3",
            "ensemble",
            "failed",
            Some("ENSEMBLE_CB_XGB_V2"),
            "A stacked meta-learner beats weighting",
            &["ensemble", "stacking"],
            None,
            jan,
        ),
        spec(
            "ABLATION_NO_TRAJECTORY",
            "ablation",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "Trajectory features carry real signal",
            &["ablation", "trajectory"],
            Some((0.552, 4.33, 0.054, 4580)),
            jan,
        ),
        spec(
            "ABLATION_NO_SHOT_ZONES",
            "ablation",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "Shot-zone features matter less than assumed",
            &["ablation", "shot-zones"],
            Some((0.561, 4.26, 0.071, 4590)),
            jan,
        ),
        spec(
            "ABLATION_NO_VEGAS_FEATURES",
            "ablation",
            "failed",
            Some("V8_PRODUCTION_BASELINE"),
            "The model leans on the line too much",
            &["ablation", "vegas"],
            None,
            jan,
        ),
        spec(
            "TIER_BASED_STARS_ONLY",
            "tier_based",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "A star-only model is sharper on stars",
            &["tiers", "stars"],
            Some((0.588, 4.95, 0.123, 420)),
            feb,
        ),
        spec(
            "TIER_BASED_BENCH_BOOST",
            "tier_based",
            "archived",
            Some("V8_PRODUCTION_BASELINE"),
            "Bench players are where lines are soft",
            &["tiers", "bench"],
            Some((0.541, 2.91, 0.033, 1310)),
            dec,
        ),
        spec(
            "HPARAM_DEPTH_8",
            "hyperparameter",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "Deeper trees capture matchup effects",
            &["hyperparameter", "depth"],
            Some((0.569, 4.20, 0.086, 4600)),
            jan,
        ),
        spec(
            "HPARAM_LR_005",
            "hyperparameter",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "A lower learning rate generalises better",
            &["hyperparameter", "learning-rate"],
            Some((0.558, 4.24, 0.066, 4600)),
            jan,
        ),
        spec(
            "HPARAM_LR_010",
            "hyperparameter",
            "archived",
            Some("HPARAM_LR_005"),
            "A higher learning rate converges faster",
            &["hyperparameter", "learning-rate"],
            Some((0.549, 4.29, 0.048, 4600)),
            jan,
        ),
        spec(
            "FEATURE_REST_DAYS",
            "feature",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "Days of rest predict scoring",
            &["feature", "schedule"],
            Some((0.571, 4.19, 0.090, 2200)),
            feb,
        ),
        spec(
            "FEATURE_PACE_ADJUSTED",
            "feature",
            "completed",
            Some("FEATURE_REST_DAYS"),
            "Pace-adjusted usage beats raw usage",
            &["feature", "pace"],
            Some((0.577, 4.17, 0.102, 2200)),
            feb,
        ),
        spec(
            "FEATURE_TRAVEL_DISTANCE",
            "feature",
            "running",
            Some("FEATURE_REST_DAYS"),
            "Long road trips depress scoring",
            &["feature", "schedule"],
            None,
            mar,
        ),
        spec(
            "FEATURE_REF_CREW",
            "feature",
            "pending",
            None,
            "Referee crews change free-throw volume",
            &["feature", "officiating"],
            None,
            mar,
        ),
        spec(
            "MAR_2026_BIAS_FIX",
            "walk_forward",
            "completed",
            Some("V8_PRODUCTION_BASELINE"),
            "Recalibrating the intercept removes March's over-bias",
            &["march-2026", "bias"],
            Some((0.579, 4.18, 0.106, 2480)),
            mar,
        ),
        spec(
            "MAR_2026_BIAS_FIX_V2",
            "walk_forward",
            "running",
            Some("MAR_2026_BIAS_FIX"),
            "Per-tier intercepts fix the bias for bench players too",
            &["march-2026", "bias"],
            None,
            mar,
        ),
        spec(
            "APR_2026_RECENCY_45",
            "walk_forward",
            "pending",
            Some("FEB_2026_RECENCY_60"),
            "A 45-day half-life for the stretch run",
            &["april-2026", "recency-test"],
            None,
            apr,
        ),
    ];
    if let Some(depth) = specs.iter_mut().find(|s| s.name == "HPARAM_DEPTH_8") {
        depth.dirty = true;
    }
    specs
}

pub(super) fn uuid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        (b >> 48) & 0x3fff | 0x8000,
        b & 0xffff_ffff_ffff
    )
}

fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc()
}

/// Results JSON in the training script's shape, with per-tier and per-line-range splits.
fn results_json(
    rng: &mut Rng,
    (hit, mae, roi, samples): (f64, f64, f64, i64),
) -> serde_json::Value {
    let mut split = |names: &[&str], shares: &[f64]| {
        let mut map = serde_json::Map::new();
        for (name, share) in names.iter().zip(shares) {
            let n = (samples as f64 * share).round() as i64;
            map.insert(
                name.to_string(),
                json!({
                    "hit_rate": round_to((hit + rng.gauss(0.0, 0.02)).clamp(0.3, 0.8), 4),
                    "mae": round_to(mae * rng.gauss(1.0, 0.1), 3),
                    "samples": n,
                }),
            );
        }
        serde_json::Value::Object(map)
    };
    let by_tier = split(
        &["Star", "Starter", "Rotation", "Bench"],
        &[0.15, 0.25, 0.33, 0.27],
    );
    let by_line_range = split(&["0-9.5", "10-19.5", "20+"], &[0.45, 0.37, 0.18]);
    json!({
        "overall": {"hit_rate": hit, "mae": mae, "roi": roi, "samples": samples},
        "by_tier": by_tier,
        "by_line_range": by_line_range,
    })
}

/// The gap experiment's results, computed from its backtest rows as the training script would.
pub struct BacktestTotals {
    pub bets: i64,
    pub hits: i64,
    pub sum_abs_error: f64,
    pub rows: i64,
}

/// Writes the experiments and their events; returns how many.
pub fn write(writer: &StoreWriter<'_>, rng: &mut Rng, backtest: &BacktestTotals) -> Result<usize> {
    let specs = specs();
    let mut ids: Vec<(&str, String)> = Vec::new();
    for spec in &specs {
        let id = if spec.name == GAP_EXPERIMENT {
            gap_experiment_id()
        } else {
            uuid(rng)
        };
        ids.push((spec.name, id));
    }
    let id_of = |name: &str| {
        ids.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| id.clone())
    };
    for (spec, (_, id)) in specs.iter().zip(&ids) {
        let train_end = spec.eval.0.pred_opt().unwrap_or(spec.eval.0);
        let train_start = date(2021, 11, 1);
        let created = at(spec.eval.1, 9) + Duration::days(2 + rng.int(0, 3));
        let results = if spec.name == GAP_EXPERIMENT {
            let hit = backtest.hits as f64 / backtest.bets.max(1) as f64;
            let roi = (hit * (100.0 + 110.0) - 110.0) / 110.0;
            Some(results_json(
                rng,
                (
                    round_to(hit, 4),
                    round_to(backtest.sum_abs_error / backtest.rows.max(1) as f64, 3),
                    round_to(roi, 4),
                    backtest.bets,
                ),
            ))
        } else {
            spec.results.map(|r| results_json(rng, r))
        };
        let config = json!({
            "experiment_name": spec.name,
            "hypothesis": spec.hypothesis,
            "experiment_type": spec.kind,
            "training": {"start_date": train_start.to_string(), "end_date": train_end.to_string()},
            "evaluation": {"start_date": spec.eval.0.to_string(), "end_date": spec.eval.1.to_string()},
            "model": {"type": if spec.name.contains("XGB") { "xgboost" } else { "catboost" },
                      "version": "v9",
                      "hyperparameters": {"depth": if spec.name == "HPARAM_DEPTH_8" { 8 } else { 6 },
                                          "learning_rate": if spec.name == "HPARAM_LR_005" { 0.05 } else if spec.name == "HPARAM_LR_010" { 0.10 } else { 0.07 }}},
            "recency": {"enabled": spec.name.contains("RECENCY"),
                        "half_life_days": spec.name.rsplit('_').next().filter(|_| spec.name.contains("RECENCY")).and_then(|n| n.parse::<i64>().ok()).unwrap_or(60)},
            "tags": spec.tags,
            "target_system": story::PRODUCTION_SYSTEM,
        });
        let commit: String = format!(
            "{:016x}{:016x}{:08x}",
            rng.next_u64(),
            rng.next_u64(),
            rng.next_u64() >> 32
        );
        let has_results = results.is_some();
        let completed_at = has_results.then(|| created + Duration::hours(3));
        let samples = results
            .as_ref()
            .and_then(|r| r["overall"]["samples"].as_i64());
        writer.experiment(&ExperimentRow {
            experiment_id: id.clone(),
            experiment_name: spec.name.to_string(),
            hypothesis: Some(spec.hypothesis.to_string()),
            experiment_type: spec.kind.to_string(),
            tags: spec.tags.iter().map(|t| t.to_string()).collect(),
            config_json: config,
            train_period: Some(Period {
                start_date: Some(train_start),
                end_date: Some(train_end),
                samples: Some(40_000 + rng.int(0, 20_000)),
            }),
            eval_period: Some(Period {
                start_date: Some(spec.eval.0),
                end_date: Some(spec.eval.1),
                samples,
            }),
            results_json: results,
            model_path: has_results
                .then(|| format!("gs://nba-models/{}/model.cbm", spec.name.to_lowercase())),
            git_commit: Some(if spec.dirty {
                format!("{commit}-dirty")
            } else {
                commit
            }),
            parent_experiment_id: spec.parent.and_then(id_of),
            status: Status::from_stored(spec.status)
                .ok_or_else(|| anyhow::anyhow!("demo spec {}: bad status", spec.name))?,
            created_at: created,
            completed_at,
            created_by: Some("ml-team@example.com".to_string()),
        })?;
        let path: &[&str] = match spec.status {
            "pending" => &["pending"],
            "running" => &["pending", "running"],
            "completed" => &["pending", "running", "completed"],
            "failed" => &["pending", "running", "failed"],
            "promoted" => &["pending", "running", "completed", "promoted"],
            _ => &["pending", "running", "completed", "archived"],
        };
        let mut from: Option<&str> = None;
        for (step, to) in path.iter().enumerate() {
            let note = match *to {
                "failed" => Some("training crashed: out of memory in feature join".to_string()),
                "archived" => Some("superseded by a newer experiment".to_string()),
                "promoted" => Some("promoted after two weeks of shadow mode".to_string()),
                _ => None,
            };
            writer.event(&ExperimentEvent {
                experiment_id: id.clone(),
                at: created + Duration::hours(step as i64),
                actor: Some("ml-team@example.com".to_string()),
                from_status: from.map(str::to_string),
                to_status: to.to_string(),
                note,
            })?;
            from = Some(to);
        }
    }
    Ok(specs.len())
}
