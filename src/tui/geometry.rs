//! Where things sit on screen, shared by drawing and mouse hits: the tab
//! bar's labels (shortened when the bar is narrow) and a table's scroll
//! offset.

use super::action::Tab;

/// The tab bar label of a tab, in full or short (`Exps` for Experiments).
pub fn tab_label(tab: Tab, short: bool) -> String {
    let title = if short {
        tab.short_title()
    } else {
        tab.title()
    };
    format!(" {} {} ", tab.index() + 1, title)
}

/// The labels of the tab bar: in full when all fit in `width` (each
/// followed by one blank), else the short ones.
pub fn tab_labels(width: u16) -> Vec<String> {
    let full: Vec<String> = Tab::ALL.iter().map(|tab| tab_label(*tab, false)).collect();
    let needed: usize = full.iter().map(|label| label.chars().count() + 1).sum();
    if needed <= width as usize {
        full
    } else {
        Tab::ALL.iter().map(|tab| tab_label(*tab, true)).collect()
    }
}

/// The index of the row clicked in a list drawn in `body` that keeps
/// `selected` in view (scrolled as [`table_offset`] does); `None` for a
/// click outside it.
pub fn clicked_row(
    body: ratatui::layout::Rect,
    selected: usize,
    column: u16,
    row: u16,
) -> Option<usize> {
    if !body.contains(ratatui::layout::Position { x: column, y: row }) {
        return None;
    }
    Some(table_offset(selected, body.height as usize) + usize::from(row - body.y))
}

/// First visible row of a table whose selected row must stay in view.
pub fn table_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        0
    } else {
        selected.saturating_sub(height - 1)
    }
}
