//! The Overview's systems strip: one row per system on the selected date
//! (the champion first, then the shadows, then the rest) with its level,
//! 7-day hit rate, coverage and latest data; the row under the cursor is
//! highlighted and `▸` marks the system the rest of the screen shows.

use crate::tui::action::DashboardData;
use crate::tui::app::App;
use crate::tui::widgets::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Cell, Row, Table, TableState};

/// Rows the strip takes of a body `body_height` tall: a header and one row
/// per system, at most 4 systems under 30 rows and 8 above (it scrolls).
pub fn height(data: &DashboardData, body_height: u16) -> u16 {
    let cap = if body_height < 30 { 4 } else { 8 };
    let systems = u16::try_from(data.glance.len())
        .unwrap_or(u16::MAX)
        .min(cap);
    if systems == 0 { 0 } else { systems + 1 }
}

pub fn draw(frame: &mut Frame, app: &App, data: &DashboardData, area: Rect) {
    let theme = app.theme();
    // The since-promotion column only where there is room for it.
    let with_since = area.width >= 100;
    let fixed = if with_since { 77 } else { 64 };
    let system_width = usize::from(area.width.saturating_sub(fixed)).clamp(10, 24);
    let rows = data.glance.iter().map(|glance| {
        let [system, role, level, hit, coverage, latest, since] = glance.cells();
        let shown = glance.system_id == app.selection.system;
        let mark = if shown { "▸" } else { " " };
        let name = fit(&format!("{mark}{system}"), system_width);
        let level_style = theme.level(glance.diagnostics.alert_level);
        let mut cells = vec![
            Cell::from(name).style(if shown { theme.accent } else { theme.text }),
            Cell::from(role).style(theme.muted),
            Cell::from(level).style(level_style),
            Cell::from(hit),
            Cell::from(coverage),
            Cell::from(latest).style(theme.muted),
        ];
        if with_since {
            cells.push(Cell::from(since));
        }
        Row::new(cells).style(theme.text)
    });
    let mut widths = vec![
        Constraint::Length(system_width as u16),
        Constraint::Length(8),
        Constraint::Length(10),
        Constraint::Length(20),
        Constraint::Length(15),
        Constraint::Length(6),
    ];
    if with_since {
        widths.push(Constraint::Length(12));
    }
    let hidden = data
        .glance
        .len()
        .saturating_sub(usize::from(area.height.saturating_sub(1)));
    let header = if hidden > 0 {
        format!("systems ({} more: ↓)", hidden)
    } else {
        "systems".to_string()
    };
    let mut titles = vec![
        header.as_str(),
        "",
        "level",
        "hit rate 7d",
        "coverage",
        "data",
    ];
    if with_since {
        titles.push("since promo");
    }
    let table = Table::new(rows, widths)
        .header(Row::new(titles).style(theme.accent))
        .column_spacing(1)
        .row_highlight_style(theme.selected);
    let cursor = app
        .overview
        .strip_row
        .min(data.glance.len().saturating_sub(1));
    let mut state = TableState::default().with_selected(Some(cursor));
    frame.render_stateful_widget(table, area, &mut state);
}
