//! The Versus tab's state (the comparison and its side B) and its update arm.

use super::{Outcome, Panel};
use crate::tui::action::{Action, Selection, VersusData};

/// What the Versus tab holds.
#[derive(Debug, Default)]
pub struct VersusTab {
    pub panel: Panel<VersusData>,
    /// Side B (a system or an experiment id); `None` until the first answer
    /// names the default (a shadow system).
    pub challenger: Option<String>,
}

impl VersusTab {
    /// The comparison on screen answers `selection` and the chosen side B.
    pub fn answers(&self, selection: &Selection) -> bool {
        self.panel.data.as_ref().is_some_and(|data| {
            data.selection == *selection
                && self
                    .challenger
                    .as_ref()
                    .is_none_or(|c| *c == data.challenger)
        })
    }

    /// The tab's keys: `candidates` are who can be side B (the other
    /// systems, then the experiments with a backtest), `system` side A.
    pub fn update(&mut self, action: &Action, candidates: &[String], system: &str) -> Outcome {
        let Action::CycleChallenger(step) = action else {
            return Outcome::Ignored;
        };
        if candidates.is_empty() {
            return Outcome::Notice(format!(
                "no other system or backtested experiment to compare {system} with"
            ));
        }
        let current = candidates
            .iter()
            .position(|c| Some(c) == self.challenger.as_ref());
        let next = match current {
            Some(index) => (index as i64 + step).rem_euclid(candidates.len() as i64),
            None if *step >= 0 => 0,
            None => candidates.len() as i64 - 1,
        } as usize;
        self.challenger = Some(candidates[next].clone());
        Outcome::EnsureVersus
    }
}
