//! Where things sit on screen, shared by drawing and mouse hits: the tab
//! bar's labels and a table's scroll offset.

use super::action::Tab;

/// The tab bar label of a tab.
pub fn tab_label(tab: Tab) -> String {
    format!(" {} {} ", tab.index() + 1, tab.title())
}

/// First visible row of a table whose selected row must stay in view.
pub fn table_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        0
    } else {
        selected.saturating_sub(height - 1)
    }
}
