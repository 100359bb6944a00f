//! The preamble of the tabs drawn from the dashboard data (Overview,
//! Sharpness, Drift) and their series.

use crate::model::Diagnostics;
use crate::tui::action::DashboardData;
use crate::tui::app::App;
use crate::tui::widgets::{self, PanelText, panel_body};
use ratatui::Frame;
use ratatui::layout::Rect;

/// Draws the loading, error and empty states around the dashboard data and
/// returns the data and the area left for the tab, when there is data to
/// show; figures of another date or system are dimmed under a banner.
pub fn dashboard_body<'a>(
    frame: &mut Frame,
    app: &'a App,
    area: Rect,
) -> Option<widgets::PanelBody<'a, DashboardData>> {
    let wanted = format!("{} on {}", app.selection.system, app.selection.date);
    let body = panel_body(
        frame,
        app,
        &app.dashboard,
        area,
        PanelText {
            loading: format!("loading diagnostics for {wanted}"),
            empty: "no data".to_string(),
            wanted,
        },
        |data| {
            (data.selection != app.selection)
                .then(|| format!("{} on {}", data.selection.system, data.selection.date))
        },
    )?;
    if !body.data.diagnostics.has_data() {
        widgets::message(
            frame,
            body.area,
            format!(
                "no data: {} has no graded predictions in the 30 days up to {} (press t for the latest date with data)",
                body.data.selection.system, body.data.selection.date
            ),
            app.theme().muted,
        );
        return None;
    }
    Some(body)
}

/// The series of one system from the dashboard data.
pub fn series_of<'a>(
    data: &'a DashboardData,
    system: &str,
) -> Option<&'a [(chrono::NaiveDate, Option<Diagnostics>)]> {
    data.series_of(system)
}
