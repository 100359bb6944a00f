//! The text of the dashboard's tables (the key figures, the leaderboard's
//! rows), shared by the tabs that draw them and the compare overlay, so both
//! show the same cells (the CSV export writes raw values instead). Stored
//! names are terminal-safe.

use crate::format::OrNoData;
use crate::format::{count, number, p_value, signed, terminal_safe};
use crate::model::fingerprint::Fingerprint;
use crate::model::{Diagnostics, Rate};
use crate::registry::leaderboard::Entry;

/// How many rows [`key_figures`] gives.
pub const KEY_FIGURES: usize = 9;

/// One row of the key-figures table: figure, value, n, interval, note.
pub fn key_figures(d: &Diagnostics) -> Vec<[String; 5]> {
    let rate_row = |name: &str, rate: &Rate, note: String| -> [String; 5] {
        let value = match rate.pct {
            None => "no data".to_string(),
            Some(_) if !rate.sufficient => "insufficient".to_string(),
            Some(pct) => format!("{pct:.1}%"),
        };
        let interval = rate
            .interval
            .filter(|_| rate.sufficient)
            .map(|i| format!("{:.1}–{:.1}", i.low, i.high))
            .unwrap_or_else(|| "-".to_string());
        [name.to_string(), value, count(rate.n), interval, note]
    };
    let hit_note = |rate: &Rate| {
        rate.p_value
            .filter(|_| rate.sufficient)
            .map(|p| format!("{} vs break-even", p_value(p)))
            .unwrap_or_else(|| {
                if rate.n > 0 && !rate.sufficient {
                    format!("min n={}", rate.min_n)
                } else {
                    String::new()
                }
            })
    };
    let drift = &d.drift;
    let s = &d.sharpness;
    let rows = vec![
        rate_row(
            "beats Vegas 14d",
            &s.model_beats_vegas,
            format!(
                "real lines; {} est. left out",
                count(s.estimated_rows_excluded)
            ),
        ),
        rate_row(
            "hit rate 7d",
            &drift.hit_rate_7d,
            hit_note(&drift.hit_rate_7d),
        ),
        rate_row(
            "hit rate 14d",
            &drift.hit_rate_14d,
            hit_note(&drift.hit_rate_14d),
        ),
        rate_row(
            "hit rate 30d",
            &drift.hit_rate_30d,
            hit_note(&drift.hit_rate_30d),
        ),
        [
            "model MAE 14d".to_string(),
            number(drift.model_mae, 2),
            count(drift.rows_14d),
            "-".to_string(),
            format!("base {}", number(d.baselines.model_mae_baseline, 2)),
        ],
        [
            "bias 14d".to_string(),
            signed(drift.model_mean_error, 2),
            count(drift.rows_14d),
            "-".to_string(),
            drift.bias_direction.or_no_data(),
        ],
        [
            "drift score".to_string(),
            number(drift.drift_score, 0),
            "-".to_string(),
            "-".to_string(),
            drift.drift_severity.or_no_data(),
        ],
        [
            "sharpness".to_string(),
            number(s.sharpness_score, 1),
            count(s.model_beats_vegas.n),
            "-".to_string(),
            s.sharpness_status
                .map_or_else(|| "no verdict".to_string(), |s| s.to_string()),
        ],
        [
            "completeness 7d".to_string(),
            crate::format::percent(d.quality.shot_zone_completeness),
            count(d.quality.player_game_rows_7d),
            "-".to_string(),
            if crate::format::completeness_is_thin(
                d.quality.shot_zone_completeness,
                d.quality.player_game_rows_7d,
                d.drift.hit_rate_7d.min_n,
            ) {
                format!("insufficient sample (need {})", d.drift.hit_rate_7d.min_n)
            } else {
                format!("paint {}", crate::format::percent(d.quality.avg_paint_rate))
            },
        ],
    ];
    debug_assert_eq!(rows.len(), KEY_FIGURES);
    rows
}

/// The hit rate with its interval (`57.1% ±2.1`), or why there is none.
pub fn hit_text(entry: &Entry) -> String {
    crate::format::hit_rate_interval(entry.hit_rate.as_ref())
}

/// The leaderboard columns: header and a row's cells.
pub fn columns(wide: bool) -> Vec<&'static str> {
    if wide {
        vec![
            "",
            "name",
            "type",
            "status",
            "hit rate ±CI",
            "MAE",
            "ROI",
            "samples",
            "population",
            "created",
            "commit",
        ]
    } else {
        vec!["", "name", "status", "hit rate ±CI", "samples"]
    }
}

pub fn cells(
    entry: &Entry,
    marked: bool,
    wide: bool,
    population: Option<(&Fingerprint, bool)>,
) -> Vec<String> {
    let mark = if marked { "*" } else { " " }.to_string();
    let samples = entry
        .samples
        .map_or_else(|| "-".to_string(), |n| n.to_string());
    if wide {
        vec![
            mark,
            terminal_safe(&entry.name).into_owned(),
            terminal_safe(&entry.kind).into_owned(),
            entry.status.to_string(),
            hit_text(entry),
            number(entry.mae, 2).replace("no data", "-"),
            entry
                .roi
                .map_or_else(|| "-".to_string(), |roi| format!("{:+.1}%", roi * 100.0)),
            samples,
            crate::format::population_cell(population),
            entry.created_at.format("%Y-%m-%d").to_string(),
            terminal_safe(&entry.short_commit()).into_owned(),
        ]
    } else {
        vec![
            mark,
            terminal_safe(&entry.name).into_owned(),
            entry.status.to_string(),
            hit_text(entry),
            samples,
        ]
    }
}
