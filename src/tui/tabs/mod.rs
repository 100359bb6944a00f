//! One file per tab: each draws its part of the screen from `&App`.

pub mod detector;
pub mod drift;
pub mod experiments;
pub mod gap;
pub mod overview;
pub mod sharpness;
pub mod splits;
pub mod versus;

use super::action::DashboardData;
use super::app::App;
use super::widgets;
use crate::model::Diagnostics;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

/// Draws the loading, error and empty states around the dashboard data and
/// returns the data and the area left for the tab, when there is data to show.
pub fn dashboard_body<'a>(
    frame: &mut Frame,
    app: &'a App,
    area: Rect,
) -> Option<(&'a DashboardData, Rect)> {
    let theme = app.theme();
    let mut area = area;
    if let Some(error) = &app.dashboard.error {
        let [line, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        frame.render_widget(widgets::error_line(app, error), line);
        area = rest;
    }
    let Some(data) = &app.dashboard.data else {
        let text = if app.dashboard.pending.is_some() {
            format!(
                "{} loading diagnostics for {} on {}…",
                widgets::spinner(app),
                app.selection.system,
                app.selection.date
            )
        } else {
            "no data".to_string()
        };
        widgets::message(frame, area, text, theme.muted);
        return None;
    };
    if data.selection != app.selection {
        // The figures below are of the previous selection until the new ones arrive.
        let [line, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        frame.render_widget(
            ratatui::widgets::Paragraph::new(if app.dashboard.pending.is_some() {
                format!(
                    "{} loading {} on {}… (below: {} on {})",
                    widgets::spinner(app),
                    app.selection.system,
                    app.selection.date,
                    data.selection.system,
                    data.selection.date
                )
            } else {
                format!(
                    "below: {} on {} ({} on {} did not load)",
                    data.selection.system,
                    data.selection.date,
                    app.selection.system,
                    app.selection.date
                )
            })
            .style(theme.warning),
            line,
        );
        area = rest;
    }
    if !data.diagnostics.has_data() {
        widgets::message(
            frame,
            area,
            format!(
                "no data: {} has no graded predictions in the 30 days up to {} (press t for the latest date with data)",
                data.selection.system, data.selection.date
            ),
            theme.muted,
        );
        return None;
    }
    Some((data, area))
}

/// The series of one system from the dashboard data.
pub fn series_of<'a>(
    data: &'a DashboardData,
    system: &str,
) -> Option<&'a [(chrono::NaiveDate, Option<Diagnostics>)]> {
    data.series
        .iter()
        .find(|(name, _)| name == system)
        .map(|(_, series)| series.as_slice())
}
