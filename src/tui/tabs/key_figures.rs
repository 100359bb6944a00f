//! The Overview's key-figures panel: each figure with its value, n, interval
//! and note. A note wraps at its spaces (never cut mid-word), and a panel too
//! short for every figure scrolls by whole figures (`>`/`<`), its title
//! saying which it shows and that more are below or above.

use crate::model::Diagnostics;
use crate::tui::table_text::key_figures;
use crate::tui::theme::Theme;
use crate::tui::widgets::wrap_words;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Text;
use ratatui::widgets::{Block, Cell, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

/// The display width of column `column` of `figures` or its `header`.
fn column_width(figures: &[[String; 5]], column: usize, header: &str) -> u16 {
    let widest = figures
        .iter()
        .map(|row| row[column].width())
        .chain([header.width()])
        .max()
        .unwrap_or(0);
    u16::try_from(widest).unwrap_or(u16::MAX)
}

/// The narrowest note column worth drawing; a panel with less drops notes.
const NARROWEST_NOTE: usize = 12;

/// Draws the figures scrolled `scroll` figures down (held to what the panel
/// can show), with their notes where there is room for them.
pub fn draw(frame: &mut Frame, d: &Diagnostics, theme: &Theme, scroll: usize, area: Rect) {
    let figures = key_figures(d);
    // The columns left of the note as wide as their widest cell, so the
    // note gets the rest (with the columns' spacing and the borders).
    let header = ["figure", "value", "n", "95% CI", "note"];
    let fixed: Vec<u16> = (0..4)
        .map(|column| column_width(&figures, column, header[column]))
        .collect();
    let beside_the_note = fixed.iter().sum::<u16>() + 4 + 2;
    let note_width = usize::from(area.width.saturating_sub(beside_the_note));
    let narrow = note_width < NARROWEST_NOTE;
    let notes: Vec<Vec<String>> = figures
        .iter()
        .map(|[.., note]| {
            if narrow {
                Vec::new()
            } else {
                wrap_words(note, note_width)
            }
        })
        .collect();
    let heights: Vec<usize> = notes.iter().map(|lines| lines.len().max(1)).collect();
    // Borders and the header take three rows.
    let room = usize::from(area.height.saturating_sub(3));
    let window = Window::new(&heights, room, scroll);
    let total = figures.len();
    let title = match (window.first > 0, window.end < total) {
        (false, false) => " key figures ".to_string(),
        (above, below) => format!(
            " key figures {}-{} of {total} {}{} ",
            window.first + 1,
            window.end,
            match (above, below) {
                (true, true) => "↑↓ more",
                (true, false) => "↑ more",
                _ => "↓ more",
            },
            match (above, below) {
                (true, true) => " (</>)",
                (true, false) => " (<)",
                _ => " (>)",
            },
        ),
    };
    let rows = figures.into_iter().zip(notes).zip(&heights).map(
        |(([name, value, n, interval, _], note), height)| {
            let mut cells = vec![
                Cell::from(name),
                Cell::from(value),
                Cell::from(n),
                Cell::from(interval),
            ];
            if !narrow {
                cells.push(Cell::from(Text::from(note.join("\n"))));
            }
            Row::new(cells).height(*height as u16).style(theme.text)
        },
    );
    let mut widths: Vec<Constraint> = fixed.into_iter().map(Constraint::Length).collect();
    let shown = if narrow {
        &header[..4]
    } else {
        widths.push(Constraint::Min(4));
        &header[..]
    };
    let table = Table::new(rows, widths)
        .header(Row::new(shown.to_vec()).style(theme.accent))
        .block(Block::bordered().title(title).border_style(theme.muted));
    let mut state = TableState::default().with_offset(window.first);
    frame.render_stateful_widget(table, area, &mut state);
}

/// The figures a panel of `room` rows shows, scrolled `scroll` figures down:
/// `first..end`, with `first` held so the last figure ends the panel rather
/// than leaving it half empty.
#[derive(Debug, PartialEq)]
struct Window {
    first: usize,
    end: usize,
}

impl Window {
    fn new(heights: &[usize], room: usize, scroll: usize) -> Window {
        // The latest start from which every figure to the end fits.
        let mut last_start = heights.len();
        let mut used = 0;
        while last_start > 0 && used + heights[last_start - 1] <= room {
            used += heights[last_start - 1];
            last_start -= 1;
        }
        let last_start = last_start.min(heights.len().saturating_sub(1));
        let first = scroll.min(last_start);
        let mut end = first;
        let mut used = 0;
        while end < heights.len() && used + heights[end] <= room {
            used += heights[end];
            end += 1;
        }
        Window { first, end }
    }
}

#[cfg(test)]
mod tests {
    use super::Window;

    #[test]
    fn the_window_shows_what_fits_and_stops_at_the_last_figure() {
        let heights = [1, 2, 1, 1, 2];
        assert_eq!(Window::new(&heights, 10, 0), Window { first: 0, end: 5 });
        assert_eq!(Window::new(&heights, 10, 3), Window { first: 0, end: 5 });
        assert_eq!(Window::new(&heights, 4, 0), Window { first: 0, end: 3 });
        assert_eq!(Window::new(&heights, 4, 1), Window { first: 1, end: 4 });
        // Scrolled past the end: held where the last figure ends the panel.
        assert_eq!(Window::new(&heights, 4, 9), Window { first: 2, end: 5 });
        assert_eq!(Window::new(&[], 4, 2), Window { first: 0, end: 0 });
        // A panel with no room shows nothing but still moves.
        assert_eq!(Window::new(&heights, 0, 2), Window { first: 2, end: 2 });
    }
}
