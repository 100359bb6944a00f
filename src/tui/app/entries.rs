//! The app's view of the registry: the Experiments tab's rows with the
//! app's settings, and who the Gap and Versus tabs can analyse.

use super::App;
use crate::registry::leaderboard::Entry;

impl App {
    /// The leaderboard rows after filter and sort.
    pub fn visible_entries(&self) -> Vec<Entry> {
        self.experiments
            .visible_entries(self.settings.min_samples())
    }

    /// All entries (for lineage lookups).
    pub fn all_entries(&self) -> Vec<Entry> {
        self.experiments.all_entries(self.settings.min_samples())
    }

    pub fn selected_entry(&self) -> Option<Entry> {
        self.experiments.selected_entry(self.settings.min_samples())
    }

    /// The marked experiments in leaderboard order.
    pub fn marked_entries(&self) -> Vec<Entry> {
        self.experiments.marked_entries(self.settings.min_samples())
    }

    /// Experiments the Gap tab can analyse, by name.
    pub fn gap_candidates(&self) -> Vec<Entry> {
        self.experiments.with_backtest(self.settings.min_samples())
    }

    /// Who the Versus tab can put against the selected system: the other
    /// systems, then the experiments with a backtest (by id).
    pub fn challenger_candidates(&self) -> Vec<String> {
        let mut candidates: Vec<String> = self
            .systems
            .iter()
            .filter(|system| **system != self.selection.system)
            .cloned()
            .collect();
        candidates.extend(self.gap_candidates().into_iter().map(|entry| entry.id));
        candidates
    }
}
