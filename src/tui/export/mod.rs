//! `e`: the current tab's table as CSV text (the runtime writes the file).
//! Values are raw, as a spreadsheet or a script wants them: numbers without
//! separators or units, rates as `k`, `n`, percent and interval bounds in
//! columns of their own, an empty field for a missing value (BigQuery's CSV
//! NULL), dates as YYYY-MM-DD. Each tab writes its own file name.

use crate::model::{Diagnostics, Rate};
use crate::registry::leaderboard::Entry;
use crate::tui::action::{DashboardData, GapData, Tab};
use crate::tui::app::App;
use std::collections::BTreeSet;

mod cells;
mod comparisons;

use cells::{csv, number, rate_cells, rate_header};

/// `(file name, CSV)` of the table on the tab in view, if it has one
/// (`None` before its data has loaded). The name is safe as a file name
/// whatever the system or experiment is called.
pub fn current_table(app: &App) -> Option<(String, String)> {
    let (name, contents) = table_of(app)?;
    Some((safe_file_name(&name), contents))
}

/// Characters that cannot stand in a file name become `_`.
fn safe_file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn table_of(app: &App) -> Option<(String, String)> {
    let dashboard = app.dashboard.data.as_ref();
    let gap = app.gap.panel.data.as_ref();
    let versus = app.versus.panel.data.as_ref();
    let splits = app.splits.panel.data.as_ref();
    match app.tab {
        Tab::Experiments => {
            app.experiments.panel.data.as_ref()?;
            Some((
                "courtside-experiments.csv".to_string(),
                leaderboard(&app.visible_entries(), &app.experiments.board.marked),
            ))
        }
        Tab::Overview => {
            let data = dashboard?;
            Some((file_name("overview", data), key_figures(&data.diagnostics)))
        }
        Tab::Sharpness => {
            let data = dashboard?;
            Some((file_name("sharpness", data), sharpness_days(data)))
        }
        Tab::Drift => {
            let data = dashboard?;
            Some((file_name("drift", data), drift_days(data)))
        }
        Tab::Versus => {
            let data = versus?;
            Some((
                format!(
                    "courtside-versus-{}-{}-{}-{}.csv",
                    data.report.a.label(),
                    data.report.b.label(),
                    data.report.from,
                    data.report.to
                ),
                comparisons::versus_figures(&data.report),
            ))
        }
        Tab::Splits => {
            let data = splits?;
            Some((
                format!(
                    "courtside-splits-{}-{}-{}.csv",
                    data.report.system_id, data.report.from, data.report.to
                ),
                comparisons::split_rows(&data.report),
            ))
        }
        Tab::Gap => {
            let gap = gap?;
            Some((
                format!("courtside-gap-{}-{}.csv", gap.experiment_name, gap.system),
                gap_figures(gap),
            ))
        }
        Tab::Tonight => {
            let slate = &app.tonight.panel.data.as_ref()?.slate;
            Some((
                format!("courtside-tonight-{}.csv", slate.game_date),
                slate_systems(slate),
            ))
        }
    }
}

/// One row per system of the slate: its figures and level.
fn slate_systems(slate: &crate::model::game_day::Slate) -> String {
    cells::csv(
        &[
            "game_date",
            "system_id",
            "players_with_line",
            "predicted",
            "predicted_coverage",
            "missing",
            "graded",
            "predictions",
            "level",
            "message",
        ],
        slate.systems.iter().map(|system| {
            vec![
                slate.game_date.to_string(),
                system.system_id.clone(),
                slate.players_with_line.to_string(),
                system.predicted.to_string(),
                system
                    .predicted_coverage
                    .map_or_else(String::new, |c| format!("{c:.4}")),
                system.missing.len().to_string(),
                system.grading.graded.to_string(),
                system.grading.predicted.to_string(),
                system.level.as_str().to_string(),
                system.message.clone().unwrap_or_default(),
            ]
        }),
    )
}

fn file_name(tab: &str, data: &DashboardData) -> String {
    format!(
        "courtside-{tab}-{}-{}.csv",
        data.selection.system, data.selection.date
    )
}

/// One row per rate of the Overview, then the scalar figures.
fn key_figures(d: &Diagnostics) -> String {
    let mut header = vec!["figure".to_string()];
    header.extend(
        ["k", "n", "value", "ci95_low", "ci95_high", "sufficient"]
            .iter()
            .map(|s| s.to_string()),
    );
    header.push("p_value".to_string());
    let rates: [(&str, &Rate); 4] = [
        ("model_beats_vegas_pct", &d.sharpness.model_beats_vegas),
        ("hit_rate_7d", &d.drift.hit_rate_7d),
        ("hit_rate_14d", &d.drift.hit_rate_14d),
        ("hit_rate_30d", &d.drift.hit_rate_30d),
    ];
    let mut rows: Vec<Vec<String>> = rates
        .iter()
        .map(|(name, rate)| {
            let mut row = vec![name.to_string()];
            row.extend(rate_cells(rate));
            row.push(number(rate.p_value));
            row
        })
        .collect();
    let scalars: [(&str, Option<f64>); 7] = [
        ("sharpness_score", d.sharpness.sharpness_score),
        ("model_mae", d.drift.model_mae),
        ("model_mean_error", d.drift.model_mean_error),
        ("drift_score", d.drift.drift_score),
        ("shot_zone_completeness", d.quality.shot_zone_completeness),
        ("coverage", d.coverage.coverage),
        ("cusum_stat", d.cusum.as_ref().and_then(|c| c.cusum_stat)),
    ];
    for (name, value) in scalars {
        let mut row = vec![
            name.to_string(),
            String::new(),
            String::new(),
            number(value),
        ];
        row.extend(std::iter::repeat_n(String::new(), 4));
        rows.push(row);
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(&header, rows.into_iter())
}

/// One row per day of the selected system's trend: the date, a rate's
/// columns and `figures` named by `names`; empty cells on days without data.
fn trend_days(
    data: &DashboardData,
    rate: (&str, fn(&Diagnostics) -> &Rate),
    names: &[&str],
    figures: fn(&Diagnostics) -> Vec<String>,
) -> String {
    let mut header = vec!["game_date".to_string()];
    header.extend(rate_header(rate.0));
    header.extend(names.iter().map(|s| s.to_string()));
    let width = header.len() - 1;
    let rows = selected_trend(data).map(|(date, d)| {
        let mut row = vec![date.to_string()];
        match d {
            Some(d) => {
                row.extend(rate_cells(rate.1(d)));
                row.extend(figures(d));
            }
            None => row.extend(std::iter::repeat_n(String::new(), width)),
        }
        row
    });
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(&header, rows)
}

/// Beats-Vegas, the sharpness score and the MAEs behind the Sharpness charts.
fn sharpness_days(data: &DashboardData) -> String {
    trend_days(
        data,
        ("model_beats_vegas", |d| &d.sharpness.model_beats_vegas),
        &[
            "sharpness_score",
            "vegas_mae_tier1",
            "vegas_mae_tier2",
            "vegas_mae_tier3",
            "model_mae",
        ],
        |d| {
            vec![
                number(d.sharpness.sharpness_score),
                number(d.sharpness.vegas_mae_tier1),
                number(d.sharpness.vegas_mae_tier2),
                number(d.sharpness.vegas_mae_tier3),
                number(d.drift.model_mae),
            ]
        },
    )
}

/// The hit rate, drift and bias behind the Drift sparklines.
fn drift_days(data: &DashboardData) -> String {
    trend_days(
        data,
        ("hit_rate_7d", |d| &d.drift.hit_rate_7d),
        &[
            "drift_score",
            "model_mae",
            "model_mean_error",
            "bias_direction",
        ],
        |d| {
            vec![
                number(d.drift.drift_score),
                number(d.drift.model_mae),
                number(d.drift.model_mean_error),
                d.drift
                    .bias_direction
                    .map_or_else(String::new, |b| b.to_string()),
            ]
        },
    )
}

fn selected_trend(
    data: &DashboardData,
) -> impl Iterator<Item = (chrono::NaiveDate, Option<&Diagnostics>)> {
    data.series
        .iter()
        .find(|(system, _)| *system == data.selection.system)
        .into_iter()
        .flat_map(|(_, trend)| trend.iter().map(|(date, d)| (*date, d.as_ref())))
}

/// The leaderboard rows the user sees, with raw figures.
fn leaderboard(entries: &[Entry], marked: &BTreeSet<String>) -> String {
    let mut header: Vec<String> = [
        "marked",
        "experiment_id",
        "experiment_name",
        "experiment_type",
        "status",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(rate_header("hit_rate"));
    header.extend(
        [
            "mae",
            "roi",
            "samples",
            "created_at",
            "git_commit",
            "parent_experiment_id",
        ]
        .iter()
        .map(|s| s.to_string()),
    );
    let rows = entries.iter().map(|entry| {
        let mut row = vec![
            marked.contains(&entry.id).to_string(),
            entry.id.clone(),
            entry.name.clone(),
            entry.kind.clone(),
            entry.status.to_string(),
        ];
        match &entry.hit_rate {
            Some(rate) => row.extend(rate_cells(rate)),
            None => row.extend(std::iter::repeat_n(String::new(), 6)),
        }
        row.push(number(entry.mae));
        row.push(number(entry.roi));
        row.push(entry.samples.map_or_else(String::new, |n| n.to_string()));
        row.push(entry.created_at.to_rfc3339());
        row.push(entry.git_commit.clone().unwrap_or_default());
        row.push(entry.parent_id.clone().unwrap_or_default());
        row
    });
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(&header, rows)
}

/// The Gap tab's hit rates (one row each) and the dates missing from one side.
fn gap_figures(gap: &GapData) -> String {
    let report = &gap.report;
    let mut header = vec!["figure".to_string()];
    header.extend(
        rate_header("rate")
            .into_iter()
            .map(|h| h.replace("rate_", "")),
    );
    let rates: [(&str, &Rate); 5] = [
        ("hit_rate_backtest", &report.hit_rate_backtest),
        ("hit_rate_backtest_shared", &report.hit_rate_backtest_shared),
        (
            "hit_rate_backtest_shared_actual",
            &report.hit_rate_backtest_shared_actual,
        ),
        (
            "hit_rate_production_shared",
            &report.hit_rate_production_shared,
        ),
        ("hit_rate_production", &report.hit_rate_production),
    ];
    let mut rows: Vec<Vec<String>> = rates
        .iter()
        .map(|(name, rate)| {
            let mut row = vec![name.to_string()];
            row.extend(rate_cells(rate));
            row
        })
        .collect();
    let blank = |value: String| {
        let mut row = vec![value];
        row.extend(std::iter::repeat_n(String::new(), 6));
        row
    };
    let counted: [(&str, u64); 5] = [
        ("backtest_rows", report.backtest_rows),
        ("production_rows", report.production_rows),
        ("backtest_only", report.backtest_only),
        ("production_only", report.production_only),
        ("both", report.both),
    ];
    for (name, value) in counted {
        let mut row = blank(name.to_string());
        row[2] = value.to_string();
        rows.push(row);
    }
    let mut gap_row = blank("gap_points".to_string());
    gap_row[3] = number(report.gap);
    rows.push(gap_row);
    for missing in &report.missing_dates {
        let mut row = blank(format!("missing_date {}", missing.game_date));
        row[2] = missing.backtest_rows.to_string();
        rows.push(row);
    }
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv(&header, rows.into_iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_and_newlines_are_quoted() {
        let rows = vec![vec!["a,b", "say \"hi\"", "two\nlines", "plain"]];
        assert_eq!(
            csv(&["w", "x", "y", "z"], rows.into_iter()),
            "w,x,y,z\n\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\n"
        );
    }

    #[test]
    fn numbers_are_raw_and_missing_is_empty() {
        assert_eq!(number(Some(1055.0)), "1055");
        assert_eq!(number(Some(56.125)), "56.125");
        assert_eq!(number(None), "");
        assert_eq!(number(Some(f64::NAN)), "");
        let rate = Rate::hit_rate(561, 1000, 50, 0.524);
        let cells = rate_cells(&rate);
        assert_eq!(cells[..3], ["561", "1000", "56.1"]);
        assert_eq!(cells[5], "true");
    }
}
