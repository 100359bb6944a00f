//! `e` on the Versus and Splits tabs: their figures as raw CSV values
//! (the conventions of `export`: numbers at full precision, rates as k, n,
//! percent and bounds, empty fields for missing values).

use super::cells::{csv, number, rate_cells, rate_header};
use crate::model::Rate;
use crate::model::splits::SplitsReport;
use crate::model::versus::VersusReport;

/// One row per figure of the comparison: `figure, value, k, n, pct, low, high`.
pub fn versus_figures(report: &VersusReport) -> String {
    let header = ["figure", "value", "k", "n", "pct", "ci95_low", "ci95_high"];
    let scalar = |name: &str, value: String| {
        let mut row = vec![name.to_string(), value];
        row.extend(std::iter::repeat_n(String::new(), 5));
        row
    };
    let rate = |name: &str, rate: &Rate| {
        let cells = rate_cells(rate);
        vec![
            name.to_string(),
            String::new(),
            cells[0].clone(),
            cells[1].clone(),
            cells[2].clone(),
            cells[3].clone(),
            cells[4].clone(),
        ]
    };
    let interval = |name: &str, point: Option<f64>, bounds: Option<crate::stats::Interval>| {
        vec![
            name.to_string(),
            number(point),
            String::new(),
            String::new(),
            String::new(),
            number(bounds.map(|i| i.low)),
            number(bounds.map(|i| i.high)),
        ]
    };
    let rows = vec![
        scalar("a", report.a.label().to_string()),
        scalar("b", report.b.label().to_string()),
        scalar("from", report.from.to_string()),
        scalar("to", report.to.to_string()),
        scalar("a_only", report.a_only.to_string()),
        scalar("b_only", report.b_only.to_string()),
        scalar("shared", report.shared.to_string()),
        scalar("both_bet", report.both_bet.to_string()),
        rate("hit_rate_a", &report.hit_rate_a),
        rate("hit_rate_b", &report.hit_rate_b),
        scalar("a_hit_b_miss", report.a_hit_b_miss.to_string()),
        scalar("a_miss_b_hit", report.a_miss_b_hit.to_string()),
        scalar(
            "mcnemar_p_value",
            number(report.mcnemar.as_ref().map(|m| m.p_value)),
        ),
        interval(
            "difference_pp",
            report.difference_pp,
            report.difference_interval,
        ),
        scalar(
            "difference_lower_one_sided",
            number(report.difference_lower_one_sided),
        ),
        interval(
            "mae_difference",
            report.mae_difference,
            report.mae_difference_interval,
        ),
        scalar("error_pairs", report.error_pairs.to_string()),
        scalar("margin_pp", number(Some(report.margin_pp))),
        scalar("verdict", report.verdict.as_str().to_string()),
    ];
    csv(&header, rows.into_iter())
}

/// One row per bucket, then one per calibration decile (dimension
/// `calibration`, its mean confidence in `mean_confidence`).
pub fn split_rows(report: &SplitsReport) -> String {
    let mut header: Vec<String> = ["dimension", "bucket"].map(String::from).to_vec();
    header.extend(rate_header("hit"));
    header.extend(
        [
            "p_value",
            "roi_pct",
            "roi_ci95_low",
            "roi_ci95_high",
            "units",
            "max_drawdown",
            "always_under_pct",
            "always_over_pct",
            "clv_n",
            "clv_no_close",
            "clv_mean_points",
            "clv_ci95_low",
            "clv_ci95_high",
            "clv_verdict",
            "mean_confidence",
        ]
        .map(String::from),
    );
    let mut rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![row.dimension.as_str().to_string(), row.bucket.clone()];
            cells.extend(rate_cells(&row.hit_rate));
            cells.extend([
                number(row.hit_rate.p_value),
                number(row.roi_pct),
                number(row.roi_interval.map(|i| i.low)),
                number(row.roi_interval.map(|i| i.high)),
                number(Some(row.units)),
                number(Some(row.max_drawdown)),
                number(row.always_under.pct),
                number(row.always_over.pct),
            ]);
            let clv = row.clv.as_ref();
            cells.extend([
                number(clv.map(|c| c.n as f64)),
                number(clv.map(|c| c.no_close as f64)),
                number(clv.and_then(|c| c.mean_points)),
                number(clv.and_then(|c| c.interval).map(|i| i.low)),
                number(clv.and_then(|c| c.interval).map(|i| i.high)),
                clv.map_or_else(String::new, |c| c.verdict.as_str().to_string()),
                String::new(),
            ]);
            cells
        })
        .collect();
    for decile in &report.calibration {
        let mut cells = vec!["calibration".to_string(), decile.decile.clone()];
        cells.extend(rate_cells(&decile.hit_rate));
        cells.extend(std::iter::repeat_n(String::new(), 14));
        cells.push(number(decile.mean_confidence));
        rows.push(cells);
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(&header, rows.into_iter())
}
