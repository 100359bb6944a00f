//! The since-promotion verdict (metrics.md section 19) as diagnostics carry
//! it: counted from the game date after the promotion, on the system's
//! bets only, judged by the confidence sequence (whose own checks are the
//! unit tests of `stats::confseq`); and on the demo through `diag --json`.

mod common;

use chrono::{TimeZone, Utc};
use common::{SYSTEMS, bundle, date, now};
use courtside::config::Thresholds;
use courtside::diagnostics::{DayIndex, diagnose};
use courtside::model::experiment::PromotionMark;
use courtside::stats::confseq::{MixtureSpec, always_valid};
use std::process::Command;

#[test]
fn it_counts_the_bets_after_the_promotion_day_and_agrees_with_the_sequence() {
    let mut data = bundle(date("2026-04-12"), 40);
    data.promotions = vec![PromotionMark {
        system_id: SYSTEMS[0].to_string(),
        experiment_id: "e1".into(),
        experiment_name: "EXP_ONE".into(),
        promoted_at: Utc.with_ymd_and_hms(2026, 3, 31, 23, 30, 0).unwrap(),
    }];
    // By hand: the bets and hits of the first system from 04-01 to 04-10.
    let (mut bets, mut hits) = (0u64, 0u64);
    for row in &data.day_stats {
        if row.system_id == SYSTEMS[0]
            && row.game_date >= date("2026-04-01")
            && row.game_date <= date("2026-04-10")
        {
            bets += row.cell.bets;
            hits += row.cell.hits;
        }
    }
    let thresholds = Thresholds::default();
    let index = DayIndex::new(&data);
    let d = diagnose(&index, SYSTEMS[0], date("2026-04-10"), &thresholds, now());
    let since = d
        .since_promotion
        .expect("a promoted system has the verdict");
    assert_eq!(since.experiment_name, "EXP_ONE");
    assert_eq!(
        since.from,
        date("2026-04-01"),
        "the day after the promotion"
    );
    assert_eq!((since.result.bets, since.result.hits), (bets, hits));
    assert_eq!(since.game_dates, 10);
    let spec = MixtureSpec {
        p0: thresholds.break_even(),
        t_opt: 1_000.0,
        alpha: 0.05,
    };
    assert_eq!(since.result, always_valid(hits, bets, &spec));
    assert!(
        since
            .sentence()
            .contains("since EXP_ONE was promoted (2026-03-31)")
    );
    // On the promotion day itself, and for another system: no verdict.
    let before = diagnose(&index, SYSTEMS[0], date("2026-03-31"), &thresholds, now());
    assert!(before.since_promotion.is_none());
    let other = diagnose(&index, SYSTEMS[1], date("2026-04-10"), &thresholds, now());
    assert!(other.since_promotion.is_none());
    // In diag's JSON, under `since_promotion`.
    let json = d_json(&index, &thresholds);
    assert_eq!(json["since_promotion"]["bets"], bets);
    let verdict = serde_json::to_value(always_valid(hits, bets, &spec).verdict).unwrap();
    assert_eq!(json["since_promotion"]["verdict"], verdict);
}

fn d_json(index: &DayIndex, thresholds: &Thresholds) -> serde_json::Value {
    diagnose(index, SYSTEMS[0], date("2026-04-10"), thresholds, now()).to_json()
}

/// The demo's champion was promoted on 2026-01-02 and has hit 52.5% since:
/// above break-even, far from proven; `diag` says so, the always-valid
/// p-value and the bets still needed with it.
#[test]
fn the_demo_champion_is_not_yet_proven_since_its_promotion() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.sqlite");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_courtside"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .env("COURTSIDE_DATA_DIR", dir.path())
            .env("COURTSIDE_CONFIG_DIR", dir.path())
            .output()
            .unwrap()
    };
    assert!(run(&["demo", "--seasons", "1"]).status.success());
    let output = run(&["diag", "--date", "2026-04-12", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let since = &json["since_promotion"];
    assert_eq!(
        since["experiment_name"], "V8_PRODUCTION_BASELINE",
        "{since}"
    );
    assert_eq!(since["from"], "2026-01-03");
    let (bets, hits) = (
        since["bets"].as_u64().unwrap(),
        since["hits"].as_u64().unwrap(),
    );
    assert!(bets > 1_000, "{since}");
    let spec = MixtureSpec {
        p0: Thresholds::default().break_even(),
        t_opt: 1_000.0,
        alpha: 0.05,
    };
    let expected = always_valid(hits, bets, &spec);
    assert_eq!(
        since["verdict"],
        serde_json::to_value(expected.verdict).unwrap()
    );
    let text = String::from_utf8_lossy(&run(&["diag", "--date", "2026-04-12"]).stdout).to_string();
    assert!(
        text.contains("since V8_PRODUCTION_BASELINE was promoted (2026-01-02)"),
        "{text}"
    );
}
