//! Experiments as the team's training scripts register them (data-contract.md
//! Rev. 3), beside the demo's documented ones: free-form types
//! (`monthly_retrain`, `breakout_classifier`, `monthly_retrain_quantile`),
//! the flat config their trainer reads, and flat results with hit rates in
//! percent. On a random stream of their own, so the other experiments keep
//! their ids and figures.

use super::experiments::uuid;
use crate::model::experiment::Status;
use crate::model::rows::{ExperimentEvent, ExperimentRow, Period};
use crate::source::embedded::StoreWriter;
use crate::stats::rng::Rng;
use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};

struct TeamSpec {
    name: &'static str,
    kind: &'static str,
    status: Status,
    hypothesis: &'static str,
    train: (NaiveDate, NaiveDate),
    half_life: Option<i64>,
    /// `(hit_rate_all %, bets_all, edge 3+ %, bets, edge 5+ %, bets, mae)`.
    results: Option<(f64, i64, f64, i64, f64, i64, f64)>,
    created: DateTime<Utc>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn at(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    date.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc()
}

fn specs() -> [TeamSpec; 3] {
    [
        TeamSpec {
            name: "CATBOOST_V12_MONTHLY_RETRAIN_0301",
            kind: "monthly_retrain",
            status: Status::Completed,
            hypothesis: "A monthly retrain on the latest 120 days keeps v12 sharp",
            train: (day(2025, 11, 1), day(2026, 2, 28)),
            half_life: Some(45),
            results: Some((55.6, 1840, 57.9, 790, 60.4, 241, 4.31)),
            created: at(day(2026, 3, 2), 6),
        },
        TeamSpec {
            name: "BREAKOUT_CLASSIFIER_V2",
            kind: "breakout_classifier",
            status: Status::Completed,
            hypothesis: "A classifier for 10+ point breakouts finds UNDER traps",
            train: (day(2024, 10, 22), day(2026, 1, 31)),
            half_life: None,
            results: Some((53.1, 612, 54.8, 310, 56.0, 91, 5.02)),
            created: at(day(2026, 2, 9), 14),
        },
        TeamSpec {
            name: "CATBOOST_V9_Q43_TRAIN1102_0131",
            kind: "monthly_retrain_quantile",
            status: Status::Running,
            hypothesis: "The 43rd percentile target corrects v9's OVER bias",
            train: (day(2025, 11, 2), day(2026, 1, 31)),
            half_life: Some(60),
            results: None,
            created: at(day(2026, 4, 10), 8),
        },
    ]
}

/// The flat results their scripts write (rates in percent).
fn flat_results(
    (hit, bets, hit3, bets3, hit5, bets5, mae): (f64, i64, f64, i64, f64, i64, f64),
) -> Value {
    json!({
        "mae": mae,
        "mae_all_players": mae + 0.12,
        "hit_rate_all": hit,
        "bets_all": bets,
        "hit_rate_edge_3plus": hit3,
        "bets_edge_3plus": bets3,
        "hit_rate_edge_5plus": hit5,
        "bets_edge_5plus": bets5,
    })
}

/// Writes the team-style experiments and their events; returns how many.
pub fn write(writer: &StoreWriter<'_>, rng: &mut Rng) -> Result<usize> {
    let specs = specs();
    for spec in &specs {
        let id = uuid(rng);
        let config = json!({
            "experiment_id": spec.name,
            "name": spec.name.to_lowercase(),
            "hypothesis": spec.hypothesis,
            "train_start": spec.train.0.to_string(),
            "train_end": spec.train.1.to_string(),
            "use_recency_weights": spec.half_life.is_some(),
            "half_life": spec.half_life.unwrap_or(0),
            "verbose": false,
        });
        let results = spec.results.map(flat_results);
        let completed_at = results.as_ref().map(|_| spec.created + Duration::hours(2));
        writer.experiment(&ExperimentRow {
            experiment_id: id.clone(),
            experiment_name: spec.name.to_string(),
            hypothesis: Some(spec.hypothesis.to_string()),
            experiment_type: spec.kind.to_string(),
            tags: Vec::new(),
            config_json: config,
            train_period: Some(Period {
                start_date: Some(spec.train.0),
                end_date: Some(spec.train.1),
                samples: None,
            }),
            eval_period: None,
            results_json: results,
            model_path: spec
                .results
                .map(|_| format!("gs://nba-models/team/{}.cbm", spec.name.to_lowercase())),
            git_commit: Some(format!("{:016x}", rng.next_u64())),
            parent_experiment_id: None,
            status: spec.status,
            created_at: spec.created,
            completed_at,
            created_by: Some("train_monthly.py".to_string()),
        })?;
        let path: &[&str] = match spec.status {
            Status::Running => &["running"],
            _ => &["running", "completed"],
        };
        let mut from: Option<&str> = None;
        for (step, to) in path.iter().enumerate() {
            writer.event(&ExperimentEvent {
                experiment_id: id.clone(),
                at: spec.created + Duration::hours(step as i64),
                actor: Some("train_monthly.py".to_string()),
                from_status: from.map(str::to_string),
                to_status: to.to_string(),
                note: None,
            })?;
            from = Some(to);
        }
    }
    Ok(specs.len())
}
