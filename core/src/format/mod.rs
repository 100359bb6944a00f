//! Text forms of numbers shared by the CLI and the dashboard: missing values
//! read "no data", never 0 or a neutral default. Stored strings in the text
//! are made terminal-safe (`safe`): control characters shown, never obeyed.

pub mod comparisons;
pub mod experiments;
pub mod safe;

pub use safe::{needs_escape, terminal_safe, terminal_safe_lines};

use crate::model::Diagnostics;
use crate::model::Rate;
use crate::model::detector::{COVERAGE_WARNING, CusumDesign, CusumReport};

/// Placeholder for a missing value.
pub const NO_DATA: &str = "no data";

/// Text of an optional value: the value, or "no data" when it is missing.
pub trait OrNoData {
    fn or_no_data(self) -> String;
}

impl<T: std::fmt::Display> OrNoData for Option<T> {
    fn or_no_data(self) -> String {
        self.map_or_else(|| NO_DATA.to_string(), |value| value.to_string())
    }
}

/// `value` with `decimals` places, or "no data".
pub fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| NO_DATA.to_string(), |v| format!("{v:.decimals$}"))
}

/// `value` as a percentage with one decimal, or "no data".
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| NO_DATA.to_string(), |v| format!("{v:.1}%"))
}

/// A signed number (`+0.42`), or "no data".
pub fn signed(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| NO_DATA.to_string(), |v| format!("{v:+.decimals$}"))
}

/// A rate with its interval, n and (for hit rates) p-value.
pub fn rate_with_p(rate: &Rate) -> String {
    match rate.p_value {
        Some(p) if rate.sufficient => format!("{rate}  {}", p_value(p)),
        _ => rate.to_string(),
    }
}

/// A p-value as one statement: `p=0.043`, or `p<0.001` below a thousandth
/// (never `p=<0.001`).
pub fn p_value(p: f64) -> String {
    if p < 0.001 {
        "p<0.001".to_string()
    } else {
        format!("p={p:.3}")
    }
}

/// A p-value in a column headed `p`: `0.043`, or `<0.001`.
pub fn p_cell(p: f64) -> String {
    if p < 0.001 {
        "<0.001".to_string()
    } else {
        format!("{p:.3}")
    }
}

/// A hit rate with the half-width of its interval (`57.1% ±2.1`), flagged
/// when the sample is too small for a verdict (`48.0% (n<50)`), or `-`.
pub fn hit_rate_interval(rate: Option<&Rate>) -> String {
    match rate {
        None => "-".to_string(),
        Some(rate) => match (rate.pct, rate.interval) {
            (Some(pct), Some(interval)) if rate.sufficient => {
                format!("{pct:.1}% ±{:.1}", (interval.high - interval.low) / 2.0)
            }
            (Some(pct), _) => format!("{pct:.1}% (n<{})", rate.min_n),
            _ => "-".to_string(),
        },
    }
}

/// A table cell: `value` with `decimals` places, or `-` when missing.
pub fn cell(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.decimals$}"))
}

/// A return on investment given as a fraction (`0.042`), as a signed
/// percentage (`+4.2%`), or `-` when missing.
pub fn roi(fraction: Option<f64>) -> String {
    fraction.map_or_else(|| "-".to_string(), |r| format!("{:+.1}%", r * 100.0))
}

/// A count of about `value`, to three significant figures with separators
/// (`20,044.9` -> `20,000`, `1,166.1` -> `1,170`).
pub fn about(value: f64) -> String {
    if !value.is_finite() || value <= 0.0 {
        return NO_DATA.to_string();
    }
    let digits = value.log10().floor() as i32;
    let scale = 10f64.powi((digits - 2).max(0));
    count(((value / scale).round() * scale) as u64)
}

/// The drift detector in words: how often it cries wolf, how fast it sees a drop.
pub fn detector_sentence(design: &CusumDesign) -> String {
    format!(
        "about one false alarm per {} bets when the model is healthy at {:.0}%; a drop to break-even is caught in about {} bets",
        about(design.arl0_bets),
        100.0 * design.p_ok,
        about(design.arl1_bets)
    )
}

/// Where the detector's `S` stands against `h` on the date.
pub fn detector_status(report: &CusumReport) -> String {
    let stat = report
        .cusum_stat
        .map_or_else(|| "no bets yet".to_string(), |s| format!("S = {s:.2}"));
    let state = if report.cusum_alarm {
        "ALARM: the hit rate has drifted towards break-even".to_string()
    } else if let Some(day) = report.cusum_last_alarm {
        format!("no alarm; last alarm {day}")
    } else {
        "no alarm".to_string()
    };
    format!(
        "drift detector (CUSUM): {stat} of h = {:.2}, {state}",
        report.cusum_threshold
    )
}

/// What the coverage check saw (metrics.md section 5b, Rev. 3): the
/// date's gap (not predicted, not graded, no lines, or no graded rows when
/// the tables cannot tell), a day with far fewer graded rows than usual, the
/// other gap days of the 7-day window, and "not running" before a system's
/// first prediction. Empty when all is normal.
pub fn coverage_sentences(d: &Diagnostics) -> Vec<String> {
    let c = &d.coverage;
    let system = terminal_safe(&d.system_id);
    let mut lines = Vec::new();
    if c.not_running {
        lines.push(match c.first_day {
            Some(first) => format!(
                "· {system} was not running on {} (its first prediction: {first})",
                d.game_date
            ),
            None => format!("· {system} was not running on {}", d.game_date),
        });
        return lines;
    }
    let usual = c
        .usual_made
        .map(|u| format!("; usually {}", count(u.round() as u64)))
        .unwrap_or_default();
    if let Some(found) = &c.finding {
        lines.push(format!("✖ {}", terminal_safe(&found.message)));
    } else if let Some(share) = c.coverage.filter(|share| *share < COVERAGE_WARNING) {
        lines.push(format!(
            "⚠ {system} has {} graded rows on {} ({:.0}% of usual{usual}), {} player-games",
            count(c.predictions_made),
            d.game_date,
            share * 100.0,
            count(c.player_games)
        ));
    } else if !c.is_game_date {
        lines.push(format!(
            "· no games on {}: nothing was scheduled or played, so nothing to predict or grade (the windows' figures are of the days before)",
            d.game_date
        ));
    }
    let others: Vec<String> = c
        .missing_dates_7d
        .iter()
        .filter(|missing| missing.game_date != d.game_date)
        .map(|missing| {
            format!(
                "{} ({}, {} player-games)",
                missing.game_date.format("%m-%d"),
                missing.kind.as_str(),
                count(missing.player_games)
            )
        })
        .collect();
    if !others.is_empty() {
        lines.push(format!(
            "✖ {} other game date{} of the 7 days without graded rows: {}",
            others.len(),
            if others.len() == 1 { "" } else { "s" },
            others.join(", ")
        ));
    }
    lines
}

/// The stored rows a fetch left out, one line each (at most the examples
/// kept) and a count line; empty when none were.
pub fn skipped_sentences(d: &Diagnostics) -> Vec<String> {
    let skipped = &d.skipped_rows;
    if skipped.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "⚠ {} stored row{} left out (a value that does not read, is out of its range or dated after today); the figures use the rest:",
        count(skipped.count),
        if skipped.count == 1 { "" } else { "s" }
    )];
    for row in &skipped.examples {
        lines.push(skipped_line(row));
    }
    let named = skipped.examples.len() as u64;
    if skipped.count > named {
        lines.push(format!("  … and {} more", count(skipped.count - named)));
    }
    lines
}

/// One skipped row: table, key, column, the value (quoted, but a missing
/// one as `NULL`) and the problem.
pub fn skipped_line(row: &crate::model::day_stats::SkippedRow) -> String {
    let value = if row.value == "NULL" {
        "NULL".to_string()
    } else {
        format!("'{}'", terminal_safe(&row.value))
    };
    format!(
        "  {} ({}): {} = {value}: {}",
        terminal_safe(&row.table),
        terminal_safe(&row.key),
        terminal_safe(&row.column),
        terminal_safe(&row.problem)
    )
}

/// A span of hours as "7 hours" or, from two days, "318 days".
pub fn hours_ago(hours: f64) -> String {
    if hours < 48.0 {
        format!("{hours:.0} hours")
    } else {
        format!("{:.0} days", hours / 24.0)
    }
}

/// An integer with thousands separators.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `9,642 rows · 92 dates · 31% real lines · 1a2b3c4d`.
pub fn fingerprint_text(fingerprint: &crate::model::fingerprint::Fingerprint) -> String {
    format!(
        "{} rows · {} dates · {} real lines · {}",
        count(fingerprint.rows),
        count(fingerprint.dates),
        fingerprint
            .actual_line_share
            .map_or_else(|| "-".to_string(), |s| format!("{:.0}%", 100.0 * s)),
        terminal_safe(&fingerprint.keys)
    )
}

/// The population cell: the key hash, `≠` when not comparable with the
/// first ranked experiment with a backtest, `-` without backtest rows.
pub fn population_cell(
    population: Option<(&crate::model::fingerprint::Fingerprint, bool)>,
) -> String {
    match population {
        None => "-".to_string(),
        Some((fingerprint, true)) => terminal_safe(&fingerprint.keys).into_owned(),
        Some((fingerprint, false)) => format!("{} ≠", terminal_safe(&fingerprint.keys)),
    }
}

/// Shot-zone completeness with its sample: `98.1% (n=265 player-games)`,
/// or under the alert rules' minimum (`min_bets` player-games, the same as
/// a hit rate's) `44.8% (n=29 player-games: insufficient sample, need
/// 50)`, since no rule reads it then.
pub fn completeness(value: Option<f64>, player_games: u64, min_n: u64) -> String {
    let thin = if completeness_is_thin(value, player_games, min_n) {
        format!(": insufficient sample, need {}", count(min_n))
    } else {
        String::new()
    };
    format!(
        "{} (n={} player-games{thin})",
        percent(value),
        count(player_games)
    )
}

/// Whether a shot-zone completeness rests on fewer player-games than the
/// rules' minimum (no rule reads it then).
pub fn completeness_is_thin(value: Option<f64>, player_games: u64, min_n: u64) -> bool {
    value.is_some() && player_games < min_n
}

#[cfg(test)]
mod tests {
    #[test]
    fn completeness_under_its_minimum_says_so() {
        assert_eq!(
            super::completeness(Some(44.8), 29, 50),
            "44.8% (n=29 player-games: insufficient sample, need 50)"
        );
        assert_eq!(
            super::completeness(Some(98.1), 265, 50),
            "98.1% (n=265 player-games)"
        );
        assert_eq!(
            super::completeness(None, 0, 50),
            "no data (n=0 player-games)"
        );
    }

    #[test]
    fn a_p_value_is_one_statement_and_a_p_cell_a_bare_number() {
        assert_eq!(p_value(0.0004), "p<0.001");
        assert_eq!(p_value(0.0431), "p=0.043");
        assert_eq!(p_cell(0.0004), "<0.001");
        assert_eq!(p_cell(0.0431), "0.043");
    }

    use super::*;

    fn report(stat: Option<f64>, alarm: bool) -> CusumReport {
        CusumReport {
            cusum_stat: stat,
            cusum_threshold: 3.2,
            cusum_arl0_bets: 20_000.0,
            cusum_arl1_bets: 1_170.0,
            cusum_alarm: alarm,
            cusum_since: None,
            cusum_last_alarm: None,
            design: CusumDesign {
                p_ok: 0.56,
                p_be: 0.5238,
                m: 46,
                threshold_units: 2191,
                llr_span: 0.146,
                arl0_target: 20_000,
                arl0_bets: 20_000.0,
                arl1_bets: 1_170.0,
            },
        }
    }

    #[test]
    fn the_detector_status_says_where_s_stands_and_whether_it_alarmed() {
        assert_eq!(
            detector_status(&report(Some(1.234), false)),
            "drift detector (CUSUM): S = 1.23 of h = 3.20, no alarm"
        );
        assert!(detector_status(&report(Some(3.3), true)).contains("ALARM"));
        assert!(detector_status(&report(None, false)).contains("no bets yet"));
    }

    #[test]
    fn missing_values_say_no_data() {
        assert_eq!(number(None, 2), "no data");
        assert_eq!(percent(None), "no data");
        assert_eq!(percent(Some(0.0)), "0.0%");
        assert_eq!(signed(Some(0.4), 2), "+0.40");
    }

    #[test]
    fn about_keeps_three_significant_figures() {
        assert_eq!(about(20_044.97), "20,000");
        assert_eq!(about(1_166.07), "1,170");
        assert_eq!(about(932.4), "932");
        assert_eq!(about(f64::INFINITY), "no data");
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1234567), "1,234,567");
    }
}
