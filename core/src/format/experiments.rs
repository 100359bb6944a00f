//! The text of an experiment comparison, as `exp compare` prints it and the
//! dashboard's compare overlay draws it: one header, the baseline, one row
//! per other experiment with its differences, columns padded by display
//! width (CJK and emoji names keep the columns aligned); and the edge-3+ /
//! edge-5+ hit rates of results that give them. Names are terminal-safe.

use super::{NO_DATA, hit_rate_interval, terminal_safe};
use crate::model::Rate;
use crate::registry::compare;
use crate::registry::leaderboard::Entry;
use unicode_width::UnicodeWidthStr;

/// The columns of the comparison.
pub const COMPARE_COLUMNS: [&str; 5] = [
    "experiment",
    "hit rate ±CI",
    "Δ hit [95% CI]",
    "Δ MAE",
    "Δ ROI",
];

/// The cells of the comparison: the baseline first, then each other
/// experiment against it.
pub fn compare_cells(base: &Entry, others: &[Entry]) -> Vec<[String; 5]> {
    let mut rows = vec![[
        terminal_safe(&base.name).into_owned(),
        hit_rate_interval(base.hit_rate.as_ref()),
        "(baseline)".to_string(),
        String::new(),
        String::new(),
    ]];
    for delta in compare::deltas(base, others) {
        rows.push([
            terminal_safe(&delta.entry.name).into_owned(),
            hit_rate_interval(delta.entry.hit_rate.as_ref()),
            delta.hit_rate.map_or(NO_DATA.to_string(), |(d, i)| {
                format!("{d:+.1} [{:+.1}, {:+.1}]", i.low, i.high)
            }),
            delta.mae.map_or("-".to_string(), |m| format!("{m:+.2}")),
            delta
                .roi
                .map_or("-".to_string(), |r| format!("{:+.1}%", r * 100.0)),
        ]);
    }
    rows
}

/// `text` padded with spaces to `width` display columns (never cut).
pub fn pad_to(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// The comparison as lines: the header and the rows, each column as wide as
/// its widest cell; `with_roi` keeps the last column.
pub fn compare_lines(base: &Entry, others: &[Entry], with_roi: bool) -> Vec<String> {
    let mut rows = vec![COMPARE_COLUMNS.map(str::to_string)];
    rows.extend(compare_cells(base, others));
    let columns = if with_roi { 5 } else { 4 };
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|row| row[c].width()).max().unwrap_or(0))
        .collect();
    rows.iter()
        .map(|row| {
            (0..columns)
                .map(|c| pad_to(&row[c], widths[c]))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect()
}

/// The hit rates on bets with an edge of 3+ and 5+ points
/// (`edge 3+ 63.7% ±4.7 (n=410)  edge 5+ 75.3% ±9.6 (n=77)`), or `None`
/// when the results give neither (only the team's flat layout does).
pub fn edge_text(entry: &Entry) -> Option<String> {
    let one = |label: &str, rate: Option<&Rate>| {
        rate.map(|r| format!("{label} {} (n={})", hit_rate_interval(Some(r)), r.n))
    };
    let parts: Vec<String> = [
        one("edge 3+", entry.hit_rate_edge_3plus.as_ref()),
        one("edge 5+", entry.hit_rate_edge_5plus.as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join("  "))
}

/// One line per experiment with edge figures (`NAME  edge 3+ ...`), for the
/// comparison; empty when none has them.
pub fn edge_lines(entries: &[&Entry]) -> Vec<String> {
    let width = entries
        .iter()
        .map(|e| terminal_safe(&e.name).width())
        .max()
        .unwrap_or(0);
    entries
        .iter()
        .filter_map(|e| {
            edge_text(e).map(|text| format!("{}  {text}", pad_to(&terminal_safe(&e.name), width)))
        })
        .collect()
}
