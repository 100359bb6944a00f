//! Text forms of the Splits and Versus views (metrics.md sections 13 and
//! 14), shared by `courtside splits`/`versus` and the dashboard's tabs so
//! both show the same cells. Stored names (systems, experiments, buckets)
//! are terminal-safe.

use super::{NO_DATA, count, p_cell, p_value, terminal_safe};
use crate::model::Rate;
use crate::model::clv::{ClvFigures, ClvVerdict};
use crate::model::splits::{CalibrationRow, Dimension, SplitRow, SplitsReport};
use crate::model::versus::VersusReport;
use crate::stats::Interval;

/// Column titles of the splits table.
pub const SPLIT_COLUMNS: [&str; 10] = [
    "bucket",
    "bets",
    "hit rate [95%]",
    "p",
    "CLV",
    "ROI [95%]",
    "units",
    "max DD",
    "UNDER",
    "OVER",
];

/// The index of the CLV column in [`SPLIT_COLUMNS`].
pub const CLV_COLUMN: usize = 4;

/// The splits columns to show: all of them, but the CLV column only where
/// some row has the close (none without a snapshot table).
pub fn split_columns(report: &SplitsReport) -> Vec<usize> {
    let with_clv = report.rows.iter().any(|row| row.clv.is_some());
    (0..SPLIT_COLUMNS.len())
        .filter(|&i| with_clv || i != CLV_COLUMN)
        .collect()
}

/// Column titles of the calibration table.
pub const CALIBRATION_COLUMNS: [&str; 4] = ["decile", "bets", "mean conf", "hit rate [95%]"];

/// `54.1% [51.3–56.9]`, `48.0% (n=12<50)` or "no data".
pub fn rate_cell(rate: &Rate) -> String {
    match (rate.pct, rate.interval) {
        (Some(pct), Some(interval)) if rate.sufficient => {
            format!("{pct:.1}% [{:.1}–{:.1}]", interval.low, interval.high)
        }
        (Some(pct), _) => format!("{pct:.1}% (n={}<{})", rate.n, rate.min_n),
        _ => NO_DATA.to_string(),
    }
}

/// A signed value with its interval (`+4.2 points [+1.5, +6.8]`), or "no data".
/// With as many decimals as tell the interval's ends apart (one, or two
/// or three for a narrow one: `-0.08 points [-0.11, -0.05]`, never
/// `-0.1 [-0.1, -0.1]`).
pub fn interval_cell(point: Option<f64>, interval: Option<Interval>, unit: &str) -> String {
    match (point, interval) {
        (Some(point), Some(i)) => {
            let width = (i.high - i.low).abs();
            let decimals = if width >= 0.2 {
                1
            } else if width >= 0.02 {
                2
            } else {
                3
            };
            format!(
                "{point:+.decimals$}{unit} [{:+.decimals$}, {:+.decimals$}]",
                i.low, i.high
            )
        }
        (Some(point), None) => format!("{point:+.1}{unit}"),
        _ => NO_DATA.to_string(),
    }
}

/// The bucket as a row label: `edge [3,4)`, `direction UNDER`, `all bets`.
pub fn bucket_label(row: &SplitRow) -> String {
    let bucket = terminal_safe(&row.bucket);
    match row.dimension {
        Dimension::All => "all bets".to_string(),
        Dimension::ConfidenceDecile => format!("decile {bucket}"),
        Dimension::LineKind => format!("{bucket} lines"),
        Dimension::Bookmaker => format!("book {bucket}"),
        dimension => format!("{} {bucket}", dimension.as_str()),
    }
}

/// The cells of one splits row, in [`SPLIT_COLUMNS`] order.
pub fn split_cells(row: &SplitRow) -> Vec<String> {
    let naive = |rate: &Rate| super::percent(rate.pct);
    vec![
        bucket_label(row),
        count(row.hit_rate.n),
        rate_cell(&row.hit_rate),
        row.hit_rate
            .p_value
            .filter(|_| row.hit_rate.sufficient)
            .map_or_else(|| "-".to_string(), p_cell),
        clv_cell(row.clv.as_ref()),
        interval_cell(row.roi_pct, row.roi_interval, "%"),
        format!("{:+.1}", row.units),
        format!("{:.1}", row.max_drawdown),
        naive(&row.always_under),
        naive(&row.always_over),
    ]
}

/// A splits row's close (metrics.md 18): the mean points with the verdict's
/// mark, `+1.31 ▲` (beats the close), `-0.57 ▼` (loses to it), `-0.01 ~`
/// (no evidence), `+0.40 n=5` (under 30 bets with a close: no verdict);
/// `-` where the close does not judge the row or no bet has a close.
pub fn clv_cell(clv: Option<&ClvFigures>) -> String {
    let Some((figures, mean)) = clv.and_then(|f| Some((f, f.mean_points?))) else {
        return "-".to_string();
    };
    let mean = if mean.abs() < 0.005 { 0.0 } else { mean };
    match figures.verdict {
        ClvVerdict::BeatsTheClose => format!("{mean:+.2} ▲"),
        ClvVerdict::LosesToTheClose => format!("{mean:+.2} ▼"),
        ClvVerdict::NoEvidence => format!("{mean:+.2} ~"),
        ClvVerdict::TooFewBets => format!("{mean:+.2} n={}", figures.n),
    }
}

/// The cells of one calibration row, in [`CALIBRATION_COLUMNS`] order.
pub fn calibration_cells(row: &CalibrationRow) -> Vec<String> {
    vec![
        terminal_safe(&row.decile).into_owned(),
        count(row.n),
        row.mean_confidence
            .map_or_else(|| NO_DATA.to_string(), |c| format!("{:.1}%", 100.0 * c)),
        rate_cell(&row.hit_rate),
    ]
}

/// What the table does not say: edge pays, Brier and ECE, and the buckets
/// no better than a naive baseline.
pub fn splits_notes(report: &SplitsReport) -> Vec<String> {
    let mut lines = Vec::new();
    match &report.edge_pays {
        Some(edge) => lines.push(format!(
            "edge pays: {} against {}: z={:.2}, {} (one-sided){}",
            terminal_safe(&edge.top),
            terminal_safe(&edge.bottom),
            edge.z,
            p_value(edge.p_value),
            if edge.p_value < 0.05 {
                ""
            } else {
                " - the bigger edges do not win more"
            }
        )),
        None => lines.push("edge pays: no data (needs bets in two edge buckets)".to_string()),
    }
    lines.push(format!(
        "calibration: Brier {}  ECE {}",
        report
            .brier
            .map_or_else(|| NO_DATA.to_string(), |b| format!("{b:.4}")),
        report.ece.map_or_else(
            || NO_DATA.to_string(),
            |e| format!("{:.1} points", 100.0 * e)
        ),
    ));
    if report.rows.iter().any(|row| row.clv.is_some()) {
        lines.push(
            "CLV: mean points the line moved toward the bets by the close (metrics.md 18; \
             `courtside clv` for the rest): ▲ beats the close, ▼ loses to it (95% t interval), \
             ~ no evidence, n=… under 30 bets with a close; it shows an edge in tens of bets \
             where the hit rate needs thousands"
                .to_string(),
        );
    }
    lines.extend(naive_lines(report));
    lines
}

/// The buckets no better than a naive baseline, one line per side:
/// `no better than always taking the UNDER: all bets (52.7%), edge [3,4) (52.1%)`.
fn naive_lines(report: &SplitsReport) -> Vec<String> {
    let mut by_side: Vec<(&str, Vec<String>)> = Vec::new();
    for row in &report.rows {
        if row.naive_note.is_none() {
            continue;
        }
        let (side, rate) = if row.always_under.pct >= row.always_over.pct {
            ("UNDER", &row.always_under)
        } else {
            ("OVER", &row.always_over)
        };
        let entry = format!(
            "{} ({})",
            bucket_label(row),
            rate.pct
                .map_or_else(|| NO_DATA.to_string(), |p| format!("{p:.1}%"))
        );
        match by_side.iter_mut().find(|(name, _)| *name == side) {
            Some((_, entries)) => entries.push(entry),
            None => by_side.push((side, vec![entry])),
        }
    }
    by_side
        .into_iter()
        .map(|(side, entries)| {
            format!(
                "no better than always taking the {side} on the same bets: {}",
                entries.join(", ")
            )
        })
        .collect()
}

/// The 2x2 table of paired outcomes on the both-bet keys.
pub fn flip_table(report: &VersusReport) -> [[u64; 2]; 2] {
    let both_hit = report.hit_rate_a.k.saturating_sub(report.a_hit_b_miss);
    let both_miss = report
        .both_bet
        .saturating_sub(both_hit + report.a_hit_b_miss + report.a_miss_b_hit);
    [
        [both_hit, report.a_hit_b_miss],
        [report.a_miss_b_hit, both_miss],
    ]
}

/// The comparison in lines of text, as `courtside versus` prints it.
pub fn versus_lines(report: &VersusReport) -> Vec<String> {
    let (a, b) = (
        terminal_safe(report.a.label()),
        terminal_safe(report.b.label()),
    );
    let (a, b) = (&*a, &*b);
    let shown = unicode_width::UnicodeWidthStr::width;
    let width = shown(a).max(shown(b)).max(6);
    let pad = |text: &str| {
        let shown = shown(text);
        format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
    };
    let flips = flip_table(report);
    let mut lines = vec![
        format!(
            "population   A only {}  B only {}  shared {}  both bet {}",
            count(report.a_only),
            count(report.b_only),
            count(report.shared),
            count(report.both_bet)
        ),
        String::new(),
        "hit rate on the rows where both bet (95% interval)".to_string(),
        format!("  A {}  {}", pad(a), rate_cell(&report.hit_rate_a)),
        format!("  B {}  {}", pad(b), rate_cell(&report.hit_rate_b)),
        String::new(),
        format!("flips        {:>10} {:>10}", "B hit", "B miss"),
        format!(
            "  A hit      {:>10} {:>10}",
            count(flips[0][0]),
            count(flips[0][1])
        ),
        format!(
            "  A miss     {:>10} {:>10}",
            count(flips[1][0]),
            count(flips[1][1])
        ),
    ];
    lines.push(match &report.mcnemar {
        Some(test) => format!(
            "McNemar      b={} c={}  {}",
            count(test.b),
            count(test.c),
            p_value(test.p_value)
        ),
        None => "McNemar      no data (no paired disagreements)".to_string(),
    });
    lines.push(format!(
        "HR(B)-HR(A)  {} (Agresti-Min 95%), one-sided lower bound {}",
        interval_cell(report.difference_pp, report.difference_interval, " points"),
        report
            .difference_lower_one_sided
            .map_or_else(|| NO_DATA.to_string(), |l| format!("{l:+.1}"))
    ));
    lines.push(format!(
        "MAE(B)-MAE(A) {} on {} shared rows (negative: B errs less)",
        interval_cell(
            report.mae_difference,
            report.mae_difference_interval,
            " points"
        ),
        count(report.error_pairs)
    ));
    if let Some(clv) = &report.clv_difference {
        lines.push(format!(
            "CLV(B)-CLV(A) {} on {} shared bets with a close (positive: B's bets beat the close by more)",
            match (clv.mean_points, clv.interval) {
                (Some(mean), Some(i)) => format!("{mean:+.2} points [{:+.2}, {:+.2}]", i.low, i.high),
                (Some(mean), None) => format!("{mean:+.2} points (fewer than 30: no interval)"),
                _ => NO_DATA.to_string(),
            },
            count(clv.n)
        ));
    }
    lines.push(String::new());
    lines.push(format!(
        "verdict      {}: {}",
        report.verdict.as_str(),
        terminal_safe(&report.verdict_text)
    ));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_interval_keeps_its_ends_apart() {
        let cell =
            |point, low, high| interval_cell(Some(point), Some(Interval { low, high }), " points");
        assert_eq!(cell(-0.079, -0.106, -0.052), "-0.08 points [-0.11, -0.05]");
        assert_eq!(cell(4.2, 1.5, 6.8), "+4.2 points [+1.5, +6.8]");
        assert_eq!(cell(0.004, 0.001, 0.007), "+0.004 points [+0.001, +0.007]");
    }
}
