//! The Splits tab's state (the report, the highlighted bucket) and its
//! update arm.

use super::{Outcome, Panel};
use crate::tui::action::{Action, SplitsData};

/// What the Splits tab holds.
#[derive(Debug, Default)]
pub struct SplitsTab {
    pub panel: Panel<SplitsData>,
    /// The highlighted bucket (the table scrolls to keep it in view).
    pub cursor: usize,
    /// The highlighted bucket's figures are shown in full.
    pub show_detail: bool,
    /// Where the table's rows were drawn (for mouse clicks).
    pub table_body: std::cell::Cell<ratatui::layout::Rect>,
}

impl SplitsTab {
    fn rows(&self) -> usize {
        self.panel.data.as_ref().map_or(0, |d| d.report.rows.len())
    }

    /// A click on a row highlights that bucket.
    pub fn click(&mut self, column: u16, row: u16) {
        if let Some(index) =
            crate::tui::geometry::clicked_row(self.table_body.get(), self.cursor, column, row)
            && index < self.rows()
        {
            self.cursor = index;
        }
    }

    /// The tab's keys; `page` is the rows of a page.
    pub fn update(&mut self, action: &Action, page: usize) -> Outcome {
        match action {
            Action::Up | Action::ScrollUp | Action::PageUp => {
                let step = if *action == Action::PageUp { page } else { 1 };
                self.cursor = self.cursor.saturating_sub(step);
            }
            Action::Down | Action::ScrollDown | Action::PageDown => {
                let step = if *action == Action::PageDown { page } else { 1 };
                self.cursor = (self.cursor + step).min(self.rows().saturating_sub(1));
            }
            Action::Enter => self.show_detail = !self.show_detail,
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }
}
