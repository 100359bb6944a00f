//! The leaderboard rows the user sees (filtered, sorted, marked), the
//! selected experiment and its promotion plan, and the experiments with a
//! backtest (the Gap and Versus tabs' candidates).

use super::Settings;
use super::experiments::ExperimentsTab;
use crate::registry::leaderboard::{self, Entry, SortKey};
use crate::registry::promotion::{self, PromotionPlan};

impl ExperimentsTab {
    /// All entries (for lineage lookups).
    pub fn all_entries(&self, min_samples: u64) -> Vec<Entry> {
        self.panel
            .data
            .as_ref()
            .map(|data| {
                data.experiments
                    .iter()
                    .map(|row| Entry::from_row(row, min_samples))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The leaderboard rows after filter and sort.
    pub fn visible_entries(&self, min_samples: u64) -> Vec<Entry> {
        let mut entries: Vec<Entry> = self
            .all_entries(min_samples)
            .into_iter()
            .filter(|entry| self.board.filter.keeps(entry))
            .collect();
        leaderboard::sort(&mut entries, self.board.sort, self.board.descending);
        entries
    }

    pub fn selected_entry(&self, min_samples: u64) -> Option<Entry> {
        self.visible_entries(min_samples)
            .into_iter()
            .nth(self.board.selected)
    }

    /// The marked experiments in leaderboard order.
    pub fn marked_entries(&self, min_samples: u64) -> Vec<Entry> {
        self.visible_entries(min_samples)
            .into_iter()
            .filter(|e| self.board.marked.contains(&e.id))
            .collect()
    }

    /// Experiments with backtest rows, by name.
    pub fn with_backtest(&self, min_samples: u64) -> Vec<Entry> {
        let Some(data) = &self.panel.data else {
            return Vec::new();
        };
        let mut entries: Vec<Entry> = self
            .all_entries(min_samples)
            .into_iter()
            .filter(|entry| data.with_backtest.contains(&entry.id))
            .collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        entries
    }

    /// The Gap tab's default experiment: the best with a backtest.
    pub fn default_gap_experiment(&self, min_samples: u64) -> Option<String> {
        let candidates = self.with_backtest(min_samples);
        leaderboard::best(&candidates, SortKey::HitRate, 0)
            .or_else(|| candidates.first())
            .map(|entry| entry.id.clone())
    }

    /// The selected experiment's promotion plan (registry::promotion): the
    /// refusal in words unless it is completed; what it archives; the guard
    /// rails it fails. `None` without a selection.
    pub fn promote_plan(&self, settings: &Settings) -> Option<Result<PromotionPlan, String>> {
        let entry = self.selected_entry(settings.min_samples())?;
        let data = self.panel.data.as_ref()?;
        let row = data
            .experiments
            .iter()
            .find(|r| r.experiment_id == entry.id)?;
        Some(
            promotion::plan(
                &data.experiments,
                row,
                &settings.production_system,
                &settings.thresholds,
            )
            .map_err(|refusal| refusal.to_string()),
        )
    }
}
