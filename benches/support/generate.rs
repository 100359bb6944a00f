//! A generated store for the scale benchmarks: `rows` prediction rows over
//! 365 days for four systems (three of them the ones benchmarked), with the
//! matching player-games, written in random physical order (as unordered
//! BigQuery export shards import) or in date order. Deterministic: the same
//! arguments give the same file.

use chrono::{Days, NaiveDate};
use courtside::model::rows::{PlayerGameRow, PredictionRow};
use courtside::source::embedded::{EmbeddedStore, StoreWriter};
use std::path::Path;

pub const DAYS: u64 = 365;
pub const SYSTEMS: [&str; 4] = ["catboost_v8", "xgboost_v7", "ensemble_v1", "shadow_v9"];

pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 4, 15).unwrap_or(NaiveDate::MIN)
}

pub fn last_day() -> NaiveDate {
    first_day() + Days::new(DAYS - 1)
}

/// SplitMix64: one well-mixed value per index, so any row can be made alone.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// The rows of one (day, player): its player-game and a prediction per system.
fn player_day(day: u64, player: u64) -> (PlayerGameRow, Vec<PredictionRow>) {
    let date = first_day() + Days::new(day);
    let seed = mix(day * 1_000_003 + player);
    let base = (player % 30) as i64;
    let actual = (base + (seed % 11) as i64 - 5).max(0);
    let lookup = format!("player{player:05}");
    let game_id = format!("{}_g{}", date.format("%Y%m%d"), player / 20);
    let game = PlayerGameRow {
        player_lookup: lookup.clone(),
        game_id: game_id.clone(),
        game_date: date,
        points: Some(actual),
        minutes_played: Some(8.0 + (player % 30) as f64),
        paint_attempts: Some(4),
        mid_range_attempts: Some(3),
        three_attempts_pbp: Some(5),
        has_complete_shot_zones: Some(seed % 10 > 0),
        ..PlayerGameRow::default()
    };
    let predictions = SYSTEMS
        .iter()
        .enumerate()
        .map(|(s, system)| {
            let r = mix(seed ^ (s as u64 + 1));
            // A prediction is never below 0 points (the contract's domain).
            let predicted = (base as f64 + (r % 80) as f64 / 10.0 - 4.0).max(0.0);
            let line = base as f64 + 0.5;
            let recommendation = if predicted > line { "OVER" } else { "UNDER" };
            let hit = (predicted > line) == (actual as f64 > line);
            PredictionRow {
                player_lookup: lookup.clone(),
                game_id: game_id.clone(),
                game_date: date,
                system_id: system.to_string(),
                predicted_points: Some(predicted),
                actual_points: Some(actual),
                line_value: Some(line),
                line_source: Some(
                    if (r >> 8) % 4 == 0 {
                        "ACTUAL_PROP"
                    } else {
                        "ESTIMATED_AVG"
                    }
                    .to_string(),
                ),
                recommendation: Some(recommendation.to_string()),
                prediction_correct: Some(hit),
                confidence_score: Some(((r >> 16) % 100) as f64 / 100.0),
                confidence_decile: Some(1 + ((r >> 24) % 10) as i64),
                feature_quality_score: Some(88.0),
                is_voided: Some(false),
                is_superseded_prediction: Some(false),
                ..PredictionRow::default()
            }
        })
        .collect();
    (game, predictions)
}

/// Writes a store of about `rows` prediction rows to `path` (replacing it).
/// `random`: the (day, player) groups in a pseudo-random permutation, so a
/// day's rows lie scattered over the file; else in date order.
pub fn generate(path: &Path, rows: u64, random: bool) -> EmbeddedStore {
    let _ = std::fs::remove_file(path);
    let players = (rows / (DAYS * SYSTEMS.len() as u64)).max(1);
    let groups = DAYS * players;
    let store = EmbeddedStore::open(path).expect("open the generated store");
    let mut connection = store.connect().expect("connect");
    // A multiplier coprime with `groups` permutes 0..groups.
    let step = (1..)
        .map(|k| 0x9E37_79B9 + 2 * k)
        .find(|m: &u64| gcd(*m % groups.max(1), groups) == 1)
        .unwrap_or(1);
    let batch = 20_000;
    let mut next = 0;
    while next < groups {
        let transaction = connection.transaction().expect("transaction");
        {
            let writer = StoreWriter::new(&transaction);
            let mut games = Vec::with_capacity(batch as usize);
            let mut predictions = Vec::with_capacity(batch as usize * SYSTEMS.len());
            for i in next..(next + batch).min(groups) {
                let group = if random {
                    (i.wrapping_mul(step)) % groups
                } else {
                    i
                };
                let (game, rows) = player_day(group / players, group % players);
                games.push(game);
                predictions.extend(rows);
            }
            writer.player_games(&games).expect("player-games");
            writer.predictions(&predictions).expect("predictions");
        }
        transaction.commit().expect("commit");
        next += batch;
    }
    store
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}
