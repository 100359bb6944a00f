//! The aggregated Splits and Versus queries (`source::pushdown`) against a
//! plain Rust reference computed row by row from the same hand-made store:
//! every bucket's counts, sums and max drawdown, and every pair count,
//! including the rows that must not count (voided, superseded, pushes,
//! small edges, other dates, repeated keys).

use chrono::{Days, NaiveDate};
use courtside::model::rows::{BacktestRow, PredictionRow};
use courtside::model::splits::{BucketCounts, Dimension};
use courtside::model::versus::{PairCounts, Side};
use courtside::source::Source;
use courtside::source::embedded::{EmbeddedStore, StoreWriter};
use courtside::source::pushdown::{PairQuery, SplitsQuery};
use std::collections::BTreeMap;

const EDGE: f64 = 3.0;
const PAYOUT: f64 = 100.0 / 110.0;

/// A small deterministic generator (no dependency, same rows every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn row(rng: &mut Lcg, system: &str, date: NaiveDate, player: u64) -> PredictionRow {
    let line = 10.5 + rng.below(20) as f64;
    let predicted = line + (rng.below(140) as f64 - 70.0) / 10.0;
    let actual = (line + rng.below(21) as f64 - 10.0).round() as i64;
    let line = if rng.below(10) == 0 {
        actual as f64
    } else {
        line
    };
    let recommendation = match rng.below(12) {
        0 => "PASS",
        _ if predicted > line => "OVER",
        _ => "UNDER",
    };
    let correct = if actual as f64 == line || recommendation == "PASS" {
        None
    } else {
        Some((recommendation == "OVER") == (actual as f64 > line))
    };
    let books = ["DRAFTKINGS", "FANDUEL", "BETMGM"];
    PredictionRow {
        player_lookup: format!("player{player}"),
        game_id: format!("{}_AAA_BBB", date.format("%Y%m%d")),
        game_date: date,
        system_id: system.to_string(),
        predicted_points: Some(predicted),
        actual_points: Some(actual),
        line_value: Some(line),
        line_source: Some(
            if rng.below(4) == 0 {
                "ESTIMATED_AVG"
            } else {
                "ACTUAL_PROP"
            }
            .into(),
        ),
        has_prop_line: Some(true),
        recommendation: Some(recommendation.to_string()),
        prediction_correct: correct,
        confidence_score: (rng.below(8) != 0).then(|| 0.3 + rng.below(60) as f64 / 100.0),
        confidence_decile: (rng.below(8) != 0).then(|| 1 + rng.below(10) as i64),
        line_bookmaker: (rng.below(9) != 0).then(|| books[rng.below(3) as usize].to_string()),
        is_voided: Some(rng.below(25) == 0),
        is_superseded_prediction: Some(rng.below(30) == 0),
        ..PredictionRow::default()
    }
}

/// Graded rows of section 1 (what both the SQL and the reference start from).
fn graded(row: &PredictionRow, from: NaiveDate, to: NaiveDate) -> bool {
    row.game_date >= from
        && row.game_date <= to
        && !row.is_voided.unwrap_or(false)
        && !row.is_superseded_prediction.unwrap_or(false)
        && row.predicted_points.is_some()
        && row.actual_points.is_some()
}

fn is_bet(row: &PredictionRow) -> bool {
    matches!(row.recommendation.as_deref(), Some("OVER" | "UNDER"))
        && row.prediction_correct.is_some()
        && (row.predicted_points.unwrap() - row.line_value.unwrap()).abs() >= EDGE - 1e-9
}

struct Store {
    _dir: tempfile::TempDir,
    store: EmbeddedStore,
    rows: Vec<PredictionRow>,
    backtest: Vec<BacktestRow>,
}

fn store() -> Store {
    let mut rng = Lcg(17);
    let start = day("2026-02-01");
    let mut rows = Vec::new();
    for offset in 0..40 {
        let date = start.checked_add_days(Days::new(offset)).unwrap();
        for player in 0..30 {
            if rng.below(5) != 0 {
                rows.push(row(&mut rng, "sys_a", date, player));
            }
            if rng.below(4) != 0 {
                rows.push(row(&mut rng, "sys_b", date, player));
            }
        }
    }
    // A repeated key on side B: the first in (game_date, predicted) order counts.
    let mut copy = rows
        .iter()
        .rfind(|r| r.system_id == "sys_b")
        .unwrap()
        .clone();
    copy.predicted_points = copy.predicted_points.map(|p| p + 5.0);
    rows.push(copy);
    let backtest: Vec<BacktestRow> = rows
        .iter()
        .filter(|r| r.system_id == "sys_a" && r.game_date < day("2026-02-20"))
        .map(|r| BacktestRow {
            experiment_id: "exp-1".into(),
            player_lookup: r.player_lookup.clone(),
            game_id: r.game_id.clone(),
            game_date: r.game_date,
            predicted_points: r.predicted_points.map(|p| p + 0.7),
            line_value: r.line_value,
            line_source: r.line_source.clone(),
            actual_points: r.actual_points,
            recommendation: r.recommendation.clone(),
            prediction_correct: r.prediction_correct,
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(&dir.path().join("t.sqlite")).unwrap();
    let mut connection = store.connect().unwrap();
    let transaction = connection.transaction().unwrap();
    let writer = StoreWriter::new(&transaction);
    writer.predictions(&rows).unwrap();
    writer.backtest_rows(&backtest).unwrap();
    transaction.commit().unwrap();
    Store {
        _dir: dir,
        store,
        rows,
        backtest,
    }
}

/// Running units over the bets in order; the largest fall from a peak
/// (the peak starts at 0, before the first bet).
fn drawdown(hits: &[bool]) -> f64 {
    let (mut units, mut peak, mut worst) = (0.0f64, 0.0f64, 0.0f64);
    for hit in hits {
        units += if *hit { PAYOUT } else { -1.0 };
        peak = peak.max(units);
        worst = worst.max(peak - units);
    }
    worst
}

fn reference_splits(
    rows: &[PredictionRow],
    from: NaiveDate,
    to: NaiveDate,
) -> BTreeMap<(String, String), BucketCounts> {
    let mut bets: Vec<&PredictionRow> = rows
        .iter()
        .filter(|r| r.system_id == "sys_a" && graded(r, from, to) && is_bet(r))
        .collect();
    bets.sort_by(|a, b| {
        (a.game_date, &a.player_lookup, &a.game_id)
            .cmp(&(b.game_date, &b.player_lookup, &b.game_id))
            .then(a.predicted_points.partial_cmp(&b.predicted_points).unwrap())
    });
    let edge_bucket = |r: &PredictionRow| {
        let edge = (r.predicted_points.unwrap() - r.line_value.unwrap()).abs();
        [4.0, 5.0, 7.0]
            .iter()
            .filter(|b| edge >= **b - 1e-9)
            .count()
            .to_string()
    };
    let keys = |r: &PredictionRow| -> Vec<(String, String)> {
        let actual = r.line_source.as_deref() == Some("ACTUAL_PROP");
        vec![
            ("all".into(), "all".into()),
            ("edge".into(), edge_bucket(r)),
            ("direction".into(), r.recommendation.clone().unwrap()),
            (
                "line_kind".into(),
                if actual { "actual" } else { "estimated" }.into(),
            ),
            (
                "bookmaker".into(),
                r.line_bookmaker.clone().unwrap_or_else(|| "unknown".into()),
            ),
            (
                "confidence_decile".into(),
                r.confidence_decile.unwrap_or(0).to_string(),
            ),
        ]
    };
    let mut groups: BTreeMap<(String, String), Vec<&PredictionRow>> = BTreeMap::new();
    for bet in &bets {
        for key in keys(bet) {
            groups.entry(key).or_default().push(bet);
        }
    }
    groups
        .into_iter()
        .map(|(key, rows)| {
            let hits: Vec<bool> = rows.iter().map(|r| r.prediction_correct.unwrap()).collect();
            let line = |r: &PredictionRow| r.line_value.unwrap();
            let actual = |r: &PredictionRow| r.actual_points.unwrap() as f64;
            let scored: Vec<&&PredictionRow> = rows
                .iter()
                .filter(|r| r.confidence_score.is_some())
                .collect();
            let hit_of = |r: &PredictionRow| f64::from(u8::from(r.prediction_correct.unwrap()));
            let counts = BucketCounts {
                dimension: Dimension::parse(&key.0).unwrap(),
                bucket: key.1.clone(),
                order: 0,
                bets: rows.len() as u64,
                hits: hits.iter().filter(|h| **h).count() as u64,
                max_drawdown: drawdown(&hits),
                decided: rows.iter().filter(|r| actual(r) != line(r)).count() as u64,
                under_wins: rows.iter().filter(|r| actual(r) < line(r)).count() as u64,
                over_wins: rows.iter().filter(|r| actual(r) > line(r)).count() as u64,
                scored: scored.len() as u64,
                scored_hits: scored
                    .iter()
                    .filter(|r| r.prediction_correct.unwrap())
                    .count() as u64,
                sum_confidence: scored.iter().map(|r| r.confidence_score.unwrap()).sum(),
                sum_brier: scored
                    .iter()
                    .map(|r| (r.confidence_score.unwrap() - hit_of(r)).powi(2))
                    .sum(),
            };
            (key, counts)
        })
        .collect()
}

fn close(what: &str, left: f64, right: f64) {
    assert!((left - right).abs() < 1e-9, "{what}: {left} vs {right}");
}

#[tokio::test]
async fn every_split_bucket_matches_the_row_by_row_reference() {
    let fixture = store();
    let (from, to) = (day("2026-02-05"), day("2026-03-08"));
    let query = SplitsQuery {
        system: "sys_a".into(),
        from,
        to,
        edge_threshold: EDGE,
        edge_buckets: vec![3.0, 4.0, 5.0, 7.0],
        payout: PAYOUT,
        line_sources: Default::default(),
    };
    let answer = fixture.store.split_counts(&query).await.unwrap();
    let reference = reference_splits(&fixture.rows, from, to);
    assert_eq!(answer.len(), reference.len(), "bucket count");
    assert!(reference.len() > 15, "the fixture fills most buckets");
    for got in &answer {
        let bucket = match got.dimension {
            Dimension::Edge | Dimension::ConfidenceDecile => got.order.to_string(),
            _ => got.bucket.clone(),
        };
        let key = (got.dimension.as_str().to_string(), bucket);
        let want = reference
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} not in the reference"));
        let what = format!("{key:?}");
        assert_eq!(
            (
                got.bets,
                got.hits,
                got.decided,
                got.under_wins,
                got.over_wins
            ),
            (
                want.bets,
                want.hits,
                want.decided,
                want.under_wins,
                want.over_wins
            ),
            "{what}: bets, hits, decided, under, over"
        );
        assert_eq!(
            (got.scored, got.scored_hits),
            (want.scored, want.scored_hits),
            "{what}"
        );
        close(
            &format!("{what} drawdown"),
            got.max_drawdown,
            want.max_drawdown,
        );
        close(
            &format!("{what} confidence"),
            got.sum_confidence,
            want.sum_confidence,
        );
        close(&format!("{what} brier"), got.sum_brier, want.sum_brier);
    }
    let labels: Vec<&str> = answer
        .iter()
        .filter(|b| b.dimension == Dimension::Edge)
        .map(|b| b.bucket.as_str())
        .collect();
    assert_eq!(labels, ["[3,4)", "[4,5)", "[5,7)", "[7,∞)"]);
}

/// One row per key: the first in (game_date, predicted) order.
fn first_per_key<T: Clone>(
    rows: impl Iterator<Item = T>,
    key: impl Fn(&T) -> (String, String),
    predicted: impl Fn(&T) -> f64,
) -> BTreeMap<(String, String), T> {
    let mut out: BTreeMap<(String, String), T> = BTreeMap::new();
    for row in rows {
        let k = key(&row);
        match out.get(&k) {
            Some(kept) if predicted(kept) <= predicted(&row) => {}
            _ => {
                out.insert(k, row);
            }
        }
    }
    out
}

/// `(bet, correct, predicted, actual)` of one side's row.
type Reduced = (bool, bool, f64, f64);

fn reference_pairs(
    a: &BTreeMap<(String, String), Reduced>,
    b: &BTreeMap<(String, String), Reduced>,
) -> PairCounts {
    let mut counts = PairCounts {
        a_rows: a.len() as u64,
        b_rows: b.len() as u64,
        ..PairCounts::default()
    };
    for (key, x) in a {
        let Some(y) = b.get(key) else { continue };
        counts.shared += 1;
        counts.error_pairs += 1;
        let difference = (y.2 - y.3).abs() - (x.2 - x.3).abs();
        counts.sum_error_difference += difference;
        counts.sum_error_difference_sq += difference * difference;
        if x.0 && y.0 {
            counts.both_bet += 1;
            counts.a_hits += u64::from(x.1);
            counts.b_hits += u64::from(y.1);
            counts.a_hit_b_miss += u64::from(x.1 && !y.1);
            counts.a_miss_b_hit += u64::from(!x.1 && y.1);
        }
    }
    counts
}

fn system_side(
    rows: &[PredictionRow],
    system: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> BTreeMap<(String, String), Reduced> {
    let kept = first_per_key(
        rows.iter()
            .filter(|r| r.system_id == system && graded(r, from, to)),
        |r| (r.player_lookup.clone(), r.game_id.clone()),
        |r| r.predicted_points.unwrap(),
    );
    kept.into_iter()
        .map(|(k, r)| {
            let reduced = (
                is_bet(r),
                r.prediction_correct == Some(true),
                r.predicted_points.unwrap(),
                r.actual_points.unwrap() as f64,
            );
            (k, reduced)
        })
        .collect()
}

fn assert_same_pairs(got: PairCounts, want: PairCounts) {
    let ints = |c: &PairCounts| {
        (
            c.a_rows,
            c.b_rows,
            c.shared,
            c.both_bet,
            c.a_hits,
            c.b_hits,
            c.a_hit_b_miss,
            c.a_miss_b_hit,
            c.error_pairs,
        )
    };
    assert_eq!(ints(&got), ints(&want));
    close(
        "sum of error differences",
        got.sum_error_difference,
        want.sum_error_difference,
    );
    close(
        "sum of squares",
        got.sum_error_difference_sq,
        want.sum_error_difference_sq,
    );
}

#[tokio::test]
async fn pair_counts_of_two_systems_match_the_reference() {
    let fixture = store();
    let (from, to) = (day("2026-02-03"), day("2026-03-05"));
    let query = PairQuery {
        a: Side::System {
            system_id: "sys_a".into(),
        },
        b: Side::System {
            system_id: "sys_b".into(),
        },
        from,
        to,
        edge_threshold: EDGE,
    };
    let got = fixture.store.pair_counts(&query).await.unwrap();
    let want = reference_pairs(
        &system_side(&fixture.rows, "sys_a", from, to),
        &system_side(&fixture.rows, "sys_b", from, to),
    );
    assert!(want.both_bet > 100 && want.a_rows > want.shared, "{want:?}");
    assert_same_pairs(got, want);
}

#[tokio::test]
async fn pair_counts_of_a_system_and_a_backtest_match_the_reference() {
    let fixture = store();
    let (from, to) = (day("2026-02-01"), day("2026-03-12"));
    let query = PairQuery {
        a: Side::System {
            system_id: "sys_a".into(),
        },
        b: Side::Experiment {
            experiment_id: "exp-1".into(),
            experiment_name: "EXP_1".into(),
        },
        from,
        to,
        edge_threshold: EDGE,
    };
    let got = fixture.store.pair_counts(&query).await.unwrap();
    let backtest = first_per_key(
        fixture.backtest.iter(),
        |r| (r.player_lookup.clone(), r.game_id.clone()),
        |r| r.predicted_points.unwrap(),
    );
    let b: BTreeMap<(String, String), Reduced> = backtest
        .into_iter()
        .map(|(k, r)| {
            let bet = matches!(r.recommendation.as_deref(), Some("OVER" | "UNDER"))
                && r.prediction_correct.is_some()
                && (r.predicted_points.unwrap() - r.line_value.unwrap()).abs() >= EDGE - 1e-9;
            let reduced = (
                bet,
                r.prediction_correct == Some(true),
                r.predicted_points.unwrap(),
                r.actual_points.unwrap() as f64,
            );
            (k, reduced)
        })
        .collect();
    let want = reference_pairs(&system_side(&fixture.rows, "sys_a", from, to), &b);
    assert!(want.shared > 100 && want.shared < want.a_rows, "{want:?}");
    assert_same_pairs(got, want);
}
