//! The system picker: the systems with predictions, the selected one marked.

use super::text::{centred, fit};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

pub fn draw(frame: &mut Frame, app: &App, index: usize, area: Rect) {
    let theme = app.theme();
    let width = 44.min(area.width);
    let lines: Vec<Line> = app
        .systems
        .iter()
        .enumerate()
        .map(|(i, system)| {
            let marker = if *system == app.selection.system {
                "●"
            } else {
                " "
            };
            let style = if i == index {
                theme.selected
            } else {
                theme.text
            };
            let name = fit(system, width.saturating_sub(6) as usize);
            Line::styled(format!(" {marker} {name} "), style)
        })
        .collect();
    let popup = centred(area, width, lines.len() as u16 + 2);
    // Long lists scroll to keep the highlighted system in view.
    let offset = crate::tui::geometry::table_offset(index, popup.height.saturating_sub(2) as usize);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).scroll((offset as u16, 0)).block(
            Block::bordered()
                .title(format!(" system {} of {} ", index + 1, app.systems.len()))
                .border_style(theme.accent),
        ),
        popup,
    );
}
