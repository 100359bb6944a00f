//! The preamble every data panel shares: the error line above data kept from
//! the last good fetch, the loading spinner or "no data" while there is
//! nothing to show, and the banner over figures of another selection (dimmed
//! until the new ones arrive). What it says is terminal-safe.

use super::text::{error_line, message, spinner};
use crate::tui::app::{App, Panel};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::widgets::Paragraph;

/// What a panel says about itself.
pub struct PanelText {
    /// What is being fetched, shown after the spinner ("loading the registry").
    pub loading: String,
    /// What the panel says when there is nothing and nothing is on its way.
    pub empty: String,
    /// What the wanted figures are ("catboost_v8 on 2026-04-11"), for the
    /// banner over figures of another selection.
    pub wanted: String,
}

/// The data to draw and where; `stale` when it answers another selection.
pub struct PanelBody<'a, T> {
    pub data: &'a T,
    pub area: Rect,
    pub stale: bool,
}

impl<T> PanelBody<'_, T> {
    /// Dims what was drawn over figures of another selection, so old numbers
    /// never pass for current ones.
    pub fn finish(self, frame: &mut Frame) {
        if self.stale {
            frame.buffer_mut().set_style(
                self.area,
                ratatui::style::Style::new().add_modifier(Modifier::DIM),
            );
        }
    }
}

/// Draws the preamble of `panel` in `area` and returns its data and the area
/// left for it, or `None` when a message took the area. `shown_for` names
/// what the data answers when that is not the current selection.
pub fn panel_body<'a, T>(
    frame: &mut Frame,
    app: &App,
    panel: &'a Panel<T>,
    area: Rect,
    text: PanelText,
    shown_for: impl Fn(&T) -> Option<String>,
) -> Option<PanelBody<'a, T>> {
    let theme = app.theme();
    let mut area = area;
    if let Some(error) = &panel.error {
        let [line, rest] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        frame.render_widget(error_line(panel.loaded_at, app, error), line);
        area = rest;
    }
    let Some(data) = &panel.data else {
        let text = if panel.pending.is_some() {
            format!("{} {}…", spinner(app), text.loading)
        } else if panel.error.is_some() {
            String::new()
        } else {
            text.empty
        };
        message(frame, area, text, theme.muted);
        return None;
    };
    let Some(shown) = shown_for(data) else {
        return Some(PanelBody {
            data,
            area,
            stale: false,
        });
    };
    let [line, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let banner = if panel.pending.is_some() {
        format!("{} loading {}… (below: {shown})", spinner(app), text.wanted)
    } else {
        format!("below: {shown} ({} did not load)", text.wanted)
    };
    let banner = crate::format::terminal_safe(&banner).into_owned();
    frame.render_widget(Paragraph::new(banner).style(theme.warning), line);
    Some(PanelBody {
        data,
        area: rest,
        stale: true,
    })
}
