//! The leaderboard rows the user sees (filtered, sorted, marked), the
//! selected experiment and its promotion plan, and the experiments with a
//! backtest (the Gap and Versus tabs' candidates).

use super::Settings;
use super::experiments::ExperimentsTab;
use crate::registry::leaderboard::{self, Entry, SortKey};
use crate::registry::promotion::{self, PromotionPlan};
use crate::service::registry_changes::RegistryChange;

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

    /// The change `action` asks for on the selected experiment, or why
    /// there is none (nothing selected, nothing to roll back or approve).
    pub fn registry_change(
        &self,
        action: &crate::tui::action::Action,
        settings: &Settings,
    ) -> Result<RegistryChange, String> {
        use crate::model::experiment::Status;
        use crate::tui::action::Action;
        let entry = self
            .selected_entry(settings.min_samples())
            .ok_or_else(|| "select an experiment first".to_string())?;
        let data = self
            .panel
            .data
            .as_ref()
            .ok_or_else(|| "the registry is still loading".to_string())?;
        let row = data
            .experiments
            .iter()
            .find(|r| r.experiment_id == entry.id)
            .ok_or_else(|| "select an experiment first".to_string())?;
        match action {
            Action::Archive if row.status == Status::Archived => {
                Err(format!("{} is archived already", row.experiment_name))
            }
            Action::Archive => Ok(RegistryChange::Archive {
                experiment_id: row.experiment_id.clone(),
                experiment_name: row.experiment_name.clone(),
                promoted: row.status == Status::Promoted,
            }),
            Action::Rollback => Ok(RegistryChange::Rollback {
                system: promotion::target_system(row, &settings.production_system),
            }),
            _ => match crate::registry::request::pending(&data.events, &row.experiment_id) {
                Some(_) => Ok(RegistryChange::Approve {
                    experiment_id: row.experiment_id.clone(),
                    experiment_name: row.experiment_name.clone(),
                }),
                None => Err(format!(
                    "{} has nothing awaiting approval",
                    row.experiment_name
                )),
            },
        }
    }
}
