//! How the charts show the value cursor (`state::cursor`): a vertical mark
//! on its day and a line with that day's exact figures.

use super::dashboard::series_of;
use crate::format::number;
use crate::model::Diagnostics;
use crate::tui::action::DashboardData;
use crate::tui::app::App;
use crate::tui::state::cursor::position;
use crate::tui::theme::Theme;
use crate::tui::widgets::chart::Points;
use chrono::NaiveDate;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

/// A vertical mark at the cursor's day from `low` to `high`, for a chart.
pub fn mark(app: &App, series: &[(NaiveDate, Option<Diagnostics>)], low: f64, high: f64) -> Points {
    let Some((index, _)) = position(app.chart_cursor, series) else {
        return Vec::new();
    };
    let steps = 24;
    (0..=steps)
        .map(|i| (index as f64, low + (high - low) * i as f64 / steps as f64))
        .collect()
}

/// The cursor's day in figures, each added whole while it fits in `width`
/// (a figure is left out, never cut), or how to use the cursor when it is off.
pub fn readout<'a>(app: &App, data: &DashboardData, width: usize, theme: &Theme) -> Line<'a> {
    let series = series_of(data, &data.selection.system).unwrap_or(&[]);
    let Some((index, day)) = position(app.chart_cursor, series) else {
        return Line::styled("←→ value cursor: a day's exact figures", theme.muted);
    };
    let head = format!("▏{day} ");
    let parts = match &series[index].1 {
        None => vec!["no graded predictions".to_string()],
        Some(d) => vec![
            format!("hit 7d {}", d.drift.hit_rate_7d),
            format!("beats Vegas {}", d.sharpness.model_beats_vegas),
            format!("sharpness {}", number(d.sharpness.sharpness_score, 1)),
            format!(
                "MAE model {} Vegas {}",
                number(d.drift.model_mae, 2),
                number(d.sharpness.vegas_mae, 2)
            ),
            format!("drift {}", number(d.drift.drift_score, 0)),
            "(Esc hides)".to_string(),
        ],
    };
    let mut used = head.width();
    let mut text = Vec::new();
    for part in parts {
        if used + part.width() + 2 > width {
            continue;
        }
        used += part.width() + 2;
        text.push(part);
    }
    Line::from(vec![
        Span::styled(head, theme.accent),
        Span::styled(text.join("  "), theme.text),
    ])
}
