//! The Gap tab's state (its analysis, the experiment it analyses, the
//! highlighted missing date) and its update arm.

use super::{Outcome, Panel};
use crate::tui::action::{Action, Fetch, GapData};

/// What the Gap tab holds.
#[derive(Debug, Default)]
pub struct GapTab {
    pub panel: Panel<GapData>,
    /// The experiment the tab analyses (by id).
    pub experiment: Option<String>,
    /// The highlighted missing date.
    pub cursor: usize,
    /// Where the missing dates were drawn (for mouse clicks).
    pub list_body: std::cell::Cell<ratatui::layout::Rect>,
}

impl GapTab {
    /// The analysis on screen is of the experiment asked for.
    pub fn is_current(&self) -> bool {
        self.panel
            .data
            .as_ref()
            .is_some_and(|data| Some(&data.experiment_id) == self.experiment.as_ref())
    }

    fn missing_dates(&self) -> usize {
        self.panel
            .data
            .as_ref()
            .map_or(0, |d| d.report.missing_dates.len())
    }

    /// A click on a missing date highlights it (`Enter` opens it).
    pub fn click(&mut self, column: u16, row: u16) {
        if let Some(index) =
            crate::tui::geometry::clicked_row(self.list_body.get(), self.cursor, column, row)
            && index < self.missing_dates()
        {
            self.cursor = index;
        }
    }

    /// Asks for the analysis when its experiment is not the one on screen.
    pub fn ensure(&mut self) -> Outcome {
        if self.experiment.is_none() || self.is_current() {
            return Outcome::Done;
        }
        self.cursor = 0;
        Outcome::Fetch(Fetch::Gap)
    }

    /// The tab's keys: `candidates` are the experiments with a backtest (by
    /// id, in the order `x` cycles), `page` the rows of a page.
    pub fn update(&mut self, action: &Action, candidates: &[String], page: usize) -> Outcome {
        match action {
            Action::CycleGapExperiment(step) => {
                if candidates.is_empty() {
                    return Outcome::Notice("no experiment has backtest rows".to_string());
                }
                let current = candidates
                    .iter()
                    .position(|id| Some(id) == self.experiment.as_ref())
                    .unwrap_or(0) as i64;
                let next = (current + step).rem_euclid(candidates.len() as i64) as usize;
                self.experiment = Some(candidates[next].clone());
                self.ensure()
            }
            Action::Up | Action::ScrollUp | Action::PageUp => {
                let step = if *action == Action::PageUp { page } else { 1 };
                self.cursor = self.cursor.saturating_sub(step);
                Outcome::Done
            }
            Action::Down | Action::ScrollDown | Action::PageDown => {
                let step = if *action == Action::PageDown { page } else { 1 };
                self.cursor = (self.cursor + step).min(self.missing_dates().saturating_sub(1));
                Outcome::Done
            }
            // Jump the Overview to the highlighted missing date.
            Action::Enter => self
                .panel
                .data
                .as_ref()
                .and_then(|d| d.report.missing_dates.get(self.cursor))
                .map_or(Outcome::Done, |m| Outcome::ShowDate(m.game_date)),
            _ => Outcome::Ignored,
        }
    }
}
