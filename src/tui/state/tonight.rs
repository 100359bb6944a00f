//! The Tonight tab's state (the slate, how far it is scrolled) and its
//! update arm.

use super::{Outcome, Panel};
use crate::tui::action::{Action, TonightData};

/// What the Tonight tab holds.
#[derive(Debug, Default)]
pub struct TonightTab {
    pub panel: Panel<TonightData>,
    /// Lines scrolled past (the missing players can run long).
    pub scroll: usize,
}

impl TonightTab {
    /// The tab's keys; `page` is the rows of a page.
    pub fn update(&mut self, action: &Action, page: usize) -> Outcome {
        match action {
            Action::Up | Action::ScrollUp => self.scroll = self.scroll.saturating_sub(1),
            Action::Down | Action::ScrollDown => self.scroll += 1,
            Action::PageUp => self.scroll = self.scroll.saturating_sub(page),
            Action::PageDown => self.scroll += page,
            _ => return Outcome::Ignored,
        }
        Outcome::Done
    }
}
