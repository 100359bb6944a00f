//! The leaderboard rows the user sees (filtered, sorted, marked), the
//! selected experiment and its promotion plan, and the Gap tab's candidates.

use super::{App, PromotePlan};
use crate::registry::leaderboard::{self, Entry, SortKey};

impl App {
    /// Experiments the Gap tab can analyse, by name.
    pub fn gap_candidates(&self) -> Vec<Entry> {
        let Some(data) = &self.experiments.data else {
            return Vec::new();
        };
        let mut entries: Vec<Entry> = self
            .all_entries()
            .into_iter()
            .filter(|entry| data.with_backtest.contains(&entry.id))
            .collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        entries
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

    /// The default experiment of the Gap tab: the best completed one with a backtest.
    pub(super) fn default_gap_experiment(&self) -> Option<String> {
        let candidates = self.gap_candidates();
        leaderboard::best(&candidates, SortKey::HitRate, 0)
            .or_else(|| candidates.first())
            .map(|entry| entry.id.clone())
    }

    /// The leaderboard rows after filter and sort.
    pub fn visible_entries(&self) -> Vec<Entry> {
        let Some(data) = &self.experiments.data else {
            return Vec::new();
        };
        let mut entries: Vec<Entry> = data
            .experiments
            .iter()
            .map(|row| Entry::from_row(row, self.settings.min_samples()))
            .filter(|entry| self.leaderboard.filter.keeps(entry))
            .collect();
        leaderboard::sort(
            &mut entries,
            self.leaderboard.sort,
            self.leaderboard.descending,
        );
        entries
    }

    /// All entries (for lineage lookups).
    pub fn all_entries(&self) -> Vec<Entry> {
        self.experiments
            .data
            .as_ref()
            .map(|data| {
                data.experiments
                    .iter()
                    .map(|row| Entry::from_row(row, self.settings.min_samples()))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn selected_entry(&self) -> Option<Entry> {
        self.visible_entries()
            .into_iter()
            .nth(self.leaderboard.selected)
    }

    /// The selected experiment's promotion plan (registry::promotion):
    /// refused unless completed; what it archives; the guard rails it fails.
    pub(super) fn promote_plan(&mut self) -> Option<PromotePlan> {
        let entry = self.selected_entry()?;
        let data = self.experiments.data.as_ref()?;
        let row = data
            .experiments
            .iter()
            .find(|r| r.experiment_id == entry.id)?;
        match crate::registry::promotion::plan(
            &data.experiments,
            row,
            &self.settings.production_system,
            &self.settings.thresholds,
        ) {
            Ok(plan) => Some(plan),
            Err(refusal) => {
                self.notice = Some(refusal.to_string());
                None
            }
        }
    }

    /// The marked experiments in leaderboard order.
    pub fn marked_entries(&self) -> Vec<Entry> {
        self.visible_entries()
            .into_iter()
            .filter(|e| self.leaderboard.marked.contains(&e.id))
            .collect()
    }
}
